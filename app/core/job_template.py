"""What a job is, as HR writes it in a template: the profile, the competency model (dimensions with weights,
keywords, rubric) and the structured questions with their anchors. Validation of that part of a job template
(docs/job-templates.md); the template's `screening:` settings are the screening domain's
(app/screening/job_templates.py).
"""
import yaml

from app.core.errors import BadRequest

JOB_KEYS = {"title", "department", "family", "location", "description", "requirements", "managers", "use_expressions",
            "identity_by_sms", "dimensions", "questions", "screening"}
DIMENSION_KEYS = {"name", "weight", "description", "keywords", "rubric"}
QUESTION_KEYS = {"text", "dimensions", "think_seconds", "answer_seconds", "retakes", "anchors"}
ANCHOR_LEVELS_REQUIRED = (1, 3, 5)
ANCHOR_MIN_CHARS = 10
ANCHOR_TOO_SHORT = f"锚点答案至少 {ANCHOR_MIN_CHARS} 个字 an anchor answer needs at least {ANCHOR_MIN_CHARS} characters"
TEXT_LIMITS = {"title": 120, "department": 120, "location": 120}  # characters: the columns' sizes
# A question's text: what the candidate reads on a phone before answering (the shipped ones are under 40, the
# scoring corpus's under 70); a page-long one also slows every scoring of its answers (试评分 took ~20 s at 5,000).
QUESTION_MAX_CHARS = 500
ANSWER_SECONDS_MAX = 1200   # the longest time a question may give for an answer (20 minutes)


class TemplateError(BadRequest):
    code = "invalid_job_template"


def fail(where, problem):
    """Refuse the template at `where` (its path: `questions[0].think_seconds`), which the message names for a YAML
    author; the error keeps both parts apart, so the job editor names the field as its page does instead
    (app/screening/job_form.label)."""
    raise TemplateError(f"{where}: {problem}", where=where, problem=problem)


def _str_list(value, where):
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        fail(where, "应为非空字符串列表 must be a list of non-empty strings")
    return list(dict.fromkeys(v.strip() for v in value))   # once each: a manager or dimension typed twice


def _seconds(value, where, default, low, high):
    if value is None:
        return default
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        fail(where, f"应为 {low}-{high} 之间的整数 must be an integer from {low} to {high}")
    return value


def _mapping_entry(entry, where, keys):
    """Refuse a list entry that is not a mapping or has keys the format does not know; returns `where`."""
    if not isinstance(entry, dict):
        fail(where, "应为映射 must be a mapping")
    unknown = set(entry) - keys
    if unknown:
        fail(where, f"未知字段 unknown keys: {', '.join(sorted(unknown))}")
    return where


def _check_dimensions(raw):
    if not isinstance(raw, list) or not raw:
        fail("dimensions", "至少需要一个维度 at least one dimension is required")
    dims, seen = [], set()
    for i, d in enumerate(raw):
        where = _mapping_entry(d, f"dimensions[{i}]", DIMENSION_KEYS)
        name = d.get("name")
        if not isinstance(name, str) or not name.strip():
            fail(where, "缺少维度名称 name is required")
        name = name.strip()
        if name in seen:
            fail(where, f"维度重名 duplicate dimension name: {name}")
        seen.add(name)
        weight = d.get("weight")
        if not isinstance(weight, int) or isinstance(weight, bool) or not 0 < weight <= 100:
            fail(f"{where} ({name}).weight", "应为 1-100 的整数 must be an integer from 1 to 100")
        rubric = _str_list(d.get("rubric"), f"{where} ({name}).rubric")
        dims.append({"name": name, "weight": weight, "description": str(d.get("description") or "").strip(),
                     "keywords": _str_list(d.get("keywords"), f"{where} ({name}).keywords"), "rubric": rubric})
    total = sum(d["weight"] for d in dims)
    if total != 100:
        fail("dimensions", f"权重之和应为 100,实际为 {total} (weights must sum to 100, got {total})")
    return dims


def _check_anchors(raw, where, dims):
    """Anchor answers per dimension of the question and level 1-5; levels 1, 3 and 5 are required."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        fail(where, "应为「维度: {等级: 答案}」的映射 must map dimension -> {level: answer}")
    anchors = {}
    for name, levels in raw.items():
        if name not in dims:
            fail(f"{where}.{name}", f"锚点的维度须是本题的维度 anchors must be for this question's dimensions "
                                     f"({', '.join(dims)})")
        if not isinstance(levels, dict):
            fail(f"{where}.{name}", "应为「等级: 答案」的映射 must map level -> answer")
        clean = {}
        for level, text in levels.items():
            if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 5:
                fail(f"{where}.{name}", f"等级应为 1-5 的整数 level must be an integer 1-5, got {level!r}")
            if not isinstance(text, str) or len(text.strip()) < ANCHOR_MIN_CHARS:
                fail(f"{where}.{name}.{level}", ANCHOR_TOO_SHORT)
            clean[str(level)] = text.strip()
        missing = [lv for lv in ANCHOR_LEVELS_REQUIRED if str(lv) not in clean]
        if missing:
            fail(f"{where}.{name}", f"至少需要 1、3、5 级锚点 levels 1, 3 and 5 are required "
                                     f"(missing {', '.join(map(str, missing))})")
        if len(set(clean.values())) < len(clean):
            fail(f"{where}.{name}", "各等级的锚点答案不能相同 anchor answers must differ between levels")
        anchors[name] = dict(sorted(clean.items()))
    return anchors


def _check_questions(raw, dimension_names):
    if not isinstance(raw, list) or not raw:
        fail("questions", "至少需要一道题 at least one question is required")
    questions = []
    for i, q in enumerate(raw):
        where = _mapping_entry(q, f"questions[{i}]", QUESTION_KEYS)
        text = q.get("text")
        if not isinstance(text, str) or not text.strip():
            fail(where, "缺少题目 text (text is required)")
        if len(text.strip()) > QUESTION_MAX_CHARS:
            fail(where, f"题目「{text.strip()[:12]}…」不超过 {QUESTION_MAX_CHARS} 字,现为 {len(text.strip())} 字 "
                        f"a question is at most {QUESTION_MAX_CHARS} characters")
        dims = _str_list(q.get("dimensions"), f"{where}.dimensions")
        if not dims:
            fail(f"{where}.dimensions", "至少关联一个维度 link at least one dimension")
        missing = [d for d in dims if d not in dimension_names]
        if missing:
            fail(f"{where}.dimensions", f"不存在的维度 unknown dimension(s): {', '.join(missing)}")
        questions.append({
            "text": text.strip(), "dimensions": dims,
            "think_seconds": _seconds(q.get("think_seconds"), f"{where}.think_seconds", 30, 0, 600),
            "answer_seconds": _seconds(q.get("answer_seconds"), f"{where}.answer_seconds", 120, 10,
                                       ANSWER_SECONDS_MAX),
            "retakes": _seconds(q.get("retakes"), f"{where}.retakes", 1, 0, 5),
            "anchors": _check_anchors(q.get("anchors"), f"{where}.anchors", dims),
        })
    return questions


def validate_job(data):
    """A normalised copy of a template's job (everything but its `screening:` settings, which the screening domain
    validates), or TemplateError naming the first problem."""
    if not isinstance(data, dict):   # a list, plain text...: not a template at all, whatever its parts say
        raise TemplateError("文件内容不是岗位模板(应以 title: 等字段开头) "
                            "the file is not a job template (it should start with title: and the other fields)")
    unknown = set(data) - JOB_KEYS
    if unknown:
        fail("template", f"未知字段 unknown keys: {', '.join(sorted(unknown))}")
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        fail("title", "缺少岗位名称 title is required")
    _check_lengths(data)
    dims = _check_dimensions(data.get("dimensions"))
    questions = _check_questions(data.get("questions"), {d["name"] for d in dims})
    return {
        "title": title.strip(),
        "department": str(data.get("department") or "").strip(),
        "family": _family(data.get("family")),
        "location": str(data.get("location") or "").strip(),
        "description": str(data.get("description") or "").strip(),
        "requirements": str(data.get("requirements") or "").strip(),
        "managers": _str_list(data.get("managers"), "managers"),
        "use_expressions": bool(data.get("use_expressions", False)),
        "identity_by_sms": bool(data.get("identity_by_sms", False)),
        "dimensions": dims,
        "questions": questions,
    }


def _check_lengths(data):
    """The title, department and location are stored in columns of 120 characters (the editor's inputs say so
    too): a longer one is refused here, not cut or left to the database."""
    for key, limit in TEXT_LIMITS.items():
        value = str(data.get(key) or "").strip()
        if len(value) > limit:
            fail(key, f"不超过 {limit} 字,现为 {len(value)} 字 at most {limit} characters")


def _family(value):
    """岗位类别 (job family): free text, at most 40 characters; "" when not given."""
    if value is None:
        return ""
    if not isinstance(value, str) or len(value.strip()) > 40:
        fail("family", "岗位类别应为不超过 40 字的文字 family must be text of at most 40 characters")
    return value.strip()


def template_text(raw):
    """The text of a template file's bytes: UTF-8 (with or without a BOM); a file saved in another encoding (GBK, as
    Windows editors in China often do) or an empty one is refused with what to do, never imported garbled."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TemplateError("文件不是 UTF-8 编码:请在编辑器里另存为 UTF-8 后再导入 "
                            "the file is not UTF-8: save it as UTF-8 and import it again") from None
    if not text.strip():
        raise TemplateError("文件是空的 the file is empty")
    return text


def load_yaml(text):
    """The mapping in a template's YAML text (TemplateError with the line of a syntax error)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行 line {mark.line + 1}" if mark else "YAML"
        raise TemplateError(f"{where}: YAML 格式错误 invalid YAML ({getattr(exc, 'problem', exc)})") from exc
    return data


def parse_job(text):
    """The validated job of a template's YAML text (its screening settings left out)."""
    return validate_job(load_yaml(text))
