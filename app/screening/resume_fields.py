"""Fields from resume text: name, phone, email, city, education, work history (with total years), skills.

Rules over the normalised text (resume_files.normalise). Dates such as "2019.07-至今", "2016年9月-2019年6月" or
"2018/03 ~ 2020/12" become month ranges; "至今" ends at `today`, so a parse is reproducible when today is given.
A year without its month ("2019-2024", "2019年-2024年", "2019至今") is read as its middle, July: a range of two
bare years is as many years as their difference. Not an entry's dates: a year range followed by a word
("2019-2024年度优秀员工", "2019-2021年间"), or by a 年 the start year lacks with more of the line after it
("2023-2025 年 618 大促期间…"; "某公司 2019-2024年" at the line's end is dates), numbers joined to other digits
(phone numbers), an end year before the start year, a month over 12.
"""
import datetime as dt
import re

from app.screening import skills
from app.screening.clauses import negated

PARSER_RULES = "resume-rules-4"   # 3: work entries' vectors for screening (roles.py); 4: year-only ranges


def parser_version():
    """The rules' version plus the phrase table's: a change of either re-parses ("re-parse all")."""
    return f"{PARSER_RULES}+{skills.dictionary_version()}"

PHONE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d[- ]?\d{4}[- ]?\d{4})(?!\d)")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_YEAR, _HAN = r"(?:19|20)\d{2}", r"[\u4e00-\u9fa5]"
_MONTH = r"\s*[.\-/年]\s*(?P<{}>\d{{1,2}})(?!\d)\s*月?"
RANGE = re.compile(
    rf"(?<![\d.\-/])(?P<y1>{_YEAR})(?:{_MONTH.format('m1')}|(?P<n1>\s*年))?\s*(?:-|~|至|到|—)+\s*"
    rf"(?:(?P<now>至今|今|现在|目前|present|now)|(?P<y2>{_YEAR})(?:{_MONTH.format('m2')}(?![\d.\-/]\d)"
    rf"|(?P<n2>\s*年)(?!{_HAN}|\d)|(?!\s*年|{_HAN}|[\d.\-/]\d)))", re.IGNORECASE)
MIDDLE = 7   # the month a year written without one is read as
ENDS = ("", "|", ")", ",", ":", ";")   # what may follow "2019-2024年" when it is an entry's dates (the line's end)
NAME_LABEL = re.compile(r"姓\s*名\s*:?\s*([\u4e00-\u9fa5·]{2,5})")
HAN_NAME = re.compile(r"^([\u4e00-\u9fa5]{2,4})(?:\s|$)")
CITY_LABEL = re.compile(r"(?:现居|所在地|居住地|城市|现居住地|期望城市|工作地点)\s*:?\s*([\u4e00-\u9fa5]{2,4})")
CITIES = ["北京", "上海", "广州", "深圳", "杭州", "南京", "苏州", "成都", "武汉", "西安", "重庆", "天津", "长沙",
          "郑州", "青岛", "厦门", "宁波", "合肥", "济南", "大连", "沈阳", "福州", "东莞", "佛山", "无锡", "昆明"]
DEGREES = ["高中", "中专", "大专", "本科", "硕士", "博士"]
DEGREE_WORDS = {"博士": "博士", "PhD": "博士", "硕士": "硕士", "研究生": "硕士", "MBA": "硕士", "Master": "硕士",
                "本科": "本科", "学士": "本科", "Bachelor": "本科", "大专": "大专", "专科": "大专", "中专": "中专",
                "高中": "高中"}
SCHOOL = re.compile(r"[\u4e00-\u9fa5A-Za-z()]{2,20}(?:大学|学院|学校|University|College)")
STUDY = re.compile(r"本科|硕士|博士|研究生|大专|专科|中专|学士|MBA|Bachelor|Master|PhD")   # not 高中: 高中数学教师
EMPLOYER = re.compile(r"[\u4e00-\u9fa5A-Za-z()]{2,30}(?:公司|集团|银行|研究院|工作室|事务所|Inc\.?|Ltd\.?|Co\.?)")
SECTIONS = {"education": re.compile(r"^(?:教育背景|教育经历|学历|Education)"),
            "work": re.compile(r"^(?:工作经历|工作经验|实习经历|职业经历|Work Experience|Experience)"),
            "projects": re.compile(r"^(?:项目经历|项目经验|Projects?)"),
            "skills": re.compile(r"^(?:专业技能|技能|技能特长|Skills)"),
            "other": re.compile(r"^(?:自我评价|个人简介|求职意向|证书|Summary)")}


def parse(text, today=None):
    """Fields of a resume text (JSON-able)."""
    today = today or dt.date.today()
    lines = text.splitlines()
    sections = _sections(lines)
    education = [_education(line, m) for line in sections["education"] if (m := find_range(line))]
    work = [_work(line, m, today) for line in sections["work"] if (m := find_range(line))]
    if not education and not work:   # no headings: guess each dated line from its words
        for line in lines:
            if m := find_range(line):
                (education.append(_education(line, m)) if schooling(line) else work.append(_work(line, m, today)))
    phone = PHONE.search(text)
    email = EMAIL.search(text)
    return {
        "name": _name(lines),
        "phone": re.sub(r"\D", "", phone.group(1)) if phone else "",
        "email": email.group(0) if email else "",
        "city": _city(text),
        "education": education,
        "highest_degree": _highest(education, text),
        "work": work,
        "total_years": total_years(work),
        "skills": _skills(text),
        "parsed_on": today.isoformat(),   # "至今" ends here (screening reads the entries with this date)
    }


def _sections(lines):
    out = {key: [] for key in SECTIONS}
    out["head"] = []
    current = "head"
    for line in lines:
        for key, pattern in SECTIONS.items():
            if pattern.match(line) and len(line) <= 12:
                current = key
                break
        else:
            out[current].append(line)
    return out


def _name(lines):
    for line in lines[:15]:
        m = NAME_LABEL.search(line)
        if m:
            return m.group(1)
    for line in lines[:3]:
        m = HAN_NAME.match(line)
        if m and m.group(1) not in ("个人简历", "简历", "求职简历"):
            return m.group(1)
    return ""


def _city(text):
    m = CITY_LABEL.search(text)
    if m:
        for city in CITIES:
            if m.group(1).startswith(city):
                return city
    head = text[:300]
    for city in CITIES:
        if city in head:
            return city
    return ""


def _dates(match):
    """((year, month or None), (year, month or None) or None for 至今) of a RANGE match."""
    g = match.groupdict()
    start = (int(g["y1"]), int(g["m1"]) if g["m1"] else None)
    return start, None if g["now"] else (int(g["y2"]), int(g["m2"]) if g["m2"] else None)


def _valid(match, line):
    (y1, m1), end = _dates(match)
    if end is None:
        return m1 is None or 1 <= m1 <= 12
    (y2, m2) = end
    if any(m is not None and not 1 <= m <= 12 for m in (m1, m2)):
        return False
    if m1 is None and not match.group("n1") and match.group("n2") and line[match.end():].strip()[:1] not in ENDS:
        return False   # "2023-2025 年 618 大促期间…": the years of a phrase, not an entry's dates
    return y1 <= y2   # "2024-2019" is no range (a month out of order stays a 0-month entry, as it always was)


def ranges(line):
    """The date ranges of a line that are an entry's dates (RANGE matches that pass `_valid`)."""
    return [m for m in RANGE.finditer(line) if _valid(m, line)]


def find_range(line):
    """The line's first date range (a RANGE match), or None."""
    return next(iter(ranges(line)), None)


def without_ranges(line):
    """The line with its date ranges blanked (an entry's title)."""
    for m in reversed(ranges(line)):
        line = line[:m.start()] + " " + line[m.end():]
    return line


def schooling(line):
    """A dated line outside any heading is education when it names a school or a degree ("2015-2019 某大学 本科")."""
    return bool(SCHOOL.search(line) or STUDY.search(line))


def month_range(match, today):
    """(start, end) as (year, month) pairs from a RANGE match; a year without its month is its middle (MIDDLE)."""
    (y1, m1), end = _dates(match)
    return (y1, m1 or MIDDLE), (today.year, today.month) if end is None else (end[0], end[1] or MIDDLE)


def _fmt(ym):
    return f"{ym[0]:04d}-{ym[1]:02d}"


def _written(ym):
    """A range's end as the resume writes it: "2019-03", or "2019" when it gives no month."""
    return "至今" if ym is None else f"{ym[0]:04d}" if ym[1] is None else _fmt(ym)


def _written_range(match):
    """{"start", "end"} as the resume writes them (a RANGE match)."""
    start, end = _dates(match)
    return {"start": _written(start), "end": _written(end)}


def _rest(line, match):
    return " ".join((line[:match.start()] + " " + line[match.end():]).replace("|", " ").split())


def _education(line, m):
    rest = _rest(line, m)
    school = SCHOOL.search(rest)
    degree = next((DEGREE_WORDS[w] for w in DEGREE_WORDS if w in rest), "")
    major = rest
    for part in (school.group(0) if school else "", *DEGREE_WORDS):
        major = major.replace(part, " ") if part else major
    return {"school": school.group(0) if school else "", "degree": degree, "major": " ".join(major.split())[:40],
            **_written_range(m), "text": line}


def _work(line, m, today):
    start, end = month_range(m, today)
    rest = _rest(line, m)
    employer = EMPLOYER.search(rest)
    title = rest.replace(employer.group(0), " ") if employer else rest
    return {"employer": employer.group(0) if employer else "", "title": " ".join(title.split())[:40],
            **_written_range(m), "start_month": _fmt(start), "end_month": _fmt(end),
            "months": max(0, (end[0] - start[0]) * 12 + end[1] - start[1]), "text": line}


def total_years(work):
    """Years covered by work ranges, overlaps counted once, to one decimal."""
    spans = [(tuple(int(x) for x in w.get("start_month", w["start"]).split("-")),
              tuple(int(x) for x in w["end_month"].split("-"))) for w in work]
    return round(union_months(spans) / 12, 1)


def union_months(spans):
    """Months covered by ((year, month), (year, month)) spans, overlaps counted once."""
    months, last_end = 0, None
    for s, e in sorted((b[0] * 12 + b[1], e[0] * 12 + e[1]) for b, e in spans):
        if last_end is not None and s < last_end:
            s = last_end
        if e > s:
            months += e - s
            last_end = e if last_end is None else max(last_end, e)
    return months


def _highest(education, text):
    found = [e["degree"] for e in education if e["degree"]]
    if not found:
        found = [DEGREE_WORDS[w] for w in DEGREE_WORDS if w in text]
    return max(found, key=DEGREES.index) if found else ""


def _skills(text):
    """Concepts the resume claims: at least one mention outside a negated clause ("没有使用过 Go" is no claim)."""
    return [c for c in skills.concepts() if any(not negated(text, s, e) for s, e, _ in skills.find(text, c))]
