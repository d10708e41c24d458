"""The synthetic demo data (`analytics demo-data`, jobs titled "[演示数据] …") exists to fill the charts: nothing about
it reaches WeCom or SMS. On a database holding it, the sweeps, the reminders and the daily analytics job send no
result card, no notice and no flag for it, and a decision HR takes on one of its applications tells nobody; the
real demo candidate (李明, a real job) still gets the card. SQLite and PostgreSQL, a real RQ worker, the sandbox's
WeCom and SMS over HTTP."""
import datetime as dt

from app.analytics import daily, demo, flag_section
from app.analytics.funnel import Cohort
from app.analytics.models import AnalyticsFlag
from app.core import sweeps
from app.core.base import utcnow
from app.core.models import Application, Job
from app.interview import decisions
from app.interview.models import CardMessage
from app.notifications.models import Notice, State
from app.process import reminders
from tests.support.app import import_job
from tests.support.wecom import run_fast_worker, scored_application


def synthetic_at(stage):
    return (Application.select().join(Job).where(Job.title.startswith(demo.PREFIX) & (Application.stage == stage))
            .order_by(Application.id).first())


def test_the_synthetic_demo_data_sends_nothing_and_the_real_candidate_still_gets_the_card(notify_env, redis_conn):
    app, box, _ = notify_env
    real = scored_application(import_job("backend-engineer.yaml"))     # 李明, manager zhangwei
    demo.generate(3000, seed=11)
    waiting = synthetic_at("ai_scored")
    assert waiting is not None                        # synthetic candidacies wait where a card would go out

    assert sweeps.resume_unfinished() >= 1            # the sweep finds the real card unsent (its job was dropped)
    run_fast_worker(redis_conn)
    reminders.run(utcnow() + dt.timedelta(hours=1))
    assert daily.check_flags() and AnalyticsFlag.select().where(AnalyticsFlag.active).count() >= 2
    decisions.decide(waiting.id, "second_round", "hr_lina", "web")   # HR clicks on a synthetic application
    run_fast_worker(redis_conn)

    [card] = CardMessage.select()
    assert card.application_id == real.id and card.status == "sent"
    assert [m["body"]["main_title"]["title"] for m in box.messages("zhangwei")] == ["AI面试结果:李明"]
    assert box.messages("hr_lina") == []              # no card, flag, reminder or decision message
    assert AnalyticsFlag.select().where(AnalyticsFlag.pushed_at.is_null(False)).count() == 0
    [notice] = Notice.select().where(Notice.application == waiting.id)
    assert notice.notice_key == "decision" and notice.state == State.CANCELLED and notice.plan == []
    phone = waiting.candidate.phone
    assert box.api("get", f"/sandbox/api/sms/{phone}")["messages"] == []
    section = flag_section.flags_section(Cohort(demo=True))
    assert section["rows"] and all(row[2] == "演示数据,不推送" for row in section["rows"])
    assert all(flag["push_note"] == "演示数据,不推送到企业微信" for flag in section["data"])   # the page's line
