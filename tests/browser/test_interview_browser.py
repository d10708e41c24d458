"""A candidate completes an interview in Chromium (fake camera/mic) against the real server, Redis and storage."""
import pytest
import rq

from app.core.storage import get_storage
from app.interview.media import probe
from app.interview.models import Answer, Interview, QuestionStart, Upload
from tests.support.browser import WECHAT_UA, chromium_page, shot
from tests.support.interviews import NAME, PHONE, invite, make_ready, make_short_job

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]


def go_through_setup(page, base, token, biometric=True, prefix=""):
    page.goto(f"{base}/i/{token}")
    page.wait_for_selector("#start")
    shot(page, f"{prefix}01-landing")
    page.click("#start")
    page.wait_for_selector("#consent-form")
    page.check("#recording")
    page.click("label[for=bio-yes]" if biometric else "label[for=bio-no]")
    shot(page, f"{prefix}02-consent")
    page.click("#consent-submit")
    page.wait_for_selector("#identity-form")
    page.fill("#name", NAME)
    page.fill("#phone_last4", PHONE[-4:])
    if biometric:
        page.wait_for_selector("#face-take:not([disabled])")
        page.wait_for_function("document.getElementById('face-video').videoWidth > 0")
        page.click("#face-take")
    shot(page, f"{prefix}03-identity")
    page.click("#identity-submit")
    page.wait_for_selector("#device")
    page.wait_for_selector("#test-record:not([disabled])")
    page.click("#test-record")
    page.wait_for_selector("#device-ok:not([disabled])", timeout=15000)
    page.wait_for_timeout(300)
    shot(page, f"{prefix}04-device")
    page.click("#device-ok")
    page.wait_for_selector("#recorder")


HIDE_PAGE = """(hidden) => {
  Object.defineProperty(document, 'hidden', {value: hidden, configurable: true});
  document.dispatchEvent(new Event('visibilitychange'));
}"""


def test_candidate_records_two_answers(live_app, phone, redis_conn):
    app, base = live_app
    job = make_short_job(questions=2, think=3, answer=10, retakes=1)
    interview, token = invite(job)
    page = phone
    go_through_setup(page, base, token)
    # Question 1: start early, leave the page while recording (it stops and is kept), review, retake, submit.
    page.wait_for_selector("#recorder[data-state=thinking]")
    shot(page, "05-q1-think")
    page.click("#btn-start")
    page.wait_for_selector("#recorder[data-state=recording]")
    shot(page, "06-q1-recording")
    page.wait_for_timeout(1500)  # a second and a half of answer (the limit is 10 s)
    # The candidate switches to another app while recording: the recording stops and is kept for review, and
    # the absence is reported for the integrity checks.
    page.evaluate(HIDE_PAGE, True)
    page.wait_for_selector("#recorder[data-state=review]")
    page.evaluate(HIDE_PAGE, False)
    # The review player knows the recording's length (MediaRecorder's WebM has none: it used to show 0:00).
    page.wait_for_function("Number.isFinite(document.getElementById('playback').duration)"
                           " && document.getElementById('playback').duration > 0")
    shot(page, "07-q1-review")
    page.click("#btn-retake")
    page.wait_for_selector("#recorder[data-state=recording]", timeout=10000)  # 3 s get-ready, then records
    page.wait_for_selector("#recorder[data-state=review]", timeout=25000)     # auto-stop at the 10 s limit
    assert page.is_hidden("#btn-retake")  # no retakes left
    page.click("#btn-submit")
    page.wait_for_selector("text=第 2 / 2 题", timeout=30000)
    # Question 2: the think countdown runs out, recording starts and stops by itself.
    page.wait_for_selector("#recorder[data-state=recording]", timeout=10000)
    page.wait_for_selector("#recorder[data-state=review]", timeout=25000)
    page.click("#btn-submit")
    page.wait_for_selector("#done", timeout=30000)
    shot(page, "08-done")
    errors = [m for m in page.console_messages if m.startswith(("error", "pageerror"))]
    assert not errors, errors

    first = QuestionStart.get((QuestionStart.question == job.ordered_questions()[0].id) & (QuestionStart.attempt == 1))
    assert first.hidden_count == 1  # reported for the integrity checks
    answers = list(Answer.select().order_by(Answer.question, Answer.attempt))
    assert [(a.question_id, a.attempt) for a in answers] == [(q.id, n) for q, n in zip(
        job.ordered_questions(), (2, 1), strict=True)]
    for answer in answers:
        info = probe(get_storage().path_for(answer.media_key))
        assert info.duration_s > 0.5 and info.has_video and answer.has_video
        assert answer.duration_s > 0.5 and answer.mime_type.startswith("video/")
    assert Interview.get_by_id(interview.id).status == "completed"
    queued = sorted(j.id for j in rq.Queue("media", connection=redis_conn).get_jobs())
    assert queued == sorted(f"process-answer-{a.id}" for a in answers)
    # Reopening the link after the end shows the done page, not the questions.
    page.goto(f"{base}/i/{token}")
    page.wait_for_selector("#done")
    # An unknown link gets a friendly page, not a stack trace.
    res = page.goto(f"{base}/i/this-link-does-not-exist")
    assert res.status == 404 and page.is_visible("text=链接无效")
    shot(page, "09-invalid-link")


# Small chunks, so that a 4-second audio answer takes several requests.
@pytest.mark.parametrize("live_app", [{"UPLOAD_CHUNK_BYTES": 4096}], indirect=True)
def test_network_drop_and_reload_mid_upload_keep_the_answer_once(live_app, phone, redis_conn):
    app, base = live_app
    job = make_short_job(questions=1, think=1, answer=4, retakes=0)
    interview, token = invite(job)
    page = phone
    go_through_setup(page, base, token, biometric=False, prefix="drop-")
    state = {"seen": 0, "offline": False, "aborted": 0}

    def chunks(route):
        state["seen"] += 1
        # The second chunk fails once (a flaky network); from the fourth on, the network is down.
        if state["seen"] == 2 or (state["offline"] and route.request.method == "PUT"):
            state["aborted"] += 1
            route.abort("internetdisconnected")
            return
        if state["seen"] == 3:
            state["offline"] = True
        route.continue_()

    page.route("**/mp/api/v1/uploads/*/chunks/*", chunks)
    page.wait_for_selector("#recorder[data-state=review]", timeout=20000)
    page.click("#btn-submit")
    for _ in range(100):  # until the flaky chunk and two chunks sent while offline have failed
        if state["aborted"] >= 3:
            break
        page.wait_for_timeout(200)
    assert state["offline"] and state["aborted"] >= 3
    page.wait_for_function("document.getElementById('upload-text').textContent.includes('重试')")
    shot(page, "drop-05-retrying")
    assert Answer.select().count() == 0
    # The phone reloads the page (or is locked and reopened) while offline; the network then comes back.
    state["offline"] = False
    page.reload()
    page.wait_for_selector("#done", timeout=30000)
    shot(page, "drop-06-done")
    assert state["aborted"] >= 2
    assert Answer.select().count() == 1 and Upload.select().count() == 1
    answer = Answer.get()
    assert answer.has_video is False and probe(get_storage().path_for(answer.media_key)).duration_s > 0.5
    assert [j.id for j in rq.Queue("media", connection=redis_conn).get_jobs()] == [f"process-answer-{answer.id}"]


def test_denied_camera_shows_how_to_allow_it_in_wechat(live_app):
    app, base = live_app
    interview, token = invite(make_short_job(questions=1))
    make_ready(interview, biometric=True)
    Interview.update(device_checked_at=None).where(Interview.id == interview.id).execute()
    # No --use-fake-ui-for-media-stream: nobody answers the permission prompt, so it is denied.
    with chromium_page("--use-fake-device-for-media-stream", "--deny-permission-prompts",
                       user_agent=WECHAT_UA) as page:
        page.goto(f"{base}/i/{token}/device")
        page.wait_for_selector("#device-denied", state="visible", timeout=15000)
        assert "拒绝" in page.inner_text("#device-status")
        assert "设置 → 微信 → 权限" in page.inner_text("#device-denied")
        assert page.is_disabled("#device-ok")
        shot(page, "10-device-denied")


# Small chunks and a short stall limit, so that one chunk's request can hang without ending the test.
@pytest.mark.parametrize("live_app", [{"UPLOAD_CHUNK_BYTES": 4096, "UPLOAD_STALL_SECONDS": 2}], indirect=True)
def test_a_chunk_request_that_hangs_is_sent_again(live_app, phone, redis_conn):
    """A phone moving between networks often leaves a request hanging without an error: the upload sat at the same
    percentage for minutes (fetch has no timeout and reports no upload progress). A chunk request that sends
    nothing for UPLOAD_STALL_SECONDS is now dropped and sent again, and the page says so."""
    app, base = live_app
    job = make_short_job(questions=1, think=1, answer=4, retakes=0)
    interview, token = invite(job)
    page = phone
    go_through_setup(page, base, token, biometric=False, prefix="stall-")
    held = []

    def chunks(route):
        if not held and route.request.method == "PUT":
            held.append(route)     # never answered: the connection died silently
            return
        route.continue_()

    page.route("**/mp/api/v1/uploads/*/chunks/*", chunks)
    page.wait_for_selector("#recorder[data-state=review]", timeout=20000)
    page.click("#btn-submit")
    page.wait_for_function("document.getElementById('upload-text').textContent.includes('重试')", timeout=15000)
    shot(page, "stall-05-retrying")
    page.wait_for_selector("#done", timeout=30000)
    assert len(held) == 1 and Answer.select().count() == 1 and Upload.select().count() == 1
