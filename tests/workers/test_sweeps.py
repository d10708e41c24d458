"""Nothing stays stranded: the sweep runs on a schedule, and a retried complete re-enqueues a waiting answer."""
from rq import Queue, SimpleWorker

from app.core import jobs
from app.core.extensions import redis_client
from app.core.queues import FAST, MEDIA
from app.core.sweeps import SWEEP_UNFINISHED
from app.interview import uploads
from app.interview.models import Answer, Upload
from tests.support.interviews import start_interview, two_question_job, upload_answer
from tests.support.media import MEDIA as FIXTURES
from workers.scheduler import build_scheduler


def _stranded_answer():
    """An uploaded answer whose first job never reached Redis (as when Redis failed right after the commit)."""
    job = two_question_job()
    interview, token = start_interview(job, biometric=False)
    answer = upload_answer(token, job.ordered_questions()[0], FIXTURES / "backend_good.webm", mime="audio/webm")
    Queue(MEDIA, connection=redis_client.get()).empty()
    Queue(FAST, connection=redis_client.get()).empty()  # the candidate's stage notices (not under test here)
    upload = Upload.get((Upload.interview == interview.id) & (Upload.status == "complete"))
    return answer, token, upload.id


def test_the_scheduler_enqueues_the_sweep_which_resumes_a_stranded_answer(app, redis_conn):
    answer, _, _ = _stranded_answer()
    scheduler = build_scheduler(redis_conn)
    assert {job.name for job in scheduler.get_jobs()} == {spec.name for spec, _ in jobs.schedule()}
    due = scheduler.enqueue_jobs()  # what the scheduler process does when a sweep is due
    assert {job.name for job in due} == {spec.name for spec, _ in jobs.schedule()}
    assert {j.func_name for j in Queue(FAST, connection=redis_conn).get_jobs()} == {
        spec.func for spec, _ in jobs.schedule()}  # every sweep runs on the fast queue

    SimpleWorker([Queue(FAST, connection=redis_conn)], connection=redis_conn).work(burst=True)

    assert Queue(MEDIA, connection=redis_conn).get_job_ids() == [f"process-answer-{answer.id}"]
    assert scheduler.enqueue_jobs() == []  # not due again until its interval has passed


def test_every_scheduled_job_is_a_registered_job_with_an_interval():
    for spec, every_seconds in jobs.schedule():
        assert spec in jobs.all_jobs() and every_seconds > 0
    sweep = dict((spec, s) for spec, s in jobs.schedule())[SWEEP_UNFINISHED]
    assert sweep <= 30  # a card left by a killed worker goes out within about a minute (40 s stale + sweep)


def test_a_retried_complete_re_enqueues_an_answer_still_waiting(app, redis_conn):
    answer, token, upload_id = _stranded_answer()
    assert Queue(MEDIA, connection=redis_conn).get_job_ids() == []
    again, created = uploads.complete_upload(token, upload_id)
    assert (again.id, created) == (answer.id, False)
    assert Queue(MEDIA, connection=redis_conn).get_job_ids() == [f"process-answer-{answer.id}"]
    Answer.update(status="transcribed").where(Answer.id == answer.id).execute()
    uploads.complete_upload(token, upload_id)
    assert Queue(MEDIA, connection=redis_conn).get_job_ids() == [f"process-answer-{answer.id}"]  # only waiting ones
