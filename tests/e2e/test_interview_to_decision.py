"""End to end: a candidate answers in Chromium (fake camera shows a face, fake mic speaks Mandarin), real RQ
workers transcribe, check and score, the result card reaches the manager's sandbox phone with the report's
total, the manager reads the report page and taps 进入复试 on the phone, and the application moves."""
from pathlib import Path

import pytest
import yaml
from rq import Queue, SimpleWorker
from rq.registry import FailedJobRegistry

from app.core.models import Application, StageEvent
from app.core.queues import FAST, MEDIA, SCORING
from app.core.storage import get_storage
from app.interview.invitations import invite_candidate
from app.interview.media import probe
from app.interview.models import Answer, Interview, Report
from app.interview.reports import score_band
from app.interview.result_cards import result_card_key, task_id_of
from app.screening.job_templates import import_template
from tests.support.app import ROOT
from tests.support.browser import shot as _shot
from tests.support.wecom import run_fast_worker

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(300)]

NAME, PHONE = "李雷", "13812345678"
RECORD_MS = 6500  # long enough for Whisper to hear a few sentences, short enough for a quick test


def shot(page, name):
    _shot(page, name, "e2e")


def short_backend_job():
    """The shipped backend-engineer template with two questions and short timers (manager zhangwei)."""
    data = yaml.safe_load((Path(ROOT) / "job_templates" / "backend-engineer.yaml").read_text(encoding="utf-8"))
    data["questions"] = [dict(q, think_seconds=3, answer_seconds=12, retakes=0) for q in data["questions"][1:3]]
    return import_template(yaml.safe_dump(data, allow_unicode=True))


def run_workers(redis_conn):
    """Drain scoring, media and fast with a real SimpleWorker until nothing is left (jobs enqueue follow-ups)."""
    queues = [Queue(name, connection=redis_conn) for name in (SCORING, MEDIA, FAST)]
    for _ in range(5):
        SimpleWorker(queues, connection=redis_conn).work(burst=True)
        if not any(len(q) for q in queues):
            break
    failed = {q.name: FailedJobRegistry(queue=q).get_job_ids() for q in queues}
    assert not any(failed.values()), {name: [(i, q.fetch_job(i).exc_info) for i in ids]
                                      for q in queues for name, ids in failed.items() if name == q.name}


def walk_setup(page, base, token):
    """Landing -> consent (recording and biometric) -> identity with a face photo -> device check."""
    page.goto(f"{base}/i/{token}")
    page.click("#start")
    page.wait_for_selector("#consent-form")
    page.check("#recording")
    page.click("label[for=bio-yes]")
    page.click("#consent-submit")
    page.wait_for_selector("#identity-form")
    page.fill("#name", NAME)
    page.fill("#phone_last4", PHONE[-4:])
    page.wait_for_selector("#face-take:not([disabled])")
    page.wait_for_function("document.getElementById('face-video').videoWidth > 0")
    page.click("#face-take")
    shot(page, "01-identity")
    page.click("#identity-submit")
    page.wait_for_selector("#test-record:not([disabled])")
    page.click("#test-record")
    page.wait_for_selector("#device-ok:not([disabled])", timeout=15000)
    page.click("#device-ok")
    page.wait_for_selector("#recorder")


def answer_question(page, number, total):
    """Start during the think time, speak for RECORD_MS, stop early, submit."""
    page.wait_for_selector(f"text=第 {number} / {total} 题", timeout=30000)
    page.wait_for_selector("#recorder[data-state=thinking]")
    page.click("#btn-start")
    page.wait_for_selector("#recorder[data-state=recording]")
    page.wait_for_timeout(RECORD_MS)
    if number == 1:
        shot(page, "02-recording")
    page.click("#btn-stop")
    page.wait_for_selector("#recorder[data-state=review]")
    page.click("#btn-submit")


def sign_in_as(page, app_url, path, name):
    """Open a staff page; the app sends the browser to the sandbox's OAuth picker; pick the member."""
    page.goto(app_url + path)
    assert "选择以哪位成员身份登录" in page.content()
    with page.expect_navigation(url=app_url + path):
        page.get_by_role("button", name=name).click()


def test_interview_to_card_to_decision(wecom_env, phone, redis_conn):
    app, app_url, box = wecom_env
    page = phone
    broken = []  # every response of 400 or more, from either server
    page.on("response", lambda res: broken.append(f"{res.status} {res.url}") if res.status >= 400 else None)
    job = short_backend_job()
    interview, token = invite_candidate(job.id, NAME, PHONE)
    application_id = interview.application_id

    # The candidate: consent with biometrics, the camera's face as the identity photo, two spoken answers.
    walk_setup(page, app_url, token)
    for number in (1, 2):
        answer_question(page, number, 2)
    page.wait_for_selector("#done", timeout=30000)
    shot(page, "03-done")
    errors = [m for m in page.console_messages if m.startswith(("error", "pageerror"))]
    assert not errors, errors
    assert Interview.get_by_id(interview.id).reference_image, "the identity step stored no face photo"
    answers = list(Answer.select().order_by(Answer.question))
    assert [a.question_id for a in answers] == [q.id for q in job.ordered_questions()]
    for answer in answers:
        info = probe(get_storage().path_for(answer.media_key))
        assert info.has_video and info.duration_s > 4, info

    # The workers: transcribe -> video -> score -> report -> ai_scored -> result card to zhangwei.
    run_workers(redis_conn)
    report = Report.get(Report.interview == interview.id)
    assert Application.get_by_id(application_id).stage == "ai_scored"
    for answer in Answer.select():
        assert answer.status == "scored", (answer.id, answer.status, answer.error)
        assert len(answer.transcript["text"]) >= 10, answer.transcript  # Whisper heard the speech
        assert answer.video["identity"]["verdict"] == "same", answer.video
    task_id = task_id_of(result_card_key(application_id))
    card = box.card(task_id, "zhangwei")
    assert card is not None and card["replace_name"] is None
    horizontal = {item["keyname"]: item["value"] for item in card["card"]["horizontal_content_list"]}
    assert horizontal["总分"] == f"{report.total:.1f} {score_band(report.total)}"
    assert card["card"]["card_action"]["url"] == f"{app_url}/m/reports/{report.id}"

    page.goto(f"{box.url}/phone/zhangwei")
    assert page.locator(".card .title").inner_text() == f"AI面试结果:{NAME}"
    assert f"{report.total:.1f}" in page.locator(".card").first.inner_text()
    shot(page, "04-phone-card")

    # The manager opens the report (signing in through the sandbox's OAuth page).
    sign_in_as(page, app_url, f"/m/reports/{report.id}", "张伟")
    assert page.locator(".total span").inner_text() == f"{report.total:.1f}"
    rows = page.locator(".dimbars .name").all_inner_texts()
    assert rows == [d.name for d in job.ordered_dimensions()]  # the job's order, every dimension
    assert page.locator("p.transcript mark").count() > 0
    radar_drawn = page.evaluate("!!window.echarts")
    if radar_drawn:  # the vendored ECharts is optional here; when present the chart must draw every dimension
        page.wait_for_selector("#radar svg")
        for name in report.dimensions:
            assert page.locator("#radar svg text", has_text=name).count() > 0
    print("radar drawn by ECharts:", radar_drawn)
    # Styles, scripts and the answers' media all load (ECharts may still be missing from the vendor folder).
    assert not [b for b in broken if b.split()[1].startswith(app_url) and "/vendor/echarts/" not in b], broken
    shot(page, "05-report")

    # Back on the phone: tap 进入复试 on the card itself.
    page.goto(f"{box.url}/phone/zhangwei")
    page.get_by_role("button", name="进入复试").click()
    page.wait_for_url(f"{box.url}/phone/zhangwei")
    deliveries = box.api("get", "/sandbox/api/deliveries")["deliveries"]
    assert deliveries
    rows = box.wait_deliveries([d["id"] for d in deliveries])
    assert all(r["status"] == "delivered" for r in rows), rows
    run_fast_worker(redis_conn)

    assert Application.get_by_id(application_id).stage == "second_round"
    event = StageEvent.get(StageEvent.application == application_id, StageEvent.to_stage == "second_round")
    assert (event.source, event.actor, event.from_stage) == ("card", "zhangwei", "ai_scored")
    assert box.card(task_id, "zhangwei")["replace_name"] == "已进入复试 · 张伟"
    page.reload()
    assert page.locator(".card .done").first.inner_text() == "已进入复试 · 张伟"
    assert page.get_by_role("button", name="进入复试").count() == 0
    shot(page, "06-phone-decided")
    hr = [m["body"] for m in box.messages("hr_lina")]
    assert any(NAME in str(body) and "进入复试" in str(body) for body in hr), hr
