"""A job's pre-hire checklist: HR writes it as lines, "名称 | 类型" (文件 a file, 信息 details to fill in, 确认
something to confirm), next to the job's offer policy; a job without its own uses the built-in CHECKLIST. An
application's items are copied from its job's checklist when onboarding starts (app/process/onboarding.start), so
an edit reaches the hires that start afterwards."""
import hashlib

from app.core import staff, text_limits
from app.core.base import utcnow
from app.core.errors import BadRequest
from app.process.models import OnboardingChecklist

# (key, label, kind): document = a file (an image or a PDF), details = text, confirm = the candidate confirms.
CHECKLIST = (
    ("id_card", "身份证(正反面)", "document"),
    ("degree", "学历/学位证书", "document"),
    ("bank_card", "工资卡(银行卡)", "document"),
    ("health_check", "入职体检报告", "document"),
    ("details", "个人信息(紧急联系人、住址)", "details"),
    ("first_day", "已阅读首日安排", "confirm"),
)
KINDS = {"文件": "document", "信息": "details", "确认": "confirm"}
KIND_WORDS = {kind: word for word, kind in KINDS.items()}
MAX_ITEMS = 20
MAX_LABEL = 60
MAX_TEXT = 3000   # characters of the editor's text (20 items of 60 fit with room); a longer one is refused whole
_BUILT_IN = {(label, kind): key for key, label, kind in CHECKLIST}


def for_job(job_id):
    """The job's checklist as (key, label, kind) tuples: its own, else the built-in one."""
    return _items(OnboardingChecklist.get_or_none(OnboardingChecklist.job == job_id))


def _items(row):
    if row is None or not row.items:
        return list(CHECKLIST)
    return [(i["key"], i["label"], i["kind"]) for i in row.items]


def editor(job_id):
    """(the editor's text: one "名称 | 类型" line per item, whether the job has its own checklist)."""
    row = OnboardingChecklist.get_or_none(OnboardingChecklist.job == job_id)
    return "\n".join(f"{label} | {KIND_WORDS[kind]}" for _, label, kind in _items(row)), row is not None


def parse(text):
    """(key, label, kind) items from the editor's lines; BadRequest naming the first bad line. A line without a
    type is a file; a built-in item keeps its key, another gets one from its name (stable across edits). A text
    over MAX_TEXT is refused whole (text_limits.bounded), as the other long boxes are."""
    text = text_limits.bounded(text, MAX_TEXT, "入职清单", "保存", "checklist_text_too_long")
    items, seen = [], set()
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        label, _, word = line.replace("｜", "|").partition("|")
        label, word = label.strip(), word.strip() or "文件"
        if word not in KINDS:
            raise BadRequest(f"第 {number} 行:类型应为 文件、信息 或 确认 Line {number}: the type must be 文件, 信息 "
                             "or 确认", code="checklist_kind")
        if not 1 <= len(label) <= MAX_LABEL:
            raise BadRequest(f"第 {number} 行:名称须为 1-{MAX_LABEL} 个字 Line {number}: a name of 1-{MAX_LABEL} "
                             "characters", code="checklist_label")
        if label in seen:
            raise BadRequest(f"第 {number} 行:「{label}」重复 Line {number} repeats an item", code="checklist_repeat")
        seen.add(label)
        kind = KINDS[word]
        key = _BUILT_IN.get((label, kind)) or "c" + hashlib.sha1(f"{label}|{kind}".encode()).hexdigest()[:12]
        items.append((key, label, kind))
    if not items:
        raise BadRequest("入职清单至少需要一项 The checklist needs at least one item", code="checklist_empty")
    if len(items) > MAX_ITEMS:
        raise BadRequest(f"入职清单最多 {MAX_ITEMS} 项 At most {MAX_ITEMS} items", code="checklist_long")
    return items


def save(job, actor, text):
    """HR stores the job's checklist from the editor's text; returns its items."""
    staff.require_hr(actor, "修改入职清单")
    items = [{"key": key, "label": label, "kind": kind} for key, label, kind in parse(text)]
    fields = {"items": items, "updated_by": actor, "updated_at": utcnow()}
    OnboardingChecklist.insert(job=job.id, **fields).on_conflict(conflict_target=[OnboardingChecklist.job],
                                                                 update=fields).execute()
    return for_job(job.id)
