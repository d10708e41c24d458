"""The job editor's form <-> the YAML template dict, so the page and `jobs import/export` share one validation
(job_templates.validate_template) and one shape."""
from app.screening import criteria as criteria_text


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
    for text, dimensions, think, answer, retakes in zip(
            form.get("q_text", []), form.get("q_dims", []), form.get("q_think", []), form.get("q_answer", []),
            form.get("q_retakes", []), strict=False):
        if text.strip():
            questions.append({"text": text.strip(), "dimensions": _split(dimensions), "think_seconds": _int(think, 30),
                              "answer_seconds": _int(answer, 120), "retakes": _int(retakes, 1)})
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
                       "retakes": q.get("retakes", 1), "has_anchors": bool(q.get("anchors"))}
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
    questions = [dict(zip(("text", "dimensions", "think_seconds", "answer_seconds", "retakes"), row, strict=True))
                 for row in zip(*(form.get(f"q_{k}", []) for k in ("text", "dims", "think", "answer", "retakes")),
                                strict=False)]
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
