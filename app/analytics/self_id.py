"""The candidate's optional self-identification (gender, age band, and a company's own questions from the
SELF_ID_EXTRA_QUESTIONS setting: `fields()` is what is asked).

It has its own consent text and version, is stored in its own table (SelfIdentification), can be withdrawn by
the candidate at any time, and is read only by app/analytics/impact.py for aggregate tables: never by reviewer
pages, cards, reports or scoring.
"""
from app.analytics.models import ApplicationFact, SelfIdentification
from app.core.db import database
from app.core.errors import BadRequest
from app.core.extensions import settings

CONSENT_VERSION = "self-id-2026-11"
CONSENT_TEXT = ("以下问题完全自愿，不填写、填写“不愿透露”都不会影响你的应聘。你的回答单独保存，"
                "面试官、用人经理和 AI 评分都看不到，也不会用于评分；公司只用所有人的汇总数据检查招聘"
                "各环节是否对不同群体公平（例如各群体的通过率）。你可以随时回到这个页面删除回答。")

# (key, label, options); answers outside the options are refused; "" means prefer not to say
FIELDS = [
    ("gender", "性别", ["男", "女", "其他"]),
    ("age_band", "年龄段", ["18-24", "25-34", "35-44", "45+"]),
]
CORE = {"gender", "age_band"}


def fields():
    """The questions asked: gender and age band, then the company's own (SELF_ID_EXTRA_QUESTIONS), stored in
    SelfIdentification.extra."""
    return [*FIELDS, *settings.get("SELF_ID_EXTRA_QUESTIONS", ())]


def answers_for(application_id):
    row = SelfIdentification.get_or_none(SelfIdentification.application == application_id)
    if row is None:
        return None
    return {"gender": row.gender, "age_band": row.age_band, **(row.extra or {})}


def save(application_id, form, consented):
    """Store (or replace) the answers; the consent box must be ticked."""
    if not consented:
        raise BadRequest("请先勾选同意说明 Please tick the consent box first", code="consent_required")
    values = {}
    for key, label, options in fields():
        value = (form.get(key) or "").strip()
        if value and value not in options:
            raise BadRequest(f"「{label}」的选项无效 Invalid choice for {key}", code="invalid_choice")
        values[key] = value
    extra = {k: v for k, v in values.items() if k not in CORE}
    with database.atomic():
        SelfIdentification.delete().where(SelfIdentification.application == application_id).execute()
        SelfIdentification.create(application=application_id, gender=values.get("gender", ""),
                                  age_band=values.get("age_band", ""), extra=extra, consent_version=CONSENT_VERSION)
        _copy_to_rollup(application_id, values.get("gender", ""), values.get("age_band", ""))


def withdraw(application_id):
    with database.atomic():
        _copy_to_rollup(application_id, "", "")
        return SelfIdentification.delete().where(SelfIdentification.application == application_id).execute()


def _copy_to_rollup(application_id, gender, age_band):
    """The analytics rollup keeps a copy for the fairness tables: change it with the answers (an application
    without a fact yet gets the answers when the rollup first writes it)."""
    ApplicationFact.update(gender=gender, age_band=age_band).where(
        ApplicationFact.application_id == application_id).execute()
