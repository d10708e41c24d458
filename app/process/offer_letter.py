"""The offer letter (录用通知书): its text from a template of lines with {字段} placeholders, as HTML paragraphs and as
a PDF. A job's offer policy may carry its own template (`OfferPolicy.letter_template`, checked when HR saves it);
each offer keeps the template it was made with (`Offer.letter_template`), so a later edit does not reword a letter
already sent. Empty: DEFAULT_TEMPLATE, the wording every letter had before templates existed."""
import re
import unicodedata
from pathlib import Path

from app.core.errors import BadRequest, Gone
from app.core.extensions import settings

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
    if len(text) > MAX_TEMPLATE:
        raise BadRequest(f"录用通知书正文不能超过 {MAX_TEMPLATE} 字 The letter is too long", code="letter_too_long")
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
    """The letter as a PDF (fpdf2 with a CJK TrueType font found on the machine)."""
    from fpdf import FPDF
    font = _cjk_font()
    if font is None:
        raise Gone("服务器缺少中文字体,暂不能生成PDF Server has no CJK font for the PDF", code="no_cjk_font")
    heading, paragraphs = letter_lines(offer, company)
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.add_font("cjk", fname=str(font))
    drawn = pdf.fonts["cjk"].cmap
    pdf.set_font("cjk", size=18)
    pdf.cell(0, 14, drawable(heading, drawn), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=12)
    for text in paragraphs:
        pdf.multi_cell(0, 8, drawable(text, drawn), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    return bytes(pdf.output())


# What only shapes an emoji (joiner, variation selectors, keycap, skin tones, tags): left out with the emoji.
_EMOJI_PARTS = re.compile("[\u200d\ufe0e\ufe0f\u20e3\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f]")
_DROPPED = "\x00"
MISSING = "〓"  # the typesetter's mark for a character the font does not have


def drawable(text, drawn):
    """`text` as the PDF's font can draw it (`drawn`: its code points). The CJK font has no emoji, and fpdf2 left
    them out silently but kept their joiners (invisible in the copied text) and the gaps around them: an emoji (a
    symbol without a glyph) is now left out with what shapes it and one of the spaces around it; any other
    character without one (a rare character of a name) shows as 〓, so no letter disappears without a trace. The
    HTML letter shows the text as typed."""
    out = []
    for ch in text:
        if _EMOJI_PARTS.match(ch) and (not out or out[-1] == _DROPPED or ord(ch) not in drawn):
            out.append(_DROPPED)
        elif ord(ch) in drawn or ch.isspace():
            out.append(ch)
        else:
            out.append(_DROPPED if unicodedata.category(ch)[0] in "SC" else MISSING)
    # A run of left-out emoji (and the spaces about it) closes up, keeping a space only between two words.
    return re.sub(r"[ \x00]*\x00[ \x00]*", lambda m: " " if m.group().startswith(" ") and m.group().endswith(" ")
                  and m.start() and m.end() < len(out) else "", "".join(out))


FONT_CANDIDATES = ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
                   "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                   "/usr/share/fonts/truetype/arphic/uming.ttc")


def _cjk_font():
    for candidate in (settings.get("PDF_CJK_FONT"), *FONT_CANDIDATES):
        if candidate and Path(candidate).exists():
            return Path(candidate)
    return None
