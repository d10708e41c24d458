"""A job's screening criteria: derived from its requirements, edited by HR as lines of text.

One criterion a line, `<kind> <type>: <value>`, e.g.

    必须 学历: 本科
    必须 年限: 3                           (years of work in all)
    必须 相关年限: 3                       (years in roles of the job's family: title or content)
    必须 专业: 计算机 | 相关专业            (any of; "相关专业" accepts related majors)
    必须 技能: MySQL | PostgreSQL        (any of)
    加分 技能: 消息队列
    加分 城市: 上海
    淘汰 问题: q1                        (the knockout question q1 must get one of its accepted answers)
    必须 描述: 有线上故障排查经验         (free text: judged by BM25 words and sentence similarity)

Kinds: 必须 must-have, 加分 nice-to-have, 淘汰 knockout. A requirement line the derivation could not read is kept
as `# 未能解析: <line>` for HR to edit (no verdict). Knockout questions are a separate list:
[{"id": "q1", "text": "...", "options": ["是", "否"], "accept": ["是"]}].
"""
import re

from app.screening import skills

KINDS = {"必须": "must", "加分": "nice", "淘汰": "knockout"}
TYPES = {"技能": "skill", "年限": "years", "相关年限": "relevant_years", "学历": "degree", "专业": "major",
         "城市": "city", "问题": "answer", "描述": "text"}
UNPARSED = "unparsed"
UNPARSED_PREFIX = "# 未能解析:"
KIND_LABELS = {v: k for k, v in KINDS.items()}
TYPE_LABELS = {v: k for k, v in TYPES.items()}
DEGREES = ["高中", "中专", "大专", "本科", "硕士", "博士"]
LINE = re.compile(r"^\s*(\S+)\s+(\S+?)\s*:\s*(.+?)\s*$")


class CriteriaError(ValueError):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def judged(criteria):
    """The criteria that get a verdict (not the requirement lines listed as 未能解析)."""
    return [c for c in criteria if c["kind"] in KIND_LABELS]


def label(c):
    value = " 或 ".join(c["value"]) if isinstance(c["value"], list) else str(c["value"])
    if c["kind"] == UNPARSED:
        return f"未能解析: {c['value']}"
    unit = {"years": " 年以上", "relevant_years": " 年以上", "degree": "及以上"}.get(c["type"], "")
    return f"{TYPE_LABELS[c['type']]}: {value}{unit}"


def to_text(criteria):
    lines = []
    for c in criteria:
        if c["kind"] == UNPARSED:
            lines.append(f"{UNPARSED_PREFIX} {c['value']}")
            continue
        value = " | ".join(c["value"]) if isinstance(c["value"], list) else c["value"]
        lines.append(f"{KIND_LABELS[c['kind']]} {TYPE_LABELS[c['type']]}: {value}")
    return "\n".join(lines)


def parse_text(text, questions=()):
    """Criteria from HR's lines; CriteriaError names the first bad line."""
    question_ids = {q["id"] for q in questions}
    out = []
    for number, raw in enumerate((text or "").splitlines(), 1):
        if raw.strip().startswith(UNPARSED_PREFIX) and raw.strip()[len(UNPARSED_PREFIX):].strip():
            out.append({"id": f"u{number}", "kind": UNPARSED, "type": "text",
                        "value": raw.strip()[len(UNPARSED_PREFIX):].strip()})
            continue
        if not raw.strip() or raw.strip().startswith("#"):
            continue
        m = LINE.match(raw.replace("：", ":"))
        where = f"筛选条件第 {number} 行 criteria line {number}"
        if not m or m.group(1) not in KINDS or m.group(2) not in TYPES:
            raise CriteriaError(f"{where}: 应写成「必须/加分/淘汰 技能/年限/学历/城市/问题/描述: 值」 "
                                f"expected '<kind> <type>: <value>'")
        kind, kind_type, value = KINDS[m.group(1)], TYPES[m.group(2)], m.group(3)
        if kind_type == "skill":
            value = [skills.canonical(v) for v in value.split("|") if v.strip()]
        elif kind_type == "major":
            value = [v.strip() for v in value.split("|") if v.strip()]
        elif kind_type in ("years", "relevant_years"):
            if not re.fullmatch(r"\d{1,2}(\.\d)?", value):
                raise CriteriaError(f"{where}: 年限应为数字 years must be a number")
            value = float(value) if "." in value else int(value)
        elif kind_type == "degree" and value not in DEGREES:
            raise CriteriaError(f"{where}: 学历应为 {'/'.join(DEGREES)} degree must be one of those")
        elif kind_type == "answer" and value not in question_ids:
            raise CriteriaError(f"{where}: 没有编号为 {value} 的问题 no knockout question {value}")
        out.append({"id": f"c{len(out) + 1}", "kind": kind, "type": kind_type, "value": value})
    return out


def parse_questions(text):
    """Knockout questions from lines `q1 | 能否接受到上海工作? | 是,否 | 是` (id | text | options | accepted)."""
    out = []
    for number, raw in enumerate((text or "").splitlines(), 1):
        if not raw.strip():
            continue
        parts = [p.strip() for p in raw.split("|")]
        options = [o.strip() for o in re.split(r"[,,]", parts[2]) if o.strip()] if len(parts) == 4 else []
        accept = [o.strip() for o in re.split(r"[,,]", parts[3]) if o.strip()] if len(parts) == 4 else []
        if len(parts) != 4 or not re.fullmatch(r"q\d{1,2}", parts[0]) or not parts[1] or len(options) < 2 \
                or not accept or not set(accept) <= set(options):
            raise CriteriaError(f"淘汰问题第 {number} 行 question line {number}: 应写成「q1 | 问题 | 是,否 | 是」"
                                f" expected 'id | question | options | accepted options'")
        out.append({"id": parts[0], "text": parts[1], "options": options, "accept": accept})
    if len({q["id"] for q in out}) != len(out):
        raise CriteriaError("淘汰问题编号重复 duplicate question id")
    return out


def questions_to_text(questions):
    return "\n".join(f"{q['id']} | {q['text']} | {','.join(q['options'])} | {','.join(q['accept'])}"
                     for q in questions)
