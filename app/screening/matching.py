"""Judge a parsed resume against a job's criteria: matched / missing / uncertain, each with its evidence, its
strength and a credit (0-1) the score adds up.

Skills match through the phrase table (skills.py): "PG" satisfies "PostgreSQL", "Kafka" satisfies "消息队列",
"峰值 QPS 3 万" satisfies 高并发. How much a match counts depends on where the resume says it (experience.py): used
in a dated work or project entry (longer and more recent counts more) > named in a project without the
candidate's role > only in the skills list or self-description ("仅在技能列表中出现，未见使用经历": uncertain, small
credit); "了解" / "仅了解" lower it; a negated mention ("没有使用过 Kafka") is no match. A skill the table cannot
find is looked for by meaning (sentence similarity, "uncertain"). Must-haves weigh 3, nice-to-haves 1; knockout
questions add nothing to the score, they only flag. The screening score never rejects anyone by itself.
"""
import datetime as dt

from app.screening import experience, roles, skills
from app.screening.clauses import negated  # noqa: F401 - the negation rule's public name for callers
from app.screening.criteria import DEGREES, label

SCREENER_RULES = "screen-4"
WEIGHTS = {"must": 3, "nice": 1, "knockout": 0}
VALUE = {"matched": 1.0, "uncertain": 0.5, "missing": 0.0}   # rows stored before credits existed
SIMILAR = 0.55          # sentence similarity above which a sentence is offered as evidence ("uncertain")
RELEVANCE_SHARE = 0.1   # share of the BM25 relevance of the resume's experience in the final score
SIBLING, SEMANTIC = 0.3, 0.3
# How strong a skill's evidence is, as the workbench shows it beside the evidence span (rows stored before: none).
STRENGTHS = {"used": "经历中使用", "mentioned": "项目提及(未写角色)", "listed": "仅技能列表", "education": "教育经历",
             "negated": "否定", "related": "相近技能", "similar": "语义相近", "credential": "证书"}
# Chosen on the labelled resume set: shipped = the best mean Spearman on the five jobs the rules were tuned on
# (bench/screening_set.shipped_choice); the bench also re-chooses them leave-one-job-out and reports each fold's:
YEARS_GATE = 0.5       # the score's factor when a must-have years criterion is not met
SENIORITY = 0.3        # share of the score from how far the must-have years are exceeded
STUFFED = 1.0          # factor of a listed-only credit when the resume is a stuffed list (stuffed_list)
MATCHED_AT = 0.5        # a credit at or above this, from used or mentioned experience, is "matched"
EXPERIENCE = 0.3       # share of the score from role years (work entries close to the job by meaning, roles.py)
EXPERIENCE_CAP = 4.0   # role years count up to this many times the must-have years


def screener_version():
    return f"{SCREENER_RULES}+{skills.dictionary_version()}"


def read(text, today=None):
    """What judging needs from a resume text once: its blocks, and the parse date ("至今")."""
    today = today or dt.date.today()
    return {"today": today, "blocks": experience.blocks(text, today)}


SENTENCE_MARKS = "。；;！!？?\n"
CLAUSE_MARKS = "，,"


def _span(text, start, end, pad=18):
    """The evidence: the mention with up to `pad` characters of its own clause each side, and its offsets in the raw
    text. The context stops at the nearest clause or sentence mark; where none is that close, it is cut between
    words (never inside a Latin word or a number) and "…" says the sentence goes on."""
    if pad <= 0:
        return {"text": text[start:end].replace("\n", " "), "start": start, "end": end}
    s, lead = _left_bound(text, start, pad)
    e, trail = _right_bound(text, end, pad)
    return {"text": lead + text[s:e].replace("\n", " ").strip() + trail, "start": start, "end": end}


def _latin(text, i):
    return 0 <= i < len(text) and text[i].isascii() and text[i].isalnum()


def _left_bound(text, start, pad):
    lower = max(0, start - pad)
    for marks in (SENTENCE_MARKS, CLAUSE_MARKS):
        at = max(text.rfind(m, lower, start) for m in marks)
        if at >= 0:
            return at + 1, ""
    s = lower
    while s < start and _latin(text, s - 1) and _latin(text, s):
        s += 1
    return s, ("…" if s > 0 else "")


def _right_bound(text, end, pad):
    upper = min(len(text), end + pad)
    for marks in (SENTENCE_MARKS, CLAUSE_MARKS):
        found = [i for i in (text.find(m, end, upper) for m in marks) if i >= 0]
        if found:
            return min(found), ""
    e = upper
    while e > end and _latin(text, e - 1) and _latin(text, e):
        e -= 1
    return e, ("…" if e < len(text) else "")


def _why(found, concept):
    term = f"「{found['term']}」" + ("" if found["concept"] == concept else f"(属于{concept})")
    if found["figure"]:
        term = f"数字体现{concept}:「{found['term']}」"
    if found["strength"] == "listed":
        return f"仅在技能列表中出现，未见使用经历:{term}"
    parts = [f"{experience.STRENGTH_LABELS[found['strength']]}:{term}"]
    if found["block"]:
        parts.append(f"见「{found['block'][:30]}」")
    if found["months"]:
        parts.append(f"使用约 {found['months'] / 12:.1f} 年")
    if found["ended"] and found["strength"] == "used":
        parts.append(f"至 {found['ended']}")
    if found["proficiency"] in ("了解", "仅了解"):
        parts.append(f"自述「{found['proficiency']}」,降低")
    if found.get("denied"):
        parts.append(f"但简历也说没有「{found['denied']}」,请人工判断")
    return ",".join(parts)


def judge_skill(text, concepts, semantic=None, reading=None):
    """(verdict, evidence, why, strength, credit) of an any-of skill criterion."""
    reading = reading or read(text)
    best, refused = None, None
    for concept in concepts:
        found = experience.evidence(text, reading["blocks"], concept, reading["today"])
        if found and found.get("negated"):
            refused = refused or found
        elif found and (best is None or found["credit"] > best[0]["credit"]):
            best = (found, concept)
    if best:
        found, concept = best
        matched = found["credit"] >= MATCHED_AT and found["strength"] != "listed"
        span = (_span(text, found["start"], found["end"], pad=0) if found["figure"]
                else _span(text, found["start"], found["end"]))
        return ("matched" if matched else "uncertain", span, _why(found, concept), found["strength"],
                found["credit"])
    if refused:
        return ("missing", _span(text, refused["start"], refused["end"]), f"简历说没有「{refused['term']}」经验 (否定)",
                "negated", 0.0)
    for concept in concepts:
        for sibling in skills.siblings(concept):
            live = [h for h in skills.find(text, sibling) if not negated(text, h[0], h[1])]
            if live:
                start, end, term = live[0]
                return "uncertain", _span(text, start, end), f"有相近技能「{term}」,请人工判断", "related", SIBLING
    if semantic:
        found = semantic(" ".join(concepts))
        if found:
            score, start, end = found
            return ("uncertain", _span(text, start, end, pad=0), f"语义相近 (相似度 {score:.2f}),请人工判断",
                    "similar", SEMANTIC)
    return "missing", None, "简历未提到", "", 0.0


def _years(criterion, text, reading):
    """(verdict, why, credit, years, role years, closest role) of a years criterion."""
    work = experience.dated_work(reading["blocks"])   # the entries both counts of years read
    if not work:
        return "uncertain", "未读到带日期的工作经历", 0.3, None, None, None
    value, similar = criterion["value"], reading.get("similar")
    total, relevant = experience.years(text, work, criterion.get("family"), criterion.get("job"), similar,
                                       roles.ROLE_SIMILAR)
    role_years, roles_ = experience.similar_years(work, similar or {}, roles.ROLE_SIMILAR)
    have = relevant if criterion["type"] == "relevant_years" else total
    what = "相关经验" if criterion["type"] == "relevant_years" else "工作"
    why = f"{what}约 {have} 年 (要求 {value} 年以上;工作共约 {total} 年,相关约 {relevant} 年)"
    if similar is not None:
        why += (f";按经历内容与岗位相近的约 {role_years} 年,最相近「{roles_[0].title[:24]}」"
                f"(相似度 {similar[roles_[0].start]:.2f})" if roles_ else ";没有经历内容与岗位相近")
    closest = roles_[0] if roles_ else None
    if have >= value:
        return "matched", why, 1.0, have, role_years, closest
    return "missing", why, round(0.6 * have / value, 3) if value else 0.0, have, role_years, closest


def _major(criterion, fields):
    wanted = [w for w in criterion["value"] if w != "相关专业"]
    related = "相关专业" in criterion["value"]
    majors = [e.get("major") or "" for e in fields.get("education") or [] if e.get("major")]
    if not majors:
        return "uncertain", "未读到专业", 0.5
    table = experience.phrases.table()["majors"]
    for major in majors:   # "护理" for "护理学": either name inside the other (two characters at least)
        if any(w in major or (len(major) >= 2 and major in w) for w in wanted):
            return "matched", f"专业 {major}", 1.0
    for major in majors:
        if related and any(r in major for w in wanted for r in table.get(w, [])):
            return "matched", f"专业 {major}(相关专业)", 0.85
    return "missing", f"专业 {'、'.join(majors)}", 0.0


def judge(criterion, text, fields, answers=None, semantic=None, reading=None):
    """One verdict: {"id", "kind", "type", "label", "verdict", "evidence", "why", "strength", "credit"}."""
    kind_type, value = criterion["type"], criterion["value"]
    evidence, strength, credit, years, role_years = None, "", None, None, None
    if kind_type == "skill":
        verdict, evidence, why, strength, credit = judge_skill(text, value, semantic, reading or read(text))
    elif kind_type in ("years", "relevant_years"):
        verdict, why, credit, years, role_years, closest = _years(criterion, text, reading or read(text))
        work = fields.get("work") or []
        evidence = (_span(text, closest.start, min(closest.end, closest.start + 60), pad=0) if closest
                    else _line_evidence(text, work[0]["text"]) if work else None)
    elif kind_type == "degree":
        have = fields.get("highest_degree") or ""
        if not have:
            verdict, why = "uncertain", "未读到学历"
        else:
            verdict = "matched" if DEGREES.index(have) >= DEGREES.index(value) else "missing"
            why = f"最高学历 {have}"
            edu = next((e for e in fields.get("education") or [] if e["degree"] == have), None)
            evidence = _line_evidence(text, edu["text"]) if edu else None
    elif kind_type == "major":
        verdict, why, credit = _major(criterion, fields)
        edu = (fields.get("education") or [None])[0]
        evidence = _line_evidence(text, edu["text"]) if edu else None
    elif kind_type == "city":
        city = fields.get("city") or ""
        if city == value or (not city and value in text):
            verdict, why = "matched", f"所在城市 {value}"
        elif city:
            verdict, why = "missing", f"所在城市 {city}"
        else:
            verdict, why = "uncertain", "未读到所在城市"
    elif kind_type == "answer":
        answer = (answers or {}).get(value["question"] if isinstance(value, dict) else value)
        accept = criterion.get("accept") or []
        if answer is None:
            verdict, why = "uncertain", "未回答"
        else:
            verdict = "matched" if answer in accept else "missing"
            why = f"回答「{answer}」"
    else:  # free text
        found = semantic(value) if semantic else None
        if found:
            score, start, end = found
            verdict, evidence, why = "uncertain", _span(text, start, end, pad=0), f"语义相近 (相似度 {score:.2f})"
        else:
            verdict, why = "missing", "简历未找到相关内容"
    out = {"id": criterion["id"], "kind": criterion["kind"], "type": kind_type, "label": criterion.get("label")
           or label(criterion), "verdict": verdict, "evidence": evidence, "why": why, "strength": strength,
           "credit": VALUE[verdict] if credit is None else credit}
    if years is not None:
        out["years"], out["required"] = years, value
        if role_years is not None and (reading or {}).get("similar") is not None:
            out["role_years"] = role_years
    return out


def _line_evidence(text, line):
    start = text.find(line)
    return {"text": line, "start": start, "end": start + len(line)} if start >= 0 else {"text": line}


def credit_of(verdict):
    """A verdict's credit (rows stored before credits existed: from the verdict alone)."""
    credit = verdict.get("credit")
    return VALUE[verdict["verdict"]] if credit is None else credit


def depth(verdicts):
    """0-1: how far the must-have years are exceeded (1 at twice the requirement); None without such a criterion."""
    ratios = [min(1.0, v["years"] / (2 * v["required"])) for v in verdicts if v["kind"] == "must"
              and v.get("years") is not None and v.get("required")]
    return min(ratios) if ratios else None


def stuffed_list(verdicts):
    """A stuffed list: the skills list names at least half of the must-have skills while the work and project
    entries evidence at most one of them (whatever the family: no word of the phrase table is read)."""
    skills_ = [v for v in verdicts if v["kind"] == "must" and v.get("type") == "skill"]
    listed = sum(v.get("strength") == "listed" for v in skills_)
    used = sum(v.get("strength") in ("used", "mentioned") for v in skills_)
    return len(skills_) >= 3 and 2 * listed >= len(skills_) and used <= 1


def role_depth(verdicts, cap=None):
    """0-1: the role years (entries close to the job by meaning) of the first must-have years criterion, over
    EXPERIENCE_CAP times its requirement; None for rows without role years."""
    cap = EXPERIENCE_CAP if cap is None else cap
    for v in verdicts:
        if v.get("kind") == "must" and v.get("role_years") is not None and v.get("required"):
            return min(1.0, v["role_years"] / (cap * v["required"]))
    return None


def score(verdicts, relevance=None, years_gate=None, seniority=None, stuffed_factor=None, experience_share=None,
          cap=None):
    """0-100: weighted credits (a stuffed list's listed-only credits times STUFFED); times YEARS_GATE when a
    must-have years criterion is missed; SENIORITY of it from the years' depth; a small share of experience
    relevance (0-1) when given; then EXPERIENCE of the whole from the role years (role_depth)."""
    share = EXPERIENCE if experience_share is None else experience_share
    plain = _score(verdicts, relevance, years_gate, seniority, stuffed_factor)
    roles_ = role_depth(verdicts, cap)
    if roles_ is None or not share:
        return plain
    return round((1 - share) * plain + share * 100 * roles_, 1)


def _score(verdicts, relevance, years_gate, seniority, stuffed_factor):
    years_gate = YEARS_GATE if years_gate is None else years_gate
    seniority = SENIORITY if seniority is None else seniority
    factor = (STUFFED if stuffed_factor is None else stuffed_factor) if stuffed_list(verdicts) else 1.0
    weighted = [(WEIGHTS[v["kind"]], credit_of(v) * (factor if v.get("strength") == "listed" else 1))
                for v in verdicts if WEIGHTS.get(v["kind"])]
    total = sum(w for w, _ in weighted)
    base = 100 * sum(w * x for w, x in weighted) / total if total else None
    if base is not None and any(v["kind"] == "must" and v["type"] in ("years", "relevant_years")
                                and v["verdict"] == "missing" for v in verdicts if "type" in v):
        base *= years_gate   # short of the required years: a recruiter rarely interviews, whatever the skills
    deep = depth(verdicts) if base is not None else None
    if deep is not None:
        base = (1 - seniority) * base + seniority * 100 * deep
    if relevance is None:
        return round(base or 0.0, 1)
    if base is None:
        return round(100 * relevance, 1)
    return round((1 - RELEVANCE_SHARE) * base + RELEVANCE_SHARE * 100 * relevance, 1)


def failed_knockout(verdict):
    """A knockout question answered outside its accepted answers (whatever kind HR gave its criterion line)."""
    return verdict["type"] == "answer" and verdict["verdict"] == "missing"


def summary(verdicts):
    """Counts for the list: must-haves met, knockouts failed."""
    must = [v for v in verdicts if v["kind"] == "must"]
    return {"must_met": sum(v["verdict"] == "matched" for v in must), "must_total": len(must),
            "knockout_failed": [v["id"] for v in verdicts if failed_knockout(v)],
            "uncertain": sum(v["verdict"] == "uncertain" for v in verdicts)}
