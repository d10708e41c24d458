"""Deletion reaches what the domain packages store (app/screening, app/process, app/analytics): the resume file
and its text, the screening, knockout answers, scorecards, the background check, the offer, onboarding items,
self-identification, performance, and the analytics rollup's copies; searched for in every table."""
import datetime as dt

from rq import Queue

from app.analytics import rollup
from app.analytics.models import (
    ApplicationFact,
    PerformanceImport,
    PerformanceRecord,
    ScorecardDimensionFact,
    ScorecardFact,
    ScoreFact,
    SelfIdentification,
)
from app.core.base import utcnow
from app.core.domains import all_models
from app.core.models import StageEvent
from app.core.storage import get_storage
from app.privacy import deletion
from app.process.models import Booking, CheckItem, CheckOrder, Offer, OnboardingItem, ProcessEvent, Round, Scorecard
from app.screening import intake
from app.screening.job_templates import import_template
from app.screening.models import Intake, Resume, Screening
from tests.privacy.helpers import candidate_with_domain_data, pdf_bytes
from tests.support.funnel import backend_template


def rows_with(needle):
    """(table, row) of every row of every table whose repr contains `needle`."""
    return [(model.__name__, row) for model in all_models() for row in model.select().dicts() if needle in repr(row)]


def facts_of(app_id):
    fact = ApplicationFact.get_or_none(ApplicationFact.application_id == app_id)
    return ((fact.total, fact.gender, fact.age_band, fact.channel) if fact else None,
            ScoreFact.select().where(ScoreFact.application_id == app_id).count(),
            ScorecardFact.select().where(ScorecardFact.application_id == app_id).count(),
            ScorecardDimensionFact.select().where(ScorecardDimensionFact.application_id == app_id).count())


def test_deletion_erases_the_domain_data_everywhere(any_db_app, redis_conn):
    job = import_template(backend_template())
    link = intake.create_link(job.id, "wechat_group", "hr1")
    soon = (utcnow() + dt.timedelta(days=2)).replace(microsecond=0)
    mine = candidate_with_domain_data(job, link, "李明", "13800001234", "ERASEME", booked_at=soon)
    other = candidate_with_domain_data(job, link, "王芳", "13900005678", "KEEPME", salary=23456,
                                       booked_at=soon - dt.timedelta(days=5))
    rollup.refresh()
    # Before: the markers are there, and the rollup copied the report, the scorecard and the self-identification.
    assert {table for table, _ in rows_with("ERASEME")} >= {
        "Resume", "Screening", "Intake", "Round", "Scorecard", "Booking", "CheckOrder", "CheckItem", "Offer",
        "OnboardingItem", "ProcessEvent", "SentNotice", "Candidate", "Message", "Report", "Answer"}
    before = ((76.5, "女", "45+", "wechat_group"), 2, 1, 2)  # report: 1 dimension + 总分; the card rates 2
    assert facts_of(mine.application_id) == before and facts_of(other.application_id) == before
    assert get_storage().exists(mine.resume_key) and mine.resume_key != other.resume_key
    others_rows = rows_with("KEEPME")

    request = deletion.confirm(deletion.request_deletion(mine.candidate_id, "candidate").id, "hr_lina")
    summary = deletion.execute_deletion(request.id)

    for needle in ("ERASEME", "李明", "13800001234", "月薪 34567"):  # tag, name, phone, the offer
        assert rows_with(needle) == [], needle
    storage = get_storage()
    assert not storage.exists(mine.resume_key) and not any(storage.exists(k) for k in mine.keys.values())
    app_id = mine.application_id
    for model in (Resume, Screening, Offer, OnboardingItem, SelfIdentification, PerformanceRecord):
        assert not model.select().where(model.application == app_id).exists(), model.__name__
    assert not Scorecard.select().join(Round).where(Round.application == app_id).exists()
    assert not CheckItem.select().join(CheckOrder).where(CheckOrder.application == app_id).exists()
    assert not Booking.select().join(Round).where(Round.application == app_id).exists()
    # The rollup no longer carries the deleted report, scorecard or self-identification; the channel stays.
    assert facts_of(app_id) == ((None, "", "", "wechat_group"), 0, 0, 0)
    assert facts_of(other.application_id) == before
    # What stays, anonymised: the intake's channel, the round, the check's outcome, the process trail.
    kept = Intake.get(Intake.application == app_id)
    assert (kept.channel, kept.answers, kept.candidate_message) == ("wechat_group", {}, "")
    round_ = Round.get(Round.application == app_id)
    assert (round_.interviewers, round_.focus, round_.candidate_note) == (["zhangwei"], "", "")
    order = CheckOrder.get(CheckOrder.application == app_id)
    assert (order.status, order.consent_version, order.decision_note) == ("verifying", "bg-1", "")
    # The performance file's row about the candidate goes, the import and the other candidate's file stay.
    assert [len(i.rows) for i in PerformanceImport.select().order_by(PerformanceImport.id)] == [0, 1]
    events = list(ProcessEvent.select().where(ProcessEvent.application == app_id).order_by(ProcessEvent.id))
    # The upcoming booking was cancelled the way a closed application's is (scheduling.cancel_upcoming).
    assert [(e.kind, e.detail) for e in events] == [("other_time", ""), ("check_problem", ""),
                                                    ("booking_cancelled", "")]
    assert [e.to_stage for e in StageEvent.select().where(StageEvent.application == app_id)
            .order_by(StageEvent.id)][-3:] == ["second_round", "background_check", "withdrawn"]
    # The upcoming interview's WeCom schedule and meeting (their text names the candidate) are cancelled.
    cancel = Queue("fast", connection=redis_conn).fetch_job(f"cancel-calendar-sched-{app_id}-meet-{app_id}")
    assert cancel.args[:3] == (f"sched-{app_id}", f"meet-{app_id}", ["zhangwei"])
    assert cancel.args[3].startswith("**复试已取消** · ") and "李明" not in cancel.args[3]  # the panel is told, unnamed
    assert Queue("fast", connection=redis_conn).fetch_job(
        f"cancel-calendar-sched-{other.application_id}-meet-{other.application_id}") is None
    # The other candidate keeps everything.
    assert rows_with("KEEPME") == others_rows and storage.exists(other.resume_key)
    assert SelfIdentification.get(SelfIdentification.application == other.application_id).age_band == "45+"
    assert Offer.get(Offer.application == other.application_id).salary == 23456

    assert summary["files"] == len(mine.keys) + 1  # the resume file too
    expected = {"resumes": 1, "screenings": 1, "intakes": 1, "rounds": 1, "bookings": 1, "scorecards": 1,
                "offers": 1, "check_items": 2, "check_orders": 1, "onboarding_items": 2, "process_events": 3,
                "sent_notices": 1, "self_identification": 1, "performance_records": 1, "performance_import_rows": 1}
    assert {k: summary.get(k) for k in expected} == expected
    assert deletion.execute_deletion(request.id) == summary


def test_a_resume_file_shared_with_another_application_stays(client, redis_conn):
    """Resume files are stored by content: the same file sent to the same job by two candidates is one object,
    removed only with the last application that refers to it. The applicant's link still opens, on the final page."""
    job = import_template(backend_template())
    link = intake.create_link(job.id, "wechat_group", "hr1")
    first, token, _ = intake.apply(link.code, "李明", "13800001234", pdf_bytes(), "cv.pdf", {"q1": "能"})
    second, _, _ = intake.apply(link.code, "王芳", "13900005678", pdf_bytes(), "cv.pdf", {"q1": "能"})
    key = Resume.get(Resume.application == first.id).file_key
    assert Resume.get(Resume.application == second.id).file_key == key

    summary = deletion.execute_deletion(deletion.delete_by_hr(first.candidate_id, "hr_lina").id)
    assert (summary["resumes"], summary["files"]) == (1, 0)
    assert get_storage().exists(key)
    page = client.get(f"/p/applied/{token}")
    assert page.status_code == 200 and "李明" not in page.get_data(as_text=True)
    # like every page of an interview's link, the applicant's page then says only that the data was deleted
    text = page.get_data(as_text=True)
    assert 'data-testid="deleted-state"' in text and "你的数据已删除" in text
    summary = deletion.execute_deletion(deletion.delete_by_hr(second.candidate_id, "hr_lina").id)
    assert (summary["resumes"], summary["files"]) == (1, 1)
    assert not get_storage().exists(key) and not Resume.select().exists()
