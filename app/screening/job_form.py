"""The job editor's form <-> the YAML template dict, so the page and `jobs import/export` share one validation
(job_templates.validate_template) and one shape."""
import json

from app.screening import criteria as criteria_text

ANCHOR_LEVELS = (1, 3, 5)   # the editor's example answers per question: 1 不足, 3 达标, 5 突出


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
    for i, (text, dimensions, think, answer, retakes) in enumerate(zip(
            form.get("q_text", []), form.get("q_dims", []), form.get("q_think", []), form.get("q_answer", []),
            form.get("q_retakes", []), strict=False)):
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
                      **{f"a{lv}": _nth(form, f"q_a{lv}", i) for lv in ANCHOR_LEVELS},
                      anchors_kept=_nth(form, "q_anchors", i), anchors_per_dimension=bool(_nth(form, "q_anchors", i)))
                 for i, row in enumerate(zip(*(form.get(f"q_{k}", []) for k in ("text", "dims", "think", "answer",
                                                                                 "retakes")), strict=False))]
    return {**{k: one.get(k, "") for k in ("title", "department", "family", "location", "description", "requirements",
                                           "managers", "criteria", "knockout_questions", "auto_invite_at",
                                           "remind_after_days")},
            "use_expressions": one.get("use_expressions") == "yes",
            "identity_by_sms": one.get("identity_by_sms") == "yes", "knockout_rejects": one.get("knockout_rejects")
            == "yes", "dimensions": [d for d in dims if d["name"] or d["weight"]],
            "questions": [q for q in questions if q["text"]]}


BLANK = {"title": "", "dimensions": [{"name": "语言表达", "weight": 30}, {"name": "逻辑思维", "weight": 30},
                                     {"name": "岗位匹配度", "weight": 40}],
         "questions": [{"text": "", "dimensions": ["语言表达"], "think_seconds": 30, "answer_seconds": 120,
                        "retakes": 1}]}
