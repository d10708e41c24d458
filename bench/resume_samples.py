"""Generated Chinese resumes with a planted quality, as PDF, Word .docx (header in a text box), photos and
scanned PDFs. Used by bench/screening.py and by the parsing tests. Deterministic for a given seed."""
import io
import random

FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "杰", "涛", "明", "超", "霞", "平", "刚", "婷", "浩然", "子涵"]
SCHOOLS = ["复旦大学", "同济大学", "浙江大学", "华东师范大学", "南京大学", "上海大学", "杭州电子科技大学", "苏州大学"]
MAJORS = ["计算机科学与技术", "软件工程", "信息管理", "电子信息工程", "数学与应用数学"]
EMPLOYERS = ["上海云帆信息技术有限公司", "杭州数联科技有限公司", "北京星河网络科技有限公司", "深圳前海金融科技有限公司",
             "南京致远软件有限公司", "苏州智造数据有限公司"]
TITLES = ["后端开发工程师", "高级后端工程师", "Python开发工程师", "软件工程师", "服务端工程师"]
CITIES = ["上海", "上海", "杭州", "北京", "南京", "苏州"]
# What the backend job asks for, and the ways a resume may say it (synonyms and instances).
SKILLS = {"Python": ["Python", "Python3"], "Go": ["Golang", "Go"], "Web框架": ["Flask", "Django", "FastAPI"],
          "PostgreSQL": ["PostgreSQL", "PG", "Postgres", "MySQL"],
          "性能优化": ["SQL优化", "性能调优", "慢查询优化"], "Redis": ["Redis"],
          "消息队列": ["Kafka", "RabbitMQ", "MQ", "消息队列"], "故障排查": ["线上故障排查", "问题排查"],
          "沟通": ["跨团队沟通", "协调"]}
OFF_TOPIC = ["Photoshop", "视频剪辑", "新媒体运营", "会计", "驾驶"]
FILLER = ["负责核心业务模块的设计、开发与维护", "参与需求评审并与产品、测试同事协作交付", "编写单元测试,推动代码评审",
          "参与系统架构讨论,撰写技术文档", "带领两名新人完成迭代任务"]


def profile(i, rng):
    """One applicant with a planted quality in [0, 1]."""
    q = rng.random()
    years = max(0, round(q * 9 + rng.gauss(0, 1.2)))
    degree = "硕士" if q > 0.8 and rng.random() < 0.5 else ("本科" if q > 0.25 or rng.random() < 0.5 else "大专")
    skills, negated = [], []
    for aliases in SKILLS.values():
        if rng.random() < 0.15 + 0.8 * q:
            skills.append(rng.choice(aliases))
        elif rng.random() < 0.3:
            negated.append(rng.choice(aliases))
    return {"i": i, "quality": round(q, 4), "name": rng.choice(SURNAMES) + rng.choice(GIVEN),
            "phone": f"13{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}", "years": years, "degree": degree,
            "city": "上海" if rng.random() < 0.3 + 0.6 * q else rng.choice(CITIES), "skills": skills,
            "negated": negated,
            "off_topic": rng.sample(OFF_TOPIC, 2) if q < 0.4 else []}


def lines(p, rng, today_year=2026):
    """The resume as lines of text."""
    head = [f"姓名: {p['name']}", f"电话: {p['phone']} | 邮箱: user{p['i']}@example.com | 现居: {p['city']}"]
    grad = today_year - p["years"] - rng.randint(0, 1)
    start = grad - (3 if p["degree"] == "大专" else 4)
    body = ["求职意向", "后端开发工程师", "教育背景",
            f"{start}.09-{grad}.06 {rng.choice(SCHOOLS)} {rng.choice(MAJORS)} {p['degree']}", "工作经历"]
    year, month = grad, 7
    jobs = []
    while p["years"] and year < today_year:
        span = rng.randint(2, 4)
        end_year = year + span
        if end_year >= today_year:
            jobs.append(f"{year}.{month:02d}-至今 {rng.choice(EMPLOYERS)} {rng.choice(TITLES)}")
        else:
            jobs.append(f"{year}.{month:02d}-{end_year}.06 {rng.choice(EMPLOYERS)} {rng.choice(TITLES)}")
        year, month = end_year, 7
    for job in reversed(jobs):
        body += [job, rng.choice(FILLER) + "。"]
    if not jobs:
        body.append("应届毕业生,有校内项目经验。")
    skill_line = "熟悉 " + "、".join(p["skills"] + p["off_topic"]) if p["skills"] or p["off_topic"] else "学习能力强"
    body += ["专业技能", skill_line + "。"]
    body += [f"没有使用过 {s}。" for s in p["negated"]]
    return head, body


def to_pdf(all_lines):
    from fpdf import FPDF
    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("wqy", fname=FONT)
    pdf.set_font("wqy", size=11)
    for line in all_lines:
        pdf.multi_cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def to_docx(head, body):
    """A .docx whose header block (name, phone, city) sits in a text box, as resume templates often do."""
    from docx import Document
    from docx.oxml import parse_xml
    doc = Document()
    paragraphs = "".join(f'<w:p><w:r><w:t xml:space="preserve">{_xml(line)}</w:t></w:r></w:p>' for line in head)
    box = parse_xml(
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape style="width:400pt;height:60pt">'
        f'<v:textbox><w:txbxContent>{paragraphs}</w:txbxContent></v:textbox></v:shape></w:pict></w:r>')
    doc.add_paragraph()._p.append(box)
    for line in body:
        doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _xml(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_image(all_lines, rng, photo=True):
    """A JPEG of the resume; photo=True tilts it a little and adds grain, like a phone picture of paper."""
    from PIL import Image, ImageDraw, ImageFilter, ImageFont
    font = ImageFont.truetype(FONT, 26)
    image = Image.new("RGB", (1100, 60 + 44 * len(all_lines)), (250, 250, 246))
    draw = ImageDraw.Draw(image)
    for n, line in enumerate(all_lines):
        draw.text((40, 30 + 44 * n), line, font=font, fill=(20, 20, 20))
    if photo:
        image = image.rotate(rng.uniform(-1.5, 1.5), expand=True, fillcolor=(235, 235, 230))
        image = image.filter(ImageFilter.GaussianBlur(0.6))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def to_scanned_pdf(all_lines, rng):
    """A PDF with no text layer: one page image (what a scanner makes)."""
    from fpdf import FPDF
    pdf = FPDF()
    pdf.add_page()
    pdf.image(io.BytesIO(to_image(all_lines, rng, photo=False)), x=5, y=5, w=200)
    return bytes(pdf.output())


def generate(n, seed=11, mix=("pdf", "docx", "image")):
    """Yield (profile, kind, file bytes) for n applicants, kinds taken round-robin from mix."""
    rng = random.Random(seed)
    for i in range(n):
        p = profile(i, rng)
        head, body = lines(p, rng)
        kind = mix[i % len(mix)]
        if kind == "pdf":
            data = to_pdf(head + body)
        elif kind == "docx":
            data = to_docx(head, body)
        elif kind == "scan":
            data = to_scanned_pdf(head + body, rng)
        else:
            data = to_image(head + body, rng)
        yield p, kind, data
