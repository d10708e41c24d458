"""A job's own pre-hire checklist: HR writes it on the application page (next to the offer policy), a bad line is
refused by number with nothing saved, and the next hire of the job gets exactly those items; other jobs keep the
built-in list."""
import datetime as dt

from app.core import pipeline
from app.process import checklists, onboarding
from app.process.models import Offer, OfferStatus, OnboardingChecklist
from tests.process.helpers import at_second_round
from tests.support.app import import_job
from tests.support.reports import sign_in_as
from tests.support.wecom import run_fast_worker

TEXT = "身份证(正反面) | 文件\n驾驶证 | 文件\n紧急联系人 | 信息\n已阅读员工手册 | 确认\n"


def _onboarding(job, redis_conn, phone):
    application, _ = at_second_round(job, phone=phone)
    for stage in ("background_check", "offer_sent"):
        pipeline.advance_stage(application.id, stage, actor="hr_lina", source="web")
    start = dt.date.today() + dt.timedelta(days=10)
    Offer.create(application=application.id, position=job.title, salary=25000, start_date=start, place="上海",
                 probation_months=3, expires_on=start - dt.timedelta(days=3), status=OfferStatus.ACCEPTED,
                 created_by="hr_lina")
    pipeline.advance_stage(application.id, "onboarding", actor="candidate", source="web")
    run_fast_worker(redis_conn)
    return application


def test_hr_writes_a_job_checklist_and_the_next_hire_gets_it(app, client, demo_job, redis_conn):
    other_job = import_job("sales-representative.yaml")
    application, _ = at_second_round(demo_job)
    pipeline.advance_stage(application.id, "background_check", actor="hr_lina", source="web")
    sign_in_as(client, "hr_lina")
    page = client.get(f"/m/applications/{application.id}").get_data(as_text=True)
    assert "本岗位的入职清单(默认)" in page and "已阅读首日安排 | 确认" in page        # the built-in list, editable

    url = f"/m/jobs/{demo_job.id}/onboarding-checklist"
    back = f"/m/applications/{application.id}#process"
    bad = client.post(url, data={"checklist": "驾驶证 | 照片", "back": back}, follow_redirects=True)
    assert "第 1 行:类型应为 文件、信息 或 确认" in bad.get_data(as_text=True)
    assert "驾驶证 | 照片" in bad.get_data(as_text=True)                 # what HR typed is still there
    assert not OnboardingChecklist.select().exists()
    res = client.post(url, data={"checklist": TEXT, "back": back})
    assert res.status_code == 302 and res.headers["Location"].endswith(back)
    page = client.get(f"/m/applications/{application.id}").get_data(as_text=True)
    assert "岗位入职清单已保存" in page and "驾驶证 | 文件" in page and "(默认)" not in page

    hire = _onboarding(demo_job, redis_conn, "13900002222")
    items = onboarding.items_of(hire.id)
    assert [(i.label, i.kind) for i in items] == [("身份证(正反面)", "document"), ("驾驶证", "document"),
                                                  ("紧急联系人", "details"), ("已阅读员工手册", "confirm")]
    assert items[0].key == "id_card"                                      # a built-in item keeps its key
    elsewhere = _onboarding(other_job, redis_conn, "13700003333")
    assert [i.key for i in onboarding.items_of(elsewhere.id)] == [k for k, _, _ in checklists.CHECKLIST]


def test_only_hr_edits_the_checklist(app, client, demo_job):
    sign_in_as(client, "zhangwei")                                        # the job's manager
    res = client.post(f"/m/jobs/{demo_job.id}/onboarding-checklist", data={"checklist": TEXT, "back": "/m/"},
                      follow_redirects=True)
    assert "只有HR可以修改入职清单" in res.get_data(as_text=True)
    assert not OnboardingChecklist.select().exists()
    # blank lines are skipped, a full-width bar works, a line without a type is a file
    assert checklists.parse("驾驶证\n\n体检报告｜文件")[1][1:] == ("体检报告", "document")
