"""The candidate's interview under a bad network and awkward use: two tabs of one link, offline at the end.

Chromium at 390 px with a fake camera and microphone against the real server; every wait is for a state of the page
(never a sleep that depends on the machine's speed).
"""
import pytest

from app.interview.models import Answer, Interview, QuestionStart
from tests.support.browser import second_page, shot
from tests.support.interviews import invite, make_ready, make_short_job

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]

RECORDER = "#recorder[data-state={}]"


def hold_chunks(page, count):
    """Leave the page's first `count` chunk requests unanswered (a connection that died without a word); returns
    the list the held requests go into."""
    held = []

    def chunks(route):
        if len(held) < count and route.request.method == "PUT":
            held.append(route)
            return
        route.continue_()

    page.route("**/mp/api/v1/uploads/*/chunks/*", chunks)
    return held


def wait_held(page, held, count=1):
    """Until `count` chunk requests are held (Playwright runs the route while the page waits)."""
    for _ in range(300):
        if len(held) >= count:
            return
        page.wait_for_timeout(100)
    assert len(held) >= count, f"{len(held)} of {count} chunk requests reached the route"


def review_in(page, base, token):
    """Open the question page and let the think time run out; the recording stops itself at the answer limit."""
    page.goto(f"{base}/i/{token}/question")
    page.wait_for_selector(RECORDER.format("review"), timeout=30000)


def record_in_both(first, second, base, token):
    """Both tabs open the question before either has a recording (a tab opened later would restore the first's from
    IndexedDB), so each records its own answer."""
    first.goto(f"{base}/i/{token}/question")
    second.goto(f"{base}/i/{token}/question")
    for page in (first, second):
        page.wait_for_selector(RECORDER.format("review"), timeout=30000)


def test_two_tabs_submitting_one_question_tell_the_second_which_answer_counts(live_app, phone):
    """The link open in two tabs, both recording question 1: the first submission was stored and the second tab said
    上传成功 and moved on, its recording thrown away without a word. It now says that the answer submitted in the other
    page counts and that this recording was not used, and moves on only when the candidate taps 继续."""
    app, base = live_app
    job = make_short_job(questions=2, think=1, answer=3, retakes=0)
    interview, token = invite(job)
    make_ready(interview, biometric=False)
    first, second = second_page(phone, web_locks=False)
    record_in_both(first, second, base, token)
    first.click("#btn-submit")
    first.wait_for_selector("text=第 2 / 2 题", timeout=30000)
    answer = Answer.get()
    second.click("#btn-submit")
    second.wait_for_selector(RECORDER.format("superseded"), timeout=30000)
    told = second.inner_text("#recorder")
    assert "另一个页面" in told and "为准" in told and "未被采用" in told, told
    assert second.is_visible("#btn-next")
    shot(second, "badnet-01-two-tabs-second-told")
    # Nothing of the accepted answer moved: one answer, the first tab's, and the page waits for the candidate.
    assert Answer.select().count() == 1 and Answer.get().media_key == answer.media_key
    assert "/question" in second.url
    second.click("#btn-next")
    second.wait_for_selector("text=第 2 / 2 题")
    assert Interview.get_by_id(interview.id).status == "in_progress"


def test_last_answer_uploaded_just_before_the_network_drops_waits_to_move_on(live_app, phone):
    """The last answer's upload finished and the network dropped before the page moved on: the page went to
    Chromium's "no internet" error page, and the candidate never learnt that the interview was done. It now says the
    answer is uploaded and that it moves on once the network is back, and does so."""
    app, base = live_app
    interview, token = invite(make_short_job(questions=1, think=1, answer=3, retakes=0))
    make_ready(interview, biometric=False)
    page = phone

    def complete_then_offline(route):
        response = route.fetch()
        page.context.set_offline(True)  # the network drops as the server's answer arrives
        route.fulfill(response=response)

    page.route("**/mp/api/v1/uploads/*/complete", complete_then_offline)
    review_in(page, base, token)
    page.click("#btn-submit")
    page.wait_for_function("document.getElementById('upload-text').textContent.includes('恢复后')")
    told = page.inner_text("#upload-text")
    assert "上传成功" in told and "网络" in told, told
    assert Answer.select().count() == 1 and Interview.get_by_id(interview.id).status == "completed"
    shot(page, "badnet-02-uploaded-then-offline")
    page.context.set_offline(False)
    page.wait_for_selector("#done")


def test_a_second_tab_recording_does_not_cut_the_first_tabs_answer_time(live_app, phone):
    """The link opened again in a second tab while the first was recording: the second tab's start counts as a
    restart after a reload and left the attempt only the seconds still to go, and the first tab's whole, honest
    answer was then refused as too long (回答时长 8 秒,超过了页面刷新后剩余的 3 秒作答时间). A recording that began
    before the restart is one of the first window's: the whole answer time applies to it."""
    app, base = live_app
    job = make_short_job(questions=2, think=1, answer=8, retakes=0)
    interview, token = invite(job)
    make_ready(interview, biometric=False)
    first, second = second_page(phone, web_locks=False)
    first.goto(f"{base}/i/{token}/question")
    first.wait_for_selector(RECORDER.format("recording"))
    # Five seconds or more of the first tab's answer are recorded before the second tab opens.
    first.wait_for_function("document.getElementById('timer-value').textContent <= '0:03'", timeout=15000)
    second.goto(f"{base}/i/{token}/question")
    second.wait_for_selector(RECORDER.format("recording"))
    # Without Web Locks the second page records the time left and says why; the server counts the start as a
    # restart (it cannot tell another page from a reload).
    told = second.inner_text("#rec-tip")
    assert "另一个页面或设备开始录制" in told and "刷新" not in told, told
    assert QuestionStart.get().recording_restarts == 1
    first.wait_for_selector(RECORDER.format("review"), timeout=15000)
    first.click("#btn-submit")
    first.wait_for_selector("text=第 2 / 2 题", timeout=30000)
    answer = Answer.get()
    assert answer.duration_s > 6, answer.duration_s  # the first tab's whole answer, accepted
    second.wait_for_selector(RECORDER.format("review"), timeout=15000)
    second.click("#btn-submit")
    second.wait_for_selector(RECORDER.format("superseded"), timeout=30000)
    assert Answer.select().count() == 1


def test_reload_while_recording_on_a_dropping_network_says_it_waits(live_app, phone):
    """Reloaded while recording, and the restart's report to the server fails (a flaky network): the page sat on
    正在打开麦克风… for as long as the network was down, saying nothing. It now says the network is being retried and
    carries on with the time the server left once the report gets through."""
    app, base = live_app
    interview, token = invite(make_short_job(questions=1, think=1, answer=12, retakes=0))
    make_ready(interview, biometric=False)
    page = phone
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{base}/i/{token}/question")
    page.wait_for_selector(RECORDER.format("recording"))
    page.wait_for_function("document.getElementById('timer-value').textContent <= '0:10'")
    failed = []

    def drop_restart(route):
        failed.append(route.request.url)
        route.abort("internetdisconnected")

    page.route("**/mp/api/v1/questions/*/start", drop_restart)
    page.reload()
    page.wait_for_function("document.getElementById('timer-label').textContent.includes('网络')")
    assert page.get_attribute("#recorder", "data-state") == "loading" and failed
    shot(page, "badnet-03-restart-waits-for-network")
    page.unroute("**/mp/api/v1/questions/*/start")
    page.wait_for_selector(RECORDER.format("recording"), timeout=30000)
    assert "本题剩余作答时间" in page.inner_text("#rec-tip")


@pytest.mark.parametrize("live_app", [{"UPLOAD_CHUNK_BYTES": 4096}], indirect=True)
def test_an_upload_that_stalls_then_goes_offline_resumes_when_back_online(live_app, phone):
    """A chunk's request hangs (the connection died silently), then the phone goes offline: the page says it waits
    for the network, and once back online the upload finishes on its own, stored once."""
    app, base = live_app
    interview, token = invite(make_short_job(questions=1, think=1, answer=3, retakes=0))
    make_ready(interview, biometric=False)
    page = phone
    held = hold_chunks(page, 1)
    review_in(page, base, token)
    page.click("#btn-submit")
    page.wait_for_selector(RECORDER.format("uploading"))
    page.wait_for_function("document.getElementById('upload-text').textContent.includes('已上传')")
    wait_held(page, held)   # the held chunk reaches the route after the text shows (seconds on a busy machine)
    page.context.set_offline(True)
    page.wait_for_function("document.getElementById('upload-text').textContent.includes('网络已断开')")
    shot(page, "badnet-04-upload-offline")
    assert Answer.select().count() == 0
    page.context.set_offline(False)
    page.wait_for_selector("#done", timeout=30000)
    assert Answer.select().count() == 1


def test_an_upload_replaced_by_another_tabs_says_which_answer_counts(live_app, phone):
    """Two tabs uploading the same question at once: the later one's upload replaced the earlier one's, whose next
    chunk was then refused and the page showed 上传记录不存在 Upload not found, with nothing about the other tab.
    It now opens its upload again by itself and learns that the other tab's answer was submitted and counts."""
    app, base = live_app
    interview, token = invite(make_short_job(questions=2, think=1, answer=3, retakes=0))
    make_ready(interview, biometric=False)
    first, second = second_page(phone, web_locks=False)
    record_in_both(first, second, base, token)
    held = []

    def hold_first_chunk(route):
        if not held:
            held.append(route)  # the second tab's upload waits here while the first tab uploads
            return
        route.continue_()

    second.route("**/mp/api/v1/uploads/*/chunks/*", hold_first_chunk)
    second.click("#btn-submit")
    second.wait_for_function("document.getElementById('upload-text').textContent.includes('已上传')")
    for _ in range(200):  # until the second tab's first chunk request is held (playwright's own event loop)
        if held:
            break
        second.wait_for_timeout(50)
    assert held
    first.click("#btn-submit")
    first.wait_for_selector("text=第 2 / 2 题", timeout=30000)
    held[0].continue_()
    second.wait_for_selector(RECORDER.format("superseded"), timeout=30000)
    assert "另一个页面" in second.inner_text("#recorder")
    assert "上传记录不存在" not in second.inner_text("body")
    assert Answer.select().count() == 1


def test_a_tab_that_starts_recording_an_attempt_already_submitted_is_told_at_once(live_app, phone):
    """A second tab still showing question 1 after the first tab submitted it: starting to record there recorded a
    whole answer for nothing (the server's refusal of the recording start was ignored until upload). It now stops
    at once and says the answer submitted from the other page counts."""
    app, base = live_app
    interview, token = invite(make_short_job(questions=2, think=30, answer=20, retakes=0))
    make_ready(interview, biometric=False)
    first, second = second_page(phone)
    first.goto(f"{base}/i/{token}/question")
    second.goto(f"{base}/i/{token}/question")
    second.wait_for_selector(RECORDER.format("thinking"))
    first.wait_for_selector(RECORDER.format("thinking"))
    first.click("#btn-start")
    first.wait_for_selector(RECORDER.format("recording"))
    first.wait_for_function("document.getElementById('timer-value').textContent <= '0:18'")
    first.click("#btn-stop")
    first.wait_for_selector(RECORDER.format("review"))
    first.click("#btn-submit")
    first.wait_for_selector("text=第 2 / 2 题", timeout=30000)
    second.click("#btn-start")
    second.wait_for_selector(RECORDER.format("superseded"), timeout=10000)
    told = second.inner_text("#recorder")
    assert "另一个页面" in told and "为准" in told, told
    shot(second, "badnet-05-start-after-other-tab-submitted")
    second.click("#btn-next")
    second.wait_for_selector("text=第 2 / 2 题")
    assert Answer.select().count() == 1


HIDE_PAGE = """(hidden) => {
  Object.defineProperty(document, 'hidden', {value: hidden, configurable: true});
  Object.defineProperty(document, 'visibilityState', {value: hidden ? 'hidden' : 'visible', configurable: true});
  document.dispatchEvent(new Event('visibilitychange'));
}"""


def test_think_time_ending_on_a_locked_phone_records_once_the_page_is_back(live_app, phone):
    """The phone locked while thinking: when the think time ran out the page began recording behind the lock screen
    (locking stops a recording, but nothing stopped one that began locked) and used up the answer time on a black,
    silent recording. It now waits for the page to be seen again and records then, saying the think time is over."""
    app, base = live_app
    interview, token = invite(make_short_job(questions=1, think=2, answer=10, retakes=0))
    make_ready(interview, biometric=True)
    page = phone
    page.goto(f"{base}/i/{token}/question")
    page.wait_for_selector(RECORDER.format("thinking"))
    page.evaluate(HIDE_PAGE, True)
    page.wait_for_function("document.getElementById('timer-value').textContent === '0:00'"
                           " || document.getElementById('recorder').dataset.state !== 'thinking'")
    assert page.get_attribute("#recorder", "data-state") == "thinking"
    page.evaluate(HIDE_PAGE, False)
    page.wait_for_selector(RECORDER.format("recording"))
    assert "思考时间已结束" in page.inner_text("#rec-tip")


def test_a_browser_whose_indexeddb_never_answers_still_records_and_uploads(live_app, phone):
    """Some phones' web views leave indexedDB.open unanswered (neither success nor error): the question page waited
    for the saved recording forever on 准备中 --. Storage that does not answer in time now counts as none: the page
    thinks, records, and uploads from memory, and says that the recording is kept in this page only (it was not
    said, and a reload lost it)."""
    app, base = live_app
    interview, token = invite(make_short_job(questions=1, think=1, answer=3, retakes=0))
    make_ready(interview, biometric=False)
    page = phone
    page.add_init_script("window.indexedDB.open = function () { return {}; };")  # a request that never fires
    page.goto(f"{base}/i/{token}/question")
    page.wait_for_selector(RECORDER.format("thinking") + ", " + RECORDER.format("recording"))
    page.wait_for_selector(RECORDER.format("review"), timeout=30000)
    assert "请勿关闭或刷新本页" in page.inner_text("#memory-note") and page.is_visible("#memory-note")
    shot(page, "badnet-08-recording-in-memory-only")
    page.click("#btn-submit")
    page.wait_for_selector("#done", timeout=30000)
    assert Answer.select().count() == 1


@pytest.mark.parametrize("live_app", [{"UPLOAD_MAX_BYTES": 2048}], indirect=True)
def test_a_recording_refused_as_too_large_offers_to_record_again(live_app, phone):
    """A recording over UPLOAD_MAX_BYTES was refused with 请缩短回答后重新录制, yet the page offered only 重试上传,
    which sent the same file and got the same refusal: the candidate could not go on. It offers 重新录制本题 now."""
    app, base = live_app
    interview, token = invite(make_short_job(questions=1, think=1, answer=3, retakes=0))
    make_ready(interview, biometric=False)
    page = phone
    review_in(page, base, token)
    page.click("#btn-submit")
    page.wait_for_selector(RECORDER.format("failed"))
    assert "重新录制" in page.inner_text("#upload-text")
    assert page.is_visible("#btn-retake") and page.is_hidden("#btn-retry")
    assert "重新录制本题" in page.inner_text("#btn-retake")
    shot(page, "badnet-06-too-large-record-again")
    page.click("#btn-retake")
    page.wait_for_selector(RECORDER.format("recording"), timeout=15000)


SAVED = """async ([key, wanted]) => {
  const db = await new Promise((ok, ko) => { const r = indexedDB.open('ai-interview', 1);
    r.onupgradeneeded = () => r.result.createObjectStore('recordings', {keyPath: 'key'});
    r.onsuccess = () => ok(r.result); r.onerror = () => ko(r.error); });
  const store = db.transaction('recordings', wanted === undefined ? 'readonly' : 'readwrite').objectStore('recordings');
  if (wanted !== undefined) { store.put(wanted); }
  const got = await new Promise((ok) => { const r = store.get(key); r.onsuccess = () => ok(r.result || null); });
  db.close();
  return got && got.id;
}"""


def test_recordings_of_questions_already_answered_leave_the_phone(live_app, phone, tmp_path, webm_bytes):
    """A recording whose upload completed while its answer was lost (a reload, the network) stayed in the phone's
    IndexedDB for good, a video per such question. The question page now drops the saved recordings of this link's
    questions the server already has."""
    from tests.support.interviews import upload_answer
    app, base = live_app
    job = make_short_job(questions=2, think=30, answer=10, retakes=0)
    interview, token = invite(job)
    make_ready(interview, biometric=False)
    q1, q2 = job.ordered_questions()
    path = tmp_path / "answer.webm"
    path.write_bytes(webm_bytes)
    upload_answer(token, q1, path)
    page = phone
    page.goto(f"{base}/i/{token}")
    old = {"key": f"{token}:{q1.id}", "id": "stale", "questionId": q1.id, "attempt": 1, "submitted": True}
    assert page.evaluate(SAVED, [old["key"], old]) == "stale"
    page.goto(f"{base}/i/{token}/question")
    page.wait_for_selector(RECORDER.format("thinking"))
    assert "第 2 / 2 题" in page.inner_text("body")
    for _ in range(100):  # until the page's clean-up ran (an IndexedDB transaction of its own)
        if page.evaluate(SAVED, [old["key"]]) is None:
            break
        page.wait_for_timeout(100)
    assert page.evaluate(SAVED, [old["key"]]) is None


@pytest.mark.parametrize("live_app", [{"UPLOAD_CHUNK_BYTES": 4096}], indirect=True)
def test_a_reload_during_upload_says_the_upload_continues(live_app, phone):
    """Reloaded while uploading: the page carried on uploading the saved recording but said nothing about the
    reload, so a candidate could think the answer was lost and wait for a recording screen. It says the submitted
    answer keeps uploading and that what arrived is not sent again."""
    app, base = live_app
    interview, token = invite(make_short_job(questions=1, think=1, answer=3, retakes=0))
    make_ready(interview, biometric=False)
    page = phone
    page.on("dialog", lambda dialog: dialog.accept())
    held = hold_chunks(page, 2)   # the first chunk hangs, before and after the reload
    review_in(page, base, token)
    page.click("#btn-submit")
    page.wait_for_selector(RECORDER.format("uploading"))
    wait_held(page, held)
    page.reload()
    page.wait_for_selector(RECORDER.format("uploading"))
    assert "继续上传" in page.inner_text("#rec-tip"), page.inner_text("#rec-tip")
    shot(page, "badnet-07-reload-during-upload")
    wait_held(page, held, 2)   # the reloaded page's chunk request is held too
    held[1].abort("connectionreset")  # sent again after a second, and let through (the first went with its page)
    page.wait_for_selector("#done", timeout=60000)
    assert Answer.select().count() == 1
