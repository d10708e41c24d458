"""The dashboard's 瓶颈提醒 section: the stored flags (app/analytics/flags.py computes and pushes them) of the jobs
and kind of data shown, each with when it went to HR's WeCom (a synthetic demo job's never does)."""
from app.analytics import flags
from app.analytics.models import AnalyticsFlag
from app.core import synthetic
from app.core.localtime import local_time, zone_label


def flags_section(cohort):
    """The stored flags (computed daily over the last 180 days by the scheduled job), for the job filtered on."""
    query = AnalyticsFlag.select().where(AnalyticsFlag.active).order_by(AnalyticsFlag.kind.desc(), AnalyticsFlag.id)
    if cohort.job_ids is not None:
        query = query.where(AnalyticsFlag.job_id.in_(list(cohort.job_ids)))
    demo_ids = {j.id for j in synthetic.synthetic_jobs()}
    if cohort.demo is not None:  # the flags of the kind of data shown (real or demo)
        query = query.where(AnalyticsFlag.job_id.in_(list(demo_ids)) if cohort.demo
                            else AnalyticsFlag.job_id.not_in(list(demo_ids)))
    found = list(query)
    checked = max((f.last_seen for f in found), default=None)
    return {
        "id": "flags", "title": "瓶颈提醒",
        "explain": f"只在统计上站得住时提醒：某岗位某一步的淘汰率高于同类岗位（同一岗位类别的其他岗位；"
                   f"同类岗位人数不够时用全公司其他岗位）同一步的 {flags.LEVEL * 100:g}% 控制上限"
                   f"（漏斗图控制限，按该岗位人数计算），且至少有 {flags.MIN_N} 个已有结果的候选人；"
                   f"或某一步的中位停留时间超过全公司同一步的 {flags.DURATION_FACTOR:g} 倍。不做岗位排名。"
                   "每天按最近 180 天的数据计算一次，新的提醒推送到 HR 的企业微信（每条只推一次）"
                   + (f"；最近一次计算：{local_time(checked, '%Y-%m-%d %H:%M')}（{zone_label()}）。"
                      if checked else "。"),
        "columns": ["提醒", "类型", "企业微信推送"],
        "rows": [[f.message, "淘汰率" if f.kind == "rate" else "停留时间", _pushed(f, demo_ids)[0]]
                 for f in found],
        "data": [{"message": f.message, "kind": f.kind, "key": f.key, "push_note": _pushed(f, demo_ids)[1]}
                 for f in found],
    }


def _pushed(flag, demo_ids):
    """(the 企业微信推送 cell, the line under the flag on the page): when it was pushed; a synthetic demo job's flag
    is never pushed."""
    if flag.pushed_at:
        at = local_time(flag.pushed_at, "%Y-%m-%d %H:%M")
        return at, f"已推送到企业微信 {at}"
    if flag.job_id in demo_ids:
        return "演示数据,不推送", "演示数据,不推送到企业微信"
    return "未推送", "尚未推送到企业微信"
