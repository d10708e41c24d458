"""The scheduled analytics job run by a real RQ worker: the rollup, the flags pushed to HR's WeCom (the sandbox,
over wechatpy's real client) once each, and this week's fairness snapshot."""
from app.analytics import demo
from app.analytics.daily import ANALYTICS_DAILY
from app.analytics.models import AnalyticsFlag, ImpactSnapshot
from app.core import jobs
from tests.support.analytics import as_real_jobs
from tests.support.wecom import run_fast_worker


def test_the_daily_job_tells_hr_in_wecom_once(wecom_env, redis_conn):
    app, app_url, box = wecom_env
    demo.generate(3000, seed=11)
    as_real_jobs()    # a synthetic job's flags are never pushed (tests/notifications/test_synthetic_demo_silent.py)
    jobs.enqueue(ANALYTICS_DAILY)
    run_fast_worker(redis_conn)
    texts = [m["body"]["content"] for m in box.messages("hr_lina")]
    assert len(texts) == 2 and all(t.startswith("**招聘数据提醒**") for t in texts)
    assert any("后端开发工程师 · 演示 · 上海 的AI面试淘汰率" in t and "同类岗位（技术研发）" in t for t in texts)
    assert all(f"{app_url}/admin/analytics" in t for t in texts)
    assert AnalyticsFlag.select().where(AnalyticsFlag.pushed_at.is_null(False)).count() == 2
    assert ImpactSnapshot.select().count() >= 1

    jobs.enqueue(ANALYTICS_DAILY)        # the next day: the same flags are found again, not pushed again
    run_fast_worker(redis_conn)
    assert len(box.messages("hr_lina")) == 2
