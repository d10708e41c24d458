"""The job editor's form <-> the YAML template dict, so the page and `jobs import/export` share one validation
(job_templates.validate_template) and one shape."""
import json
import re

from app.core.job_template import ANCHOR_MIN_CHARS, ANCHOR_TOO_SHORT
from app.screening import criteria as criteria_text

ANCHOR_LEVELS = (1, 3, 5)   # the editor's example answers per question: 1 不足, 3 达标, 5 突出

# What the editor's page calls a template's path (its field labels, section headings, questions numbered from 1):
# the one mapping from the validation's `where` to the page's words (label()).
LABELS = {"template": "岗位", "title": "岗位名称", "department": "部门", "family": "岗位类别", "location": "工作地点",
          "description": "岗位职责", "requirements": "任职要求", "managers": "用人经理",
          "dimensions": "胜任力模型", "questions": "面试题库", "screening": "简历筛选",
          "screening.auto_invite_at": "简历筛选 · 自动邀请分数", "screening.remind_after_days": "简历筛选 · 提醒天数",
          "screening.criteria": "简历筛选 · 筛选条件", "screening.questions": "简历筛选 · 淘汰问题"}
DIMENSION_FIELDS = {"weight": "权重", "keywords": "关键词", "rubric": "评分要点", "description": "说明"}
QUESTION_FIELDS = {"dimensions": "考察维度", "think_seconds": "思考秒数", "answer_seconds": "作答秒数",
                   "retakes": "可重录次数", "anchors": "示例答案(锚点)"}
_DIMENSION = re.compile(r"dimensions\[(\d+)\](?: \((.+?)\))?(?:\.(\w+))?$")
_QUESTION = re.compile(r"questions\[(\d+)\](?:\.(\w+))?(?:\.([^.]+))?(?:\.(\d+))?$")
_ANCHORS = re.compile(r"questions\[(\d+)\]\.anchors\.[^.]+(?:\.(\d+))?$")


def _split(value, seps=",,、"):
    for sep in seps[1:]:
        value = value.replace(sep, seps[0])
    return [v.strip() for v in value.split(seps[0]) if v.strip()]


def _int(value, default=None):
    value = (value or "").strip()
    try:
        return int(value) if value else default
    except ValueError:
        return value   # validate_template names the field


def label(where, numbers=None):
    """The page's words for a template path: `questions[0].think_seconds` -> 第 1 题 思考秒数,
    `dimensions[0] (语言表达).weight` -> 维度「语言表达」权重; a path the page has no words for stays as it is.
    `numbers`: the page's number of each of the template's questions (question_numbers), when rows were left out."""
    if where in LABELS:
        return LABELS[where]
    m = _DIMENSION.match(where)
    if m and (m.group(3) or "") in {"", *DIMENSION_FIELDS}:
        name = f"维度「{m.group(2)}」" if m.group(2) else f"第 {int(m.group(1)) + 1} 个维度"
        return name + DIMENSION_FIELDS.get(m.group(3) or "", "")
    m = _QUESTION.match(where)
    if m and (m.group(2) or "") in {"", *QUESTION_FIELDS} and (m.group(2) == "anchors" or not m.group(3)):
        index = int(m.group(1))
        number = numbers[index] if numbers and index < len(numbers) else index + 1
        parts = [f"第 {number} 题", QUESTION_FIELDS.get(m.group(2) or "", "")]
        if m.group(3):
            parts[1] += f"「{m.group(3)}」" + (f"{m.group(4)} 级" if m.group(4) else "")
        return " ".join(p for p in parts if p)
    return where


def editor_message(error, form=None):
    """A template refusal as the editor shows it: the field named by label(), then the problem; an error without
    a path (a knockout question line, an answered question) as it is."""
    where, problem = error.details.get("where"), error.details.get("problem")
    if not (where and problem):
        return error.message
    return (form and _shared_anchor_message(where, problem, form)) or \
        f"{label(where, question_numbers(form) if form else None)}: {problem}"


def _shared_anchor_message(where, problem, form):
    """A refusal of the anchors HR typed in a question's three textareas, which stand for every dimension of the
    question: named by the question and the level, not by the one dimension validation happened to check first.
    None for anything else (anchors carried per dimension are named with their dimension by label())."""
    m = _ANCHORS.match(where)
    rows = [i for i, (text, *_) in _question_rows(form) if text.strip()]
    index = int(m.group(1)) if m else len(rows)
    if index >= len(rows):
        return None
    typed = {lv: _nth(form, f"q_a{lv}", rows[index]).strip() for lv in ANCHOR_LEVELS}
    if not any(typed.values()):
        return None
    question = f"第 {question_numbers(form)[index]} 题"
    level = int(m.group(2)) if m.group(2) else None
    if level in typed and problem == ANCHOR_TOO_SHORT:
        return (f"{question} {level} 级示例答案太短(至少 {ANCHOR_MIN_CHARS} 字,现为 {len(typed[level])} 字) "
                f"The level-{level} example answer of question {question_numbers(form)[index]} is too short "
                f"(at least {ANCHOR_MIN_CHARS} characters)")
    return f"{question} {QUESTION_FIELDS['anchors']}: {problem}"


def _question_rows(form):
    return enumerate(zip(form.get("q_text", []), form.get("q_dims", []), form.get("q_think", []),
                         form.get("q_answer", []), form.get("q_retakes", []), strict=False))


def question_numbers(form):
    """The page's number (from 1) of each question to_template keeps: the page shows again, after a refusal, every
    row with a text or a stored question's id (raw_to_form), so an emptied question still counts."""
    numbers, shown = [], 0
    for i, (text, *_) in _question_rows(form):
        if text.strip() or _nth(form, "q_id", i).strip():
            shown += 1
        if text.strip():
            numbers.append(shown)
    return numbers


def question_ids(form):
    """The stored question each kept question of the posted form is (its hidden q_id; None for a new one), in the
    order of to_template's questions; None when the form carries no ids (then questions match by position)."""
    if "q_id" not in form:
        return None
    ids = []
    for i, (text, *_) in _question_rows(form):
        if text.strip():
            value = _nth(form, "q_id", i).strip()
            ids.append(int(value) if value.isdigit() else None)
    return ids


def to_template(form):
    """A template dict from the posted form (`form` maps names to lists of values, as MultiDict.to_dict(False))."""
    one = {k: (v[0] if v else "") for k, v in form.items()}
    dims = []
    for name, weight, description, keywords, rubric in zip(
            form.get("dim_name", []), form.get("dim_weight", []), form.get("dim_description", []),
            form.get("dim_keywords", []), form.get("dim_rubric", []), strict=False):
        if name.strip() or weight.strip():
            dims.append({"name": name.strip(), "weight": _int(weight), "description": description.strip(),
                         "keywords": _split(keywords), "rubric": [r.strip() for r in rubric.splitlines() if r.strip()]})
    questions = []
    for i, (text, dimensions, think, answer, retakes) in _question_rows(form):
        if text.strip():
            question = {"text": text.strip(), "dimensions": _split(dimensions), "think_seconds": _int(think, 30),
                        "answer_seconds": _int(answer, 120), "retakes": _int(retakes, 1)}
            anchors = _anchors(question["dimensions"], {lv: _nth(form, f"q_a{lv}", i) for lv in ANCHOR_LEVELS},
                               _nth(form, "q_anchors", i))
            if anchors:
                question["anchors"] = anchors
            questions.append(question)
    return {
        "title": one.get("title", ""), "department": one.get("department", ""), "family": one.get("family", ""),
        "location": one.get("location", ""),
        "description": one.get("description", ""), "requirements": one.get("requirements", ""),
        "managers": _split(one.get("managers", "")), "use_expressions": one.get("use_expressions") == "yes",
        "identity_by_sms": one.get("identity_by_sms") == "yes",
        "dimensions": dims, "questions": questions,
        "screening": {"criteria": one.get("criteria", ""),
                      "questions": criteria_text.parse_questions(one.get("knockout_questions", "")),
                      "knockout_rejects": one.get("knockout_rejects") == "yes",
                      "auto_invite_at": _int(one.get("auto_invite_at")),
                      "remind_after_days": _int(one.get("remind_after_days"), 3)},
    }


def _nth(form, name, i):
    values = form.get(name) or []
    return values[i] if i < len(values) else ""


def _anchors(dimensions, levels, kept):
    """A question's anchors from the editor: the example answers typed for levels 1, 3 and 5 stand for every
    dimension of the question; with none typed, the anchors the page carried unchanged (`kept`, JSON: a question
    whose dimensions have different anchors, which only YAML edits)."""
    typed = {level: text.strip() for level, text in levels.items() if text.strip()}
    if typed:
        return {name: dict(typed) for name in dimensions}
    try:
        carried = json.loads(kept) if kept.strip() else {}
    except ValueError:
        carried = {}
    if not isinstance(carried, dict):
        return {}
    return {name: {int(k) if str(k).isdigit() else k: v for k, v in (by_level or {}).items()}
            if isinstance(by_level, dict) else by_level for name, by_level in carried.items()}


def _anchor_values(anchors):
    """The editor's fields for a question's anchors: the three textareas when every dimension has the same 1/3/5
    answers (or none), else the anchors carried unchanged in a hidden field."""
    sets = [{str(k): v for k, v in (by_level or {}).items()} for by_level in (anchors or {}).values()]
    editable = all(s == sets[0] for s in sets) and all(set(s) <= {str(lv) for lv in ANCHOR_LEVELS} for s in sets)
    first = sets[0] if sets and editable else {}
    return {**{f"a{lv}": first.get(str(lv), "") for lv in ANCHOR_LEVELS}, "has_anchors": bool(sets),
            "anchors_kept": "" if editable else json.dumps(anchors, ensure_ascii=False),
            "anchors_per_dimension": not editable}


def to_form(tpl):
    """Display values for the editor (strings) from a template dict (a stored job's, a version's, a blank one)."""
    screening = tpl.get("screening") or {}
    criteria = screening.get("criteria") or []
    return {
        **{k: tpl.get(k, "") for k in ("title", "department", "family", "location", "description", "requirements")},
        "managers": ", ".join(tpl.get("managers") or []), "use_expressions": tpl.get("use_expressions", False),
        "identity_by_sms": tpl.get("identity_by_sms", False),
        "dimensions": [{"name": d.get("name", ""), "weight": d.get("weight", ""),
                        "description": d.get("description", ""), "keywords": ", ".join(d.get("keywords") or []),
                        "rubric": "\n".join(d.get("rubric") or [])} for d in tpl.get("dimensions") or []],
        "questions": [{"text": q.get("text", ""), "dimensions": ", ".join(q.get("dimensions") or []),
                       "think_seconds": q.get("think_seconds", 30), "answer_seconds": q.get("answer_seconds", 120),
                       "retakes": q.get("retakes", 1), **_anchor_values(q.get("anchors"))}
                      for q in tpl.get("questions") or []],
        "criteria": criteria if isinstance(criteria, str) else criteria_text.to_text(criteria),
        "knockout_questions": criteria_text.questions_to_text(screening.get("questions") or []),
        "knockout_rejects": screening.get("knockout_rejects", False),
        "auto_invite_at": "" if screening.get("auto_invite_at") is None else screening["auto_invite_at"],
        "remind_after_days": screening.get("remind_after_days", 3),
    }


def raw_to_form(form):
    """Display values straight from a posted form, unparsed, to show it again with its error."""
    one = {k: (v[0] if v else "") for k, v in form.items()}
    dims = [dict(zip(("name", "weight", "description", "keywords", "rubric"), row, strict=True)) for row in zip(
        *(form.get(f"dim_{k}", []) for k in ("name", "weight", "description", "keywords", "rubric")), strict=False)]
    questions = [dict(zip(("text", "dimensions", "think_seconds", "answer_seconds", "retakes"), row, strict=True),
                      **{f"a{lv}": _nth(form, f"q_a{lv}", i) for lv in ANCHOR_LEVELS}, id=_nth(form, "q_id", i),
                      anchors_kept=_nth(form, "q_anchors", i), anchors_per_dimension=bool(_nth(form, "q_anchors", i)))
                 for i, row in enumerate(zip(*(form.get(f"q_{k}", []) for k in ("text", "dims", "think", "answer",
                                                                                 "retakes")), strict=False))]
    return {**{k: one.get(k, "") for k in ("title", "department", "family", "location", "description", "requirements",
                                           "managers", "criteria", "knockout_questions", "auto_invite_at",
                                           "remind_after_days", "note")},
            "use_expressions": one.get("use_expressions") == "yes",
            "identity_by_sms": one.get("identity_by_sms") == "yes", "knockout_rejects": one.get("knockout_rejects")
            == "yes", "dimensions": [d for d in dims if d["name"] or d["weight"]],
            # a stored question HR emptied stays as an empty row: a refusal may be about it (answered, so kept)
            "questions": [q for q in questions if q["text"] or q["id"]]}


BLANK = {"title": "", "dimensions": [{"name": "语言表达", "weight": 30}, {"name": "逻辑思维", "weight": 30},
                                     {"name": "岗位匹配度", "weight": 40}],
         "questions": [{"text": "", "dimensions": ["语言表达", "逻辑思维", "岗位匹配度"], "think_seconds": 30,
                        "answer_seconds": 120, "retakes": 1}]}   # every dimension asked: none left unscored
