"""Criteria suggested from a job's requirements text (HR reviews and edits them in the job editor).

Every requirement line yields criteria or is kept as "未能解析" for HR. Read per clause:
- years in Chinese or Arabic numerals and ranges ("三年以上", "3-5年", "五年及以上", "两年+"), total
  ("工作经验") or relevant ("后端开发经验": years in roles of the job's family);
- degrees ("本科及以上", "硕士优先"); majors ("计算机或相关专业");
- skills from the phrase table; names joined by "/" or "或" (or "A、B 或 C", "…之一") form one any-of group;
- "了解 …" and clauses saying "优先 / 加分 / 更佳" are nice-to-have; the job's city is a nice-to-have.
"""
import re

from app.screening import skills
from app.screening.criteria import UNPARSED

DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
NUM = r"\d{1,2}(?:\.\d)?|[一二两三四五六七八九十]{1,3}|半"
YEARS = re.compile(rf"(?:至少|不少于|满)?\s*({NUM})\s*(?:[-~～至到]\s*({NUM})\s*)?(?:\+\s*)?年"
                   r"\s*(?:及以上|或以上|以上|\+)?")
EXPERIENCE = re.compile(r"经验|经历|从业|工作|以上|\+")
DEGREE = re.compile(r"(高中|中专|大专|专科|本科|学士|硕士|研究生|博士)")
DEGREE_OF = {"专科": "大专", "学士": "本科", "研究生": "硕士"}
NICE = re.compile(r"优先|加分|更佳|最好|者佳|为佳|佳$")
ANY_OF = re.compile(r"之一|任一|其中一|至少一|任意一|均可")
NOT_REQUIRED = re.compile(r"^(?:专业|学历|经验|年龄|性别)?不限")
CLAUSE = re.compile(r"[^,，;；。]+")
NUMBERING = re.compile(r"^\s*(?:\d{1,2}\s*[.、)）]|[（(]\d{1,2}[)）]|[-*•·]|[一二三四五六七八九十]+、)\s*")


def number(text):
    """An Arabic or Chinese numeral (up to 99) as a number; "半" is 0.5."""
    if text == "半":
        return 0.5
    if re.fullmatch(r"\d+(?:\.\d)?", text):
        return float(text) if "." in text else int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (DIGITS.get(tens, 1) if tens else 1) * 10 + (DIGITS.get(ones, 0) if ones else 0)
    return DIGITS.get(text)


def derive(requirements, location=""):
    """Criteria from the requirements text, with the lines that yield none as "未能解析" entries."""
    out, seen = [], set()

    def add(kind, kind_type, value):
        key = (kind_type, str(value))
        if key in seen:
            return True
        if kind == "must" and (kind_type, str(value)) in seen:
            return True
        seen.add(key)
        out.append({"id": f"c{len(out) + 1}", "kind": kind, "type": kind_type, "value": value})
        return True

    for raw in re.split(r"[\n;；]", requirements or ""):
        line = NUMBERING.sub("", raw).strip()
        if not line or NOT_REQUIRED.match(line):
            continue
        found = False
        line_nice = bool(NICE.search(line)) and len(CLAUSE.findall(line)) == 1
        for clause in CLAUSE.findall(line):
            nice = line_nice or bool(NICE.search(clause))
            found |= _years(clause, nice, add)
            found |= _degree(clause, nice, add)
            found |= _major(clause, nice, add)
            clause_found = _skills(clause, nice, add)
            if not (clause_found or _years(clause, nice, lambda *a: True) or DEGREE.search(clause)
                    or "专业" in clause):
                clause_found = _terms(clause, nice, add)   # the job's own words, when the table knows none
            found |= clause_found
        if not found:
            out.append({"id": f"u{len(out) + 1}", "kind": UNPARSED, "type": "text", "value": line})
    if location:
        add("nice", "city", location.strip())
    return out


def _years(clause, nice, add):
    if clause.strip().startswith("其中"):   # "五年以上…,其中两年以上主管经验": the part is judged by its words
        return False
    for m in YEARS.finditer(clause):
        low = number(m.group(1))
        rest = clause[m.end():]
        if low is None or low > 30 or not (EXPERIENCE.search(clause[m.start():]) or "以上" in m.group(0)):
            continue
        what = re.split(r"经验|经历", rest)[0] if re.search(r"经验|经历", rest) else ""
        what = re.sub(r"[的及以上或]|工作|从业|相关工作", "", what).strip()
        before = clause[:m.start()]
        scope = "relevant_years" if what or "相关" in rest[:6] or re.search(r"[\u4e00-\u9fa5A-Za-z]{2,}$",
                                                                          before.strip()) and "工作" not in rest[:4] \
            else "years"
        return add("nice" if nice else "must", scope, low)
    return False


def _degree(clause, nice, add):
    m = DEGREE.search(clause)
    if not m or "专业" in clause[m.end():m.end() + 1]:
        return False
    degree = DEGREE_OF.get(m.group(1), m.group(1))
    return add("nice" if nice or ("以上" not in clause and re.search(r"优先", clause)) else "must", "degree", degree)


def _major(clause, nice, add):
    if "专业" not in clause or "专业不限" in clause:
        return "专业不限" in clause
    head = clause.split("专业")[0]
    head = re.sub(r"(?:全日制|统招)?(?:高中|中专|大专|专科|本科|学士|硕士|研究生|博士)"
                  r"(?:及|或)?(?:以上)?(?:学历)?", " ", head)
    head = re.sub(r"^.*?(?:学历|以上)", " ", head)
    related = "相关" in head
    head = re.sub(r"相关|等|类|方向|以上|及以上|学历|毕业|具有|具备|要求", " ", head)
    majors = [p.strip() for p in re.split(r"[、/或和及与\s]+", head) if len(p.strip()) >= 2]
    majors = [p for p in majors if re.fullmatch(r"[\u4e00-\u9fa5]{2,10}", p)]
    if not majors:
        return False
    return add("nice" if nice else "must", "major", majors + (["相关专业"] if related else []))


def _skills(clause, nice, add):
    firm, _, soft = clause.partition("了解")   # "熟悉 A,了解 B": B is nice to have
    found = False
    for part, kind in ((firm, "nice" if nice else "must"), (soft, "nice")):
        for group in _skill_groups(part):
            found |= add("nice" if all(skills.soft(c) for c in group) else kind, "skill", group)
    return found


# The job's own words as criteria (a family the phrase table does not know): what a clause names once its verbs,
# years, "等…" tail and "经验 / 证书者 / 优先" endings are taken away; "、 和 及" separate required terms,
# "或 /" any-of, and so do the names before "等" (examples).
LEAD = re.compile(r"^(?:其中|熟练掌握|熟练使用|熟练|精通|熟悉|掌握|了解|具备|具有|拥有|持有|取得|有过|有(?!创)|能够|"
                  r"能(?!力)|会用|会使用|可以|善于|擅长|从事过|从事|参与过|参与|负责过|负责|独立|处理|完成|使用|"
                  r"较强的|良好的|一定的|丰富的)+")
TAIL = re.compile(r"(?:相关)?(?:工作)?(?:经验|经历|能力|技能|技术|知识|背景|流程|系统|软件|工具)?(?:者|的人)?"
                  r"(?:优先|加分|更佳|为佳|佳)?$")
FILLER = re.compile(r"^(?:以上|及以上|职称|证书|资格|相关|工作|经验|能力|技术|优先|适应|要求|等|者|良好|较强|一定|岗位|"
                    r"年|以上职称|以上学历)$")
TERM = re.compile(r"[\u4e00-\u9fa5]{2,10}|[A-Za-z][A-Za-z0-9+#.\-]{1,15}")


def _terms(clause, nice, add):
    text = YEARS.sub(" ", clause.strip())
    text, examples, _ = LEAD.sub("", text.strip()).partition("等")
    text = TAIL.sub("", text.strip()).strip()
    groups = []
    if ANY_OF.search(clause) or examples:   # "A、B 等 X": examples of X, any of them
        groups.append([t for t in re.split(r"[、/或和及与\s]+", ANY_OF.sub("", text)) if _term(t)])
    else:
        for part in re.split(r"[、和及与]+", text):
            group = [t.strip() for t in re.split(r"\s*(?:或|/)\s*|\s+(?:or\s+)?", part) if _term(t.strip())]
            if group:
                groups.append(group)
    found = False
    for group in groups:
        if group:
            found |= add("nice" if nice else "must", "skill", list(dict.fromkeys(group)))
    return found


def _term(word):
    return bool(word) and bool(TERM.fullmatch(word)) and not FILLER.match(word)


def _skill_groups(text):
    """Skills named in text; names joined by "/" or "或" form one any-of group ("MySQL/PostgreSQL"), so do all the
    names of "A、B 或 C" and of a clause saying "之一"."""
    hits = sorted((start, end, concept) for concept in skills.concepts()
                  for start, end, _ in skills.find(text, concept) + skills.figures(text, concept))
    hits = [h for h in hits if not any(o[0] <= h[0] and h[1] <= o[1] and o != h for o in hits)]  # longest wins
    if ANY_OF.search(text) and hits:
        return [list(dict.fromkeys(c for _, _, c in hits))]
    groups, seps, last_end = [], [], None
    for start, end, concept in hits:
        sep = text[last_end:start] if last_end is not None else None
        if groups and sep is not None and re.fullmatch(r"\s*(?:/|或|or|、|,|，)\s*", sep):
            groups[-1].append(concept)
            seps[-1].append(sep.strip())
        else:
            groups.append([concept])
            seps.append([])
        last_end = end
    out = []
    for group, joins in zip(groups, seps, strict=True):
        if joins and (all(j in ("/", "或", "or") for j in joins) or joins[-1] in ("或", "or")):
            out.append(list(dict.fromkeys(group)))          # any of
        else:
            out.extend([c] for c in dict.fromkeys(group))   # each required
    # A concept named together with its own instance ("Flask/Django 等 Web 框架") keeps only the concept.
    return [g for g in out if not any(g != o and all(c in skills.narrower(o[0]) for c in g) for o in out)]
