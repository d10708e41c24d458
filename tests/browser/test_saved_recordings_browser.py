"""Recordings saved on the phone are removed only once the server has them (Chromium at 390 px, fake camera)."""
import pytest

from app.interview.models import Answer
from tests.support.browser import shot
from tests.support.interviews import invite, make_ready, make_short_job

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]

# Saved as the page saves them: one key per recording (link:question:attempt:recording id).
SAVE = """(recs) => Promise.all(recs.map(([k, q], i) => H5.store.put({key: k, id: 'r' + i, questionId: q, attempt: 1,
    mime: 'audio/webm', blob: new Blob(['x'], {type: 'audio/webm'}), submitted: true}))).then(() => 1)"""
SAVED = "k => H5.store.list(k).then(all => all.filter(r => r.blob).length)"


def test_a_later_questions_recording_not_yet_uploaded_survives_an_earlier_question_page(live_app, phone):
    """A later question's recording waits on the phone to be uploaded (made on another page of the link) while the
    page shows an earlier question: the page deleted every other recording of the link (H5.store.prune by prefix),
    that one too, and it was lost. Now only the recordings of questions the server has an answer to are removed."""
    app, base = live_app
    job = make_short_job(questions=3, think=30, answer=60, retakes=0)
    interview, token = invite(job)
    make_ready(interview, biometric=False)
    q1, q2, q3 = job.ordered_questions()
    phone.goto(f"{base}/i/{token}/question")
    phone.wait_for_selector("#recorder[data-state=thinking]", timeout=30000)
    done, waiting = f"{token}:{q1.id}:1:r0", f"{token}:{q3.id}:1:r1"
    assert phone.evaluate(SAVE, [[done, q1.id], [waiting, q3.id]]) == 1
    # q1 answered; q3 (its recording on the phone) not yet under way on the server: q2 is the candidate's next.
    Answer.create(interview=interview, question=q1, attempt=1, media_key="answers/x/1.webm")
    phone.goto(f"{base}/i/{token}/question")
    phone.wait_for_selector("#recorder[data-state=thinking]", timeout=30000)
    assert q2.text in phone.inner_text("body")
    # q1's recording goes (the server has its answer); that transaction also decided about q3's.
    phone.wait_for_function(f"k => ({SAVED})(k).then(n => n === 0)", arg=done)
    assert phone.evaluate(SAVED, waiting) == 1
    shot(phone, "saved-recordings-01-earlier-question", folder="retakes")
