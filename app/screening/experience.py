"""How strongly a resume evidences a requirement, and its years of experience.

The resume is cut into blocks: dated work entries and project entries (each with its lines), the skills list, the
self-description, education, the head. A requirement used in a work or project entry counts most, more when the
entry is long and recent; a project that names it without saying what the candidate did counts less; a name only
in the skills list or the self-description is "仅在技能列表中出现，未见使用经历": uncertain, small credit.
Proficiency words lower it ("了解", "仅了解 / 听说过"); a negated mention ("未使用过") is no match. Concepts with
figures in the phrase table are also evidenced by them ("峰值 QPS 3 万" for 高并发), the sentence as evidence.
"""
import re
from dataclasses import dataclass

from app.screening import clauses, phrases, skills
from app.screening.resume_fields import find_range, month_range, schooling, union_months, without_ranges

HEADINGS = [
    ("education", r"教育背景|教育经历|学习经历|学历|Education"),
    ("work", r"工作经历|工作经验|实习经历|职业经历|工作履历|Work Experience|Experience"),
    ("projects", r"项目经历|项目经验|主要项目|项目|Projects?"),
    ("skills", r"专业技能|技能特长|技能清单|个人技能|技术栈|掌握技能|技术能力|专业能力|技能|证书|语言能力|Skills"),
    ("summary", r"自我评价|个人简介|个人优势|自我描述|个人总结|关于我|求职意向|兴趣爱好|Summary"),
]
HEADING = [(kind, re.compile(rf"^[【\[]?\s*(?:{words})\s*[】\]]?\s*(?:[:：]|$)")) for kind, words in HEADINGS]
ROLE = re.compile(r"担任|角色|职责|负责|主导|独立完成|我的工作|本人|参与|开发|设计|实现|搭建|落地|推动|带领")
TITLE_LINE = re.compile(r"工程师|经理|主管|专员|总监|助理|顾问|设计师|分析师|开发|店长|教师|老师|销售|运营|会计|"
                        r"实习|负责人|架构师|代表|组长|主任|程序员")
SENTENCE = re.compile(r"[^。;；!！?？\n]+")

# Credit of the strongest evidence, before proficiency: see the module docstring.
LISTED, MENTIONED, EDUCATION, UNDATED_USE, CREDENTIAL = 0.25, 0.55, 0.4, 0.85, 0.9
DENIED = 0.4   # the most a skill earns when the resume also says it is absent ("没有独立签过百万级项目")
STRENGTH_LABELS = {"used": "经历中使用", "mentioned": "项目中提及(未写本人角色)",
                   "listed": "仅在技能列表中出现，未见使用经历", "education": "教育经历中提及",
                   "credential": "证书/语言等级"}


@dataclass
class Block:
    kind: str            # work / projects / skills / summary / education / head
    start: int
    end: int
    title: str = ""      # the entry's first line without its dates (work and projects)
    months: int | None = None
    ended: tuple | None = None   # (year, month) the entry ended (至今: the parse date)
    began: tuple | None = None
    lines: int = 1


def _heading(line):
    stripped = line.strip()
    for kind, pattern in HEADING:
        m = pattern.match(stripped)
        if m and (len(stripped) <= 12 or stripped[m.end() - 1:m.end()] in ":："):
            return kind
    return None


def blocks(text, today):
    """The resume's blocks in order; "至今" ends at `today`."""
    out, section, entry, pos, previous, last_line = [], "head", None, 0, None, None
    for line in text.splitlines(keepends=True):
        start, end = pos, pos + len(line)
        pos = end
        stripped = line.strip()
        if not stripped:
            continue
        line_before, last_line = last_line, start
        kind = _heading(stripped)
        if kind:
            section, entry = kind, None
            if len(stripped) <= 12 and not re.search(r"[:：]\s*\S", stripped):
                previous = None
                continue
        m = find_range(stripped)
        dated = m is not None and not (section == "education" or (section == "head" and schooling(stripped)))
        starts_entry = section in ("work", "projects", "head") and (
            dated or (section == "projects" and re.match(r"(?:项目名称|项目)\s*[:：]", stripped)))
        if starts_entry:
            title = stripped
            bare = dated and len(re.sub(r"[\s|·•,，]", "", stripped[:m.start()] + stripped[m.end():])) < 2
            if bare and previous is not None and previous.kind == section and previous.end == start \
                    and previous.months is None and previous is not entry:
                start, title = previous.start, text[previous.start:previous.end].strip() + " " + stripped
                out.remove(previous)     # "公司 职位" on one line, its dates on the next
            elif bare and entry is not None and entry.end == start and line_before is not None \
                    and line_before > entry.start:
                title = text[line_before:start].strip() + " " + stripped   # the same after an earlier entry
                start, entry.end = line_before, line_before
            entry = Block("work" if section == "head" else section, start, end, title=_without_dates(title))
            if dated:
                began, ended = month_range(m, today)
                entry.began, entry.ended = began, ended
                entry.months = max(0, (ended[0] - began[0]) * 12 + ended[1] - began[1])
            out.append(entry)
            previous = entry
        elif entry is not None and section in ("work", "projects", "head"):
            if entry.lines == 1 and len(stripped) <= 16 and TITLE_LINE.search(stripped) \
                    and not re.search(r"[,，。;；:：]", stripped):
                entry.title = f"{entry.title} {stripped}"[:60]   # "2020.01-至今 某公司" then "后端开发工程师"
            entry.end, entry.lines = end, entry.lines + 1
            previous = entry
        else:
            previous = Block(section if section != "head" else "head", start, end)
            if out and out[-1].kind == previous.kind and out[-1].end == start and out[-1].title == "":
                out[-1].end = end
                previous = out[-1]
            else:
                out.append(previous)
    return out


def _without_dates(line):
    return " ".join(without_ranges(line).replace("|", " ").split())[:60]


def block_at(profile, offset):
    for block in profile:
        if block.start <= offset < block.end:
            return block
    return None


def _months_ago(block, today):
    return max(0, (today.year - block.ended[0]) * 12 + today.month - block.ended[1])


def strength(text, block, today):
    """(strength, credit) of a mention in this block, before proficiency."""
    if block is None or block.kind in ("skills", "summary", "head"):
        return "listed", LISTED
    if block.kind == "education":
        return "education", EDUCATION
    body = text[block.start:block.end]
    if block.kind == "projects" and not ROLE.search(body):
        return "mentioned", MENTIONED
    if block.months is None:
        return "used", UNDATED_USE
    duration = 0.8 + 0.2 * min(block.months, 36) / 36
    ago = _months_ago(block, today)
    recency = 1.0 if ago <= 24 else max(0.75, 1 - (ago - 24) / 240)
    return "used", round(duration * recency, 3)


def _sentence(text, start, end):
    s = max(text.rfind(ch, 0, start) for ch in "。;；!！?？\n") + 1
    ends = [i for i in (text.find(ch, end) for ch in "。;；!！?？\n") if i >= 0]
    e = min(ends) if ends else len(text)
    return s, e


def evidence(text, profile, concept, today):
    """The strongest evidence of `concept` (its synonyms, instances and figures) as a dict, or None.

    {"credit", "strength", "term", "start", "end", "months", "negated"}; "negated" when every mention is negated."""
    best, negated_hit, used_months = None, None, []
    for term_concept in skills.narrower(concept):
        mentions = [(s, e, t, False) for s, e, t in skills.find(text, term_concept)]
        mentions += [(s, e, t, True) for s, e, t in skills.figures(text, term_concept)]
        for start, end, term, figure in mentions:
            if not figure and clauses.negated(text, start, end):
                negated_hit = negated_hit or {"start": start, "end": end, "term": term, "concept": term_concept}
                continue
            block = block_at(profile, start)
            kind, credit = strength(text, block, today)
            if skills.credential(term_concept) and kind in ("listed", "education", "mentioned"):
                kind, credit = "credential", CREDENTIAL
            factor, word = (1.0, "") if figure else clauses.proficiency(text, start, end)
            credit = round(credit * factor, 3)
            if kind == "used" and block.months is not None and factor >= 0.9:
                used_months.append((block.began, block.ended))
            found = {"credit": credit, "strength": kind, "term": term, "start": start, "end": end,
                     "figure": figure, "proficiency": word, "concept": term_concept,
                     "block": block.title if block is not None else "",
                     "ended": f"{block.ended[0]:04d}-{block.ended[1]:02d}" if block is not None and block.ended else ""}
            if best is None or credit > best["credit"]:
                best = found
    if best is None:
        return {"negated": True, **negated_hit} if negated_hit else None
    if negated_hit and negated_hit["concept"] in (concept, best["concept"]) and best["credit"] > DENIED:
        best["credit"], best["denied"] = DENIED, negated_hit["term"]   # "还没有独立签过百万级项目" outweighs
    best["months"] = union_months(used_months)
    if best["figure"]:
        best["start"], best["end"] = _sentence(text, best["start"], best["end"])
    return best


def family_of(title, family="", requirements=""):
    """The phrase table's job family for a job: by title words, then the template's family, then the terms."""
    families = phrases.table()["families"]
    for name, entry in families.items():
        if any(t.lower() in (title or "").lower() for t in entry["titles"]):
            return name
    if family in families:
        return family
    counts = {name: sum(t in (requirements or "") for t in e["terms"]) for name, e in families.items()}
    best = max(sorted(counts), key=counts.get, default=None)
    return best if best and counts[best] >= 3 else None


# Title words every family shares ("经理" in 财务经理 and 销售经理): not evidence that a role is the job's.
GENERIC_TITLE = re.compile(r"经理|主管|专员|总监|助理|工程|程师|高级|资深|初级|中级|负责|责人|组长|主任|实习|岗位|人员")


def _bigrams(text):
    words = re.findall(r"[A-Za-z][A-Za-z0-9+#]+|[\u4e00-\u9fa5]+", text or "")
    grams = {w.lower() for w in words if w.isascii()}
    grams |= {w[i:i + 2] for w in words if not w.isascii() for i in range(len(w) - 1)}
    return {g for g in grams if not GENERIC_TITLE.fullmatch(g)}


def job_words(title, criteria):
    """What a role must share with the job to count as relevant when the phrase table knows no family for it: the
    job title's character pairs (less the generic ones) and the terms of its skill criteria (synonyms included)."""
    terms = set()
    for c in criteria:
        if c.get("type") == "skill" and c.get("kind") in ("must", "nice"):
            for concept in c["value"]:
                for name in skills.narrower(concept):
                    terms.add(name)
                    terms.update(skills.concepts().get(name, ((), ()))[0])
    return {"title": sorted(_bigrams(title)), "terms": sorted(t for t in terms if len(t) >= 2)}


def relevant(text, block, family, job=None):
    """Whether a work entry belongs to the job: its title shares a word with the job title (less generic ones),
    or its text names two of the job's own terms; or, for a family in the phrase table, its title has one of the
    family's title words or its text two of the family's terms."""
    body = text[block.start:block.end].lower()
    if job and (_bigrams(block.title) & set(job["title"]) or sum(t.lower() in body for t in job["terms"]) >= 2):
        return True
    entry = phrases.table()["families"].get(family)
    if entry is None:
        return not job
    if any(t.lower() in block.title.lower() for t in entry["titles"]):
        return True
    return sum(t.lower() in body for t in entry["terms"]) >= 2


def dated_work(profile):
    """The work entries with a date range (what years of experience are counted from)."""
    return [b for b in profile if b.kind == "work" and b.months is not None]


def years(text, profile, family=None, job=None, similar=None, at=None):
    """(total years, relevant years) from the work entries' date ranges, overlaps once, to one decimal. With
    `similar` ({entry start: similarity to the job by meaning}, roles.py) an entry at or above `at` is relevant
    too, whatever words it uses."""
    work = dated_work(profile)
    total = union_months([(b.began, b.ended) for b in work])
    rel = union_months([(b.began, b.ended) for b in work if relevant(text, b, family, job)
                        or (similar and similar.get(b.start, -1.0) >= at)])
    return round(total / 12, 1), round(rel / 12, 1)


def similar_years(profile, similar, at):
    """Years of the dated work entries at or above `at` by meaning (overlaps once), to one decimal, and those
    entries, closest first."""
    work = [b for b in dated_work(profile) if similar.get(b.start, -1.0) >= at]
    return (round(union_months([(b.began, b.ended) for b in work]) / 12, 1),
            sorted(work, key=lambda b: -similar[b.start]))


def entries_text(text, profile):
    """The text of the work and project entries (what relevance reads)."""
    return "\n".join(text[b.start:b.end] for b in profile if b.kind in ("work", "projects"))
