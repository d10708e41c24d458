"""The offer letter (录用通知书): its text from a template of lines with {字段} placeholders, as HTML paragraphs and as
a PDF. A job's offer policy may carry its own template (`OfferPolicy.letter_template`, checked when HR saves it);
each offer keeps the template it was made with (`Offer.letter_template`), so a later edit does not reword a letter
already sent. Empty: DEFAULT_TEMPLATE, the wording every letter had before templates existed."""
import re

from app.core import pdf as pdf_doc
from app.core import text_limits
from app.core.errors import BadRequest

MAX_TEMPLATE = 4000
# {字段}: what each placeholder becomes for an offer.
FIELDS = {
    "姓名": lambda offer, company: offer.application.candidate.name,
    "职位": lambda offer, company: offer.position,
    "职级": lambda offer, company: offer.level,
    "职级说明": lambda offer, company: f"(职级 {offer.level})" if offer.level else "",
    "月薪": lambda offer, company: f"{offer.salary:,}",
    "入职日期": lambda offer, company: f"{offer.start_date:%Y年%m月%d日}",
    "工作地点": lambda offer, company: offer.place,
    "试用期": lambda offer, company: f"{offer.probation_months} 个月" if offer.probation_months else "无",
    "答复期限": lambda offer, company: f"{offer.expires_on:%Y年%m月%d日}",
    "公司": lambda offer, company: company,
}
NOTE = "补充说明"   # a line of its own: the policy's letter paragraphs (letter_note), one paragraph each
# The terms the candidate accepts and the date to answer by: a letter without them cannot be accepted knowingly.
REQUIRED = ("月薪", "入职日期", "答复期限")
DEFAULT_TEMPLATE = """{姓名}:
感谢你参加我们的面试。我们很高兴地通知你,你已被录用为「{职位}」{职级说明}。
月薪(税前):人民币 {月薪} 元
入职日期:{入职日期}
工作地点:{工作地点}
试用期:{试用期}
{补充说明}
请在 {答复期限} 前答复,逾期本通知自动失效。
{公司} 人力资源部"""
_PLACEHOLDER = re.compile(r"\{([^{}\s]{1,12})\}")


def check_template(text):
    """The template as saved ("" keeps the default); BadRequest naming an unknown or missing field."""
    text = "\n".join(line.rstrip() for line in (text or "").strip().splitlines())
    if not text or text == DEFAULT_TEMPLATE:
        return ""
    text_limits.bounded(text, MAX_TEMPLATE, "录用通知书正文", "保存", "letter_too_long")
    names = _PLACEHOLDER.findall(text)
    unknown = sorted({name for name in names if name not in FIELDS and name != NOTE})
    if unknown:
        raise BadRequest("录用通知书正文中的 " + "、".join(f"{{{n}}}" for n in unknown) + " 不是可用的字段,可用:"
                         + "、".join(f"{{{n}}}" for n in (*FIELDS, NOTE)) + " Unknown field(s) in the letter",
                         code="letter_unknown_field")
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        raise BadRequest("录用通知书正文须写明 " + "、".join(f"{{{n}}}" for n in missing)
                         + "(候选人接受的条件和答复期限) The letter must state the salary, start date and deadline",
                         code="letter_missing_field")
    return text


def letter_lines(offer, company):
    """The letter as (heading, paragraphs): the HTML page and the PDF render the same text. A line that is empty
    once filled in is left out; the {补充说明} line becomes the policy's paragraphs (none when it has none)."""
    values = {name: str(value(offer, company)) for name, value in FIELDS.items()}
    paragraphs = []
    for line in (offer.letter_template or DEFAULT_TEMPLATE).splitlines():
        if line.strip() == "{" + NOTE + "}":
            paragraphs.extend(note.strip() for note in (offer.letter_note or "").splitlines() if note.strip())
            continue
        filled = _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), line).strip()
        if filled:
            paragraphs.append(filled)
    return f"{company} 录用通知书", paragraphs


def letter_pdf(offer, company):
    """The letter as a PDF (app/core/pdf: fpdf2 with the machine's CJK font; what it cannot draw, pdf.drawable)."""
    heading, paragraphs = letter_lines(offer, company)
    pdf = pdf_doc.document()
    pdf.add_page()
    pdf.set_font(pdf_doc.FONT, size=18)
    pdf.cell(0, 14, pdf_doc.drawable(heading, pdf), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdf_doc.FONT, size=12)
    for text in paragraphs:
        pdf.multi_cell(0, 8, pdf_doc.drawable(text, pdf), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    return bytes(pdf.output())
