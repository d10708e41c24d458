"""Recordings saved on the phone are removed only once the server has them (Chromium at 390 px, fake camera)."""
import pytest

from app.core.models import Question
from app.interview.models import Answer
from tests.support.browser import shot
from tests.support.interviews import invite, make_ready, make_short_job

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]

# Saved as the page saves them: one key per recording (link:question:attempt:recording id).
SAVE = """(recs) => Promise.all(recs.map(([k, q], i) => H5.store.put({key: k, id: 'r' + i, questionId: q, attempt: 1,
    mime: 'audio/webm', blob: new Blob(['x'], {type: 'audio/webm'}), submitted: true}))).then(() => 1)"""
SAVED = "k => H5.store.list(k).then(all => all.filter(r => r.blob).length)"


def test_a_later_questions_recording_not_yet_uploaded_survives_an_earlier_question_page(live_app, phone):
    """HR inserted a question before the one whose recording waits on the phone to be uploaded: the page of the new
    question deleted every other recording of the link (H5.store.prune by prefix), that one too, and it was lost.
    Now only the recordings of questions the server has an answer to are removed."""
    app, base = live_app
    job = make_short_job(questions=2, think=30, answer=60, retakes=0)
    interview, token = invite(job)
    make_ready(interview, biometric=False)
    q1, q2 = job.ordered_questions()
    phone.goto(f"{base}/i/{token}/question")
    phone.wait_for_selector("#recorder[data-state=thinking]", timeout=30000)
    done, waiting = f"{token}:{q1.id}:1:r0", f"{token}:{q2.id}:1:r1"
    assert phone.evaluate(SAVE, [[done, q1.id], [waiting, q2.id]]) == 1
    # q1 answered; q2 (its recording on the phone, e.g. from another page of the link) not yet under way on the
    # server, so the inserted question is the candidate's next (a question already shown would come first).
    Answer.create(interview=interview, question=q1, attempt=1, media_key="answers/x/1.webm")
    Question.create(job=job, position=0, text="新加的题:请介绍一下你自己。", dimension_names=["语言表达"],
                    think_seconds=30, answer_seconds=60, retakes_allowed=0)
    phone.goto(f"{base}/i/{token}/question")
    phone.wait_for_selector("#recorder[data-state=thinking]", timeout=30000)
    assert "新加的题" in phone.inner_text("body")
    # q1's recording goes (the server has its answer); that transaction also decided about q2's.
    phone.wait_for_function(f"k => ({SAVED})(k).then(n => n === 0)", arg=done)
    assert phone.evaluate(SAVED, waiting) == 1
    shot(phone, "saved-recordings-01-inserted-question", folder="retakes")
