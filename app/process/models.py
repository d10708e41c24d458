"""After the AI report: second-round slots and bookings, interviewer scorecards, offers, and the audited events
and sent-once notices of the process. Times are naive UTC like everywhere else."""
from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from app.core.base import BaseModel, JSONField, Statuses, utcnow
from app.core.models import Application, Job


class Format(Statuses):
    """onsite: at a place; meeting: a WeCom meeting the candidate joins by link."""
    LABELS = {"onsite": "现场面试", "meeting": "企业微信视频会议"}


class InterviewerWindow(BaseModel):
    """When an interviewer is available for second rounds (WeCom has no server-side free/busy)."""
    userid = CharField(max_length=64, index=True)
    start_at = DateTimeField()
    end_at = DateTimeField()
    created_by = CharField(max_length=64)
    created_at = DateTimeField(default=utcnow)


FOCUS_MAX = 2000   # characters of a round's 关注点 (scheduling.open_round refuses a longer one)


class Round(BaseModel):
    """The second round of one application: who interviews, how, and what to look at (关注点)."""
    application = ForeignKeyField(Application, backref="rounds", unique=True, on_delete="CASCADE")
    interviewers = JSONField(default=list)  # WeCom userids (a panel)
    duration_min = IntegerField()
    format = CharField(max_length=12)  # Format
    place = CharField(max_length=120, default="")
    focus = TextField(default="")      # the manager's notes for the interviewers
    # What the candidate said instead of booking: "" | declined | other_time (with candidate_note); offering
    # new slots clears it. Booked or not is the Booking row.
    candidate_answer = CharField(max_length=16, default="")
    candidate_note = TextField(default="")
    created_by = CharField(max_length=64)
    created_at = DateTimeField(default=utcnow)


class Slot(BaseModel):
    """A time a panel can interview. One slot may be offered to several candidates (RoundSlot): the first
    booking wins. An interviewer's slots never overlap (BusyInterval, checked when a slot is added)."""
    job = ForeignKeyField(Job, backref="slots", on_delete="CASCADE")
    start_at = DateTimeField(index=True)
    end_at = DateTimeField()
    interviewers = JSONField(default=list)
    format = CharField(max_length=12)
    place = CharField(max_length=120, default="")
    cancelled = BooleanField(default=False)
    created_by = CharField(max_length=64)
    created_at = DateTimeField(default=utcnow)


class RoundSlot(BaseModel):
    """A slot offered to one application's round."""
    round = ForeignKeyField(Round, backref="offered", on_delete="CASCADE")
    slot = ForeignKeyField(Slot, backref="offers", on_delete="CASCADE")

    class Meta:
        indexes = ((("round", "slot"), True),)


class Booking(BaseModel):
    """The candidate's choice. UNIQUE slot and UNIQUE round: of two racing bookings exactly one wins."""
    slot = ForeignKeyField(Slot, unique=True, backref="booking_rows", on_delete="CASCADE")
    round = ForeignKeyField(Round, unique=True, backref="booking_rows", on_delete="CASCADE")
    schedule_id = CharField(max_length=128, default="")
    meeting_id = CharField(max_length=128, default="")
    meeting_link = CharField(max_length=255, default="")
    meeting_code = CharField(max_length=32, default="")
    # The slot start the WeCom schedule/meeting were made for: differs after a reschedule until the job updates.
    synced_start = DateTimeField(null=True)
    calendar_error = TextField(default="")
    created_at = DateTimeField(default=utcnow)


class BusyInterval(BaseModel):
    """One interviewer's offered slot, for the overlap check; UNIQUE (userid, start) refuses exact repeats."""
    userid = CharField(max_length=64)
    slot = ForeignKeyField(Slot, backref="busy", on_delete="CASCADE")
    start_at = DateTimeField()
    end_at = DateTimeField()

    class Meta:
        indexes = ((("userid", "start_at"), True),)


# An interviewer's overall recommendation on a scorecard, and the words people read for it.
RECOMMENDATIONS = {"strong_yes": "强烈推荐", "yes": "推荐", "no": "不推荐", "strong_no": "强烈不推荐"}


class Scorecard(BaseModel):
    """One interviewer's scorecard; UNIQUE (round, interviewer): submitted once."""
    round = ForeignKeyField(Round, backref="scorecards", on_delete="CASCADE")
    interviewer = CharField(max_length=64)
    ratings = JSONField(default=dict)   # {dimension: {"score": 1-5, "comment": text}}
    concerns = JSONField(default=list)  # tags
    recommendation = CharField(max_length=16)  # RECOMMENDATIONS
    summary = TextField(default="")
    submitted_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("round", "interviewer"), True),)


MAX_LETTER_NOTE = 2000   # characters of a job's own letter paragraphs (offers.save_policy refuses more)


class OfferPolicy(BaseModel):
    """A job's offer template and policy: an offer outside it needs a WeCom approval."""
    job = ForeignKeyField(Job, unique=True, on_delete="CASCADE")
    position = CharField(max_length=120, default="")
    level = CharField(max_length=32, default="")
    salary_min = IntegerField(default=0)   # monthly, yuan
    salary_max = IntegerField(default=0)
    min_notice_days = IntegerField(default=14)
    place = CharField(max_length=120, default="")
    probation_months = IntegerField(default=3)
    valid_days = IntegerField(default=7)
    # The job's own paragraphs of the offer letter (benefits, what to bring on the first day), one per line.
    letter_note = TextField(default="")
    # The job's own wording of the letter, lines with {字段} (app/process/offer_letter.py); "" is the default.
    letter_template = TextField(default="")


class OfferStatus(Statuses):
    """awaiting_approval -> sent -> accepted | declined | expired; rejected: the approval was refused. HR withdraws
    one not answered yet (app/process/offer_withdrawal.py): withdrawn once sent, cancelled while awaiting approval
    (the candidate never saw it); a new offer then replaces the row."""
    LABELS = {"awaiting_approval": "审批中", "sent": "已发出", "accepted": "已接受", "declined": "已拒绝",
              "expired": "已过期", "rejected": "审批未通过", "withdrawn": "HR 已撤回", "cancelled": "审批中撤回"}
    WITHDRAWABLE = ("awaiting_approval", "sent")
    REPLACEABLE = ("withdrawn", "cancelled")
    # Offers the candidate never saw: their pages show no offer.
    UNSEEN = ("awaiting_approval", "rejected", "cancelled")


class Offer(BaseModel):
    application = ForeignKeyField(Application, backref="offers", unique=True, on_delete="CASCADE")
    position = CharField(max_length=120)
    level = CharField(max_length=32, default="")
    salary = IntegerField()  # monthly, yuan
    start_date = DateField()
    place = CharField(max_length=120)
    probation_months = IntegerField()
    expires_on = DateField()
    breaks = JSONField(default=list)  # why it needs an approval (empty: within policy)
    sp_no = CharField(max_length=64, default="")
    status = CharField(max_length=20)  # OfferStatus
    answer_text = CharField(max_length=60, default="")  # the typed confirmation
    decline_reason = TextField(default="")
    answered_at = DateTimeField(null=True)
    # The WeCom account made at hire (user/create) and what went wrong making it.
    employee_userid = CharField(max_length=64, default="")
    account_error = TextField(default="")
    # The policy's letter paragraphs and wording as they were when the offer was made (a later edit does not
    # change them).
    letter_note = TextField(default="")
    letter_template = TextField(default="")
    created_by = CharField(max_length=64)
    created_at = DateTimeField(default=utcnow)


class CheckStatus(Statuses):
    """awaiting_consent -> collecting (the candidate submits items) -> verifying -> passed | problem;
    HR decides on a problem: waived (go on) or the application is rejected (failed)."""
    LABELS = {"awaiting_consent": "等候选人授权", "collecting": "等候选人提交材料", "verifying": "HR 核实中",
              "passed": "通过", "problem": "发现问题,待HR决定", "waived": "HR 决定继续", "failed": "未通过"}
    # What the candidate reads on their check page and status page (LABELS speak of them in the third person).
    CANDIDATE_LABELS = {"awaiting_consent": "请阅读并授权", "collecting": "请提交材料",
                        "verifying": "材料已提交,HR 核实中", "passed": "已通过",
                        "problem": "核实中有疑问,请看下面的说明", "waived": "已完成", "failed": "未通过"}
    DONE = ("passed", "waived")


class CheckOrder(BaseModel):
    """A background check of one application, run by a provider (the built-in self-serve one, or a vendor)."""
    application = ForeignKeyField(Application, backref="check_orders", unique=True, on_delete="CASCADE")
    provider = CharField(max_length=32, default="self_serve")
    status = CharField(max_length=20, default=CheckStatus.AWAITING_CONSENT)
    consent_version = CharField(max_length=20, default="")
    consent_at = DateTimeField(null=True)
    vendor_ref = CharField(max_length=128, default="")  # the vendor's order id (not the self-serve provider)
    decided_by = CharField(max_length=64, default="")
    decision_note = TextField(default="")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)


class ItemStatus(Statuses):
    """A check or onboarding item: pending -> submitted -> verified | problem (HR sends it back with a note). LABELS:
    what the candidate reads on the check and onboarding pages (and HR on the onboarding panel); CHECK_STAFF_LABELS:
    HR's words for a background-check item on the staff panel (its buttons say 已核实 / 有问题)."""
    LABELS = {"pending": "待提交", "submitted": "已提交,待核实", "verified": "已核实", "problem": "需要补充"}
    CHECK_STAFF_LABELS = {"pending": "待提交", "submitted": "待核实", "verified": "已核实", "problem": "有问题"}


class CheckItem(BaseModel):
    """One thing to verify: education (学信网在线验证码), the last employer (离职证明), or another item."""
    order = ForeignKeyField(CheckOrder, backref="items", on_delete="CASCADE")
    kind = CharField(max_length=20)    # education / employment / other
    label = CharField(max_length=60)
    status = CharField(max_length=12, default=ItemStatus.PENDING)  # ItemStatus
    value = CharField(max_length=120, default="")          # the code, the employer's name ...
    attachment_id = IntegerField(null=True)                # a file the candidate sent (conversation Attachment)
    note = TextField(default="")                           # HR's note when verifying
    verified_by = CharField(max_length=64, default="")
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("order", "kind", "label"), True),)


class OnboardingChecklist(BaseModel):
    """A job's own pre-hire checklist, edited by HR (app/process/checklists.save); a job without one uses
    checklists.CHECKLIST. An application's items are copied from it when onboarding starts."""
    job = ForeignKeyField(Job, unique=True, on_delete="CASCADE")
    items = JSONField(default=list)   # [{"key", "label", "kind"}], kind: document / details / confirm
    updated_by = CharField(max_length=64)
    updated_at = DateTimeField(default=utcnow)


class OnboardingItem(BaseModel):
    """One pre-hire checklist item of an application: a document (a file the candidate sent), details to fill in,
    or first-day information to confirm. pending -> submitted -> verified | problem."""
    application = ForeignKeyField(Application, backref="onboarding_items", on_delete="CASCADE")
    key = CharField(max_length=32)
    label = CharField(max_length=60)
    kind = CharField(max_length=12)  # document / details / confirm
    status = CharField(max_length=12, default=ItemStatus.PENDING)  # ItemStatus
    value = TextField(default="")
    attachment_id = IntegerField(null=True)
    note = TextField(default="")
    verified_by = CharField(max_length=64, default="")
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("application", "key"), True),)


class ProcessEvent(BaseModel):
    """An audited step that is not a stage change (a slot offered, booked, a scorecard in, a hold ...)."""
    application = ForeignKeyField(Application, backref="process_events", on_delete="CASCADE")
    kind = CharField(max_length=32)
    actor = CharField(max_length=64)
    detail = TextField(default="")
    created_at = DateTimeField(default=utcnow, index=True)


class SentNotice(BaseModel):
    """A notice or reminder sent once: its key is UNIQUE (claimed before sending, released if the send fails)."""
    key = CharField(max_length=128, unique=True)
    application = ForeignKeyField(Application, backref="sent_notices", on_delete="CASCADE")
    kind = CharField(max_length=32)
    recipients = JSONField(default=list)
    created_at = DateTimeField(default=utcnow)


class ReminderSetting(BaseModel):
    """Reminder kinds a job turned off (every kind is on by default)."""
    job = ForeignKeyField(Job, unique=True, on_delete="CASCADE")
    disabled = JSONField(default=list)




class Approval(BaseModel):
    """A WeCom approval (an offer) tied to an application; sp_status follows sys_approval_change."""
    sp_no = CharField(max_length=64, unique=True)
    application = ForeignKeyField(Application, backref="approvals", on_delete="CASCADE")
    kind = CharField(max_length=20, default="offer")
    creator = CharField(max_length=64)
    sp_status = IntegerField(default=1)
    detail = JSONField(null=True)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    # WeCom's sp_status codes, as HR reads them
    STATUS_LABELS = {1: "审批中", 2: "已通过", 3: "已驳回", 4: "已撤销", 6: "通过后撤销", 7: "已删除"}

    @property
    def status_label(self):
        return self.STATUS_LABELS.get(self.sp_status, f"状态 {self.sp_status}")


PROCESS_MODELS = [Approval, InterviewerWindow, Round, Slot, RoundSlot, Booking, BusyInterval, Scorecard, OfferPolicy,
                  Offer, CheckOrder, CheckItem, OnboardingChecklist, OnboardingItem, ProcessEvent, SentNotice,
                  ReminderSetting]
