"""Two pages of one link, and steps posted offline: what the candidate is told (Chromium at 390 px, fake camera).

Every wait is for a state of the page, never a sleep that depends on the machine's speed.
"""
import pytest

from app.interview.models import Interview, QuestionStart
from tests.support.browser import second_page, shot
from tests.support.interviews import invite, make_ready, make_short_job

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]

RECORDER = "#recorder[data-state={}]"


def test_a_second_page_opened_while_the_first_records_says_continue_there(live_app, phone):
    """The link opened again while the first page recorded: the second page said 「录制中页面被刷新…之前的录制未能
    保存」 (nothing was lost) and the report counted a restarted answer. It now says the interview is open in another
    page and to continue there, the server counts nothing, and once the first page has its recording the second
    page shows it (restored from the phone) instead of recording again."""
    app, base = live_app
    interview, token = invite(make_short_job(questions=1, think=1, answer=60, retakes=0))
    make_ready(interview, biometric=False)
    first, second = second_page(phone)
    first.goto(f"{base}/i/{token}/question")
    first.wait_for_selector(RECORDER.format("recording"), timeout=30000)
    first.wait_for_function("() => document.getElementById('rec-tip').textContent.length > 0")
    row = QuestionStart.get()
    assert row.recording_started_at is not None  # the first page's start reached the server
    second.goto(f"{base}/i/{token}/question")
    second.wait_for_selector(RECORDER.format("elsewhere"))
    told = second.inner_text("#recorder")
    assert "另一个页面" in told and "继续" in told and "刷新" not in told and "未能保存" not in told, told
    shot(second, "twotabs-01-second-page-continue-there")
    assert first.is_visible(RECORDER.format("recording"))
    assert QuestionStart.get_by_id(row.id).recording_restarts == 0
    first.click("#btn-stop")
    first.wait_for_selector(RECORDER.format("review"))
    second.wait_for_selector(RECORDER.format("review"), timeout=30000)  # the first page's recording, restored
    assert QuestionStart.get_by_id(row.id).recording_restarts == 0


def test_the_waiting_page_restarts_when_the_recording_page_is_closed(live_app, phone):
    """The page that was told to continue elsewhere goes on by itself when the recording page is closed: it shows
    what that page saved on the phone, or, when it saved nothing yet, records the time left (a restart)."""
    app, base = live_app
    interview, token = invite(make_short_job(questions=1, think=1, answer=60, retakes=0))
    make_ready(interview, biometric=False)
    first, second = phone.context.new_page(), phone
    first.goto(f"{base}/i/{token}/question")
    first.wait_for_selector(RECORDER.format("recording"), timeout=30000)
    first.wait_for_function("() => document.getElementById('rec-tip').textContent.length > 0")
    second.goto(f"{base}/i/{token}/question")
    second.wait_for_selector(RECORDER.format("elsewhere"))
    first.close()
    # What the closed page had saved on the phone (its recorder saves as it records) is shown for review; when it
    # had saved nothing yet, this page records the time left, a restart.
    second.wait_for_selector(f'{RECORDER.format("recording")}, {RECORDER.format("review")}', timeout=30000)
    if second.get_attribute("#recorder", "data-state") == "review":
        assert QuestionStart.get().recording_restarts == 0
    else:
        assert "剩余作答时间" in second.inner_text("#rec-tip")
        assert QuestionStart.get().recording_restarts == 1


@pytest.mark.parametrize("step", ["consent", "identity", "device"])
def test_a_step_posted_offline_keeps_the_page_and_says_retry(live_app, phone, step):
    """Consent, identity or the device check posted while offline showed Chromium's own "no internet" page and lost
    what was entered. The page now stays, keeps the entries, says 「网络已断开,恢复后请重试」 and posts again once
    the network is back."""
    from app.interview import flow as interview_flow
    from tests.support.interviews import NAME, PHONE
    app, base = live_app
    interview, token = invite(make_short_job(questions=1))
    if step in ("identity", "device"):
        interview_flow.give_consent(interview.id, True, False, interview_flow.CONSENT_VERSION)
    if step == "device":
        interview_flow.verify_identity(interview.id, NAME, PHONE[-4:], None)
    page = phone
    page.goto(f"{base}/i/{token}/{step}")
    if step == "consent":
        page.click("label[for=recording]")
        page.click("label[for=bio-no]")
        button = "#consent-submit"
    elif step == "identity":
        page.fill("#name", NAME)
        page.fill("#phone_last4", PHONE[-4:])
        button = "#identity-form button[type=submit]"
    else:
        page.click("#test-record")
        page.wait_for_selector("#device-ok:not([disabled])", timeout=20000)
        button = "#device-ok"
    page.context.set_offline(True)
    page.click(button)
    page.wait_for_selector("text=网络已断开,恢复后请重试")
    assert f"/{step}" in page.url
    if step == "consent":
        assert page.is_checked("#recording") and page.is_checked("#bio-no")
    elif step == "identity":
        assert page.input_value("#name") == NAME and page.input_value("#phone_last4") == PHONE[-4:]
    assert page.is_enabled(button)
    shot(page, f"twotabs-02-{step}-offline")
    page.context.set_offline(False)
    following = {"consent": "identity", "identity": "device", "device": "question"}[step]
    page.wait_for_url(f"**/{following}", timeout=20000)
    assert Interview.get_by_id(interview.id).id == interview.id


def test_a_step_whose_post_is_dropped_keeps_the_page_and_sends_it_again(live_app, phone):
    """The network dropped after the page's reachability check, as the identity form's POST went out: Chromium's own
    "This site can't be reached" page replaced the form and what was typed. The page now sends the form itself: it
    stays, keeps the entries, says 网络已断开 with a 重试 button, and sends it once more when the network is back."""
    from app.interview import flow as interview_flow
    from tests.support.interviews import NAME, PHONE
    app, base = live_app
    interview, token = invite(make_short_job(questions=1))
    interview_flow.give_consent(interview.id, True, False, interview_flow.CONSENT_VERSION)
    page = phone
    posts = []

    def drop_first_post(route):
        if route.request.method != "POST":
            route.continue_()
            return
        posts.append(route.request.url)
        if len(posts) > 1:
            route.continue_()
            return
        page.context.set_offline(True)  # the network drops as the form goes out
        route.abort("internetdisconnected")

    page.route(f"**/i/{token}/identity", drop_first_post)
    page.goto(f"{base}/i/{token}/identity")
    page.fill("#name", NAME)
    page.fill("#phone_last4", PHONE[-4:])
    page.click("#identity-submit")
    page.wait_for_selector(".js-offline-note >> text=网络已断开")
    assert "/identity" in page.url
    assert page.input_value("#name") == NAME and page.input_value("#phone_last4") == PHONE[-4:]
    assert page.is_visible(".js-offline-note button") and page.is_enabled("#identity-submit")
    shot(page, "h5net-01-identity-post-dropped")
    page.context.set_offline(False)
    page.wait_for_url("**/device", timeout=20000)
    assert len(posts) == 2  # the dropped POST and one more: not one per way of retrying
    assert Interview.get_by_id(interview.id).identity_verified_at is not None


def test_two_pages_recording_one_question_keep_each_its_own_recording(live_app, phone):
    """Two pages of the link recording one question (no Web Locks: an older WeChat, tests/browser/
    test_bad_network_browser.py): both saved their recording on the phone under one key, the later over the earlier,
    and the earlier page, reloaded, showed and submitted the other page's recording as its own. Each recording is now
    kept under its own key (link, question, attempt, recording), and a reloaded page submits its own."""
    from app.interview.models import Upload
    app, base = live_app
    interview, token = invite(make_short_job(questions=2, think=60, answer=3, retakes=0))
    make_ready(interview, biometric=False)
    first, second = second_page(phone, web_locks=False)
    for page in (first, second):
        page.goto(f"{base}/i/{token}/question")
        page.wait_for_selector(RECORDER.format("thinking"))
    ids = []
    for page in (first, second):  # one after the other: the second page's recording is saved last
        page.click("#btn-start")
        page.wait_for_selector(RECORDER.format("review"), timeout=30000)
        ids.append(page.evaluate(SAVED_IDS))
    assert len(ids[0]) == 1 and set(ids[1]) >= set(ids[0]) and len(ids[1]) == 2, ids
    first.reload()
    first.wait_for_selector(RECORDER.format("review"))
    first.click("#btn-submit")
    first.wait_for_selector("text=第 2 / 2 题", timeout=30000)
    assert Upload.get().recording == ids[0][0]  # the first page's own recording


SAVED_IDS = """async () => {
  const db = await new Promise((ok, ko) => { const r = indexedDB.open('ai-interview', 1);
    r.onupgradeneeded = () => r.result.createObjectStore('recordings', {keyPath: 'key'});
    r.onsuccess = () => ok(r.result); r.onerror = () => ko(r.error); });
  const all = await new Promise((ok) => { const r = db.transaction('recordings').objectStore('recordings').getAll();
    r.onsuccess = () => ok(r.result); });
  db.close();
  return all.map((rec) => rec.id);
}"""
