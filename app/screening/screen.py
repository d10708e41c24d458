"""Screen applications: judge the current resume against the job's criteria, store the verdicts and the score,
then apply the job's rules (knockout answers reject only where HR turned that on; auto-invite above a threshold).
A model score never rejects anyone (PIPL art. 24)."""
import datetime as dt
import logging

from app.core.jobs import JobSpec
from app.core.models import Application, Job
from app.core.queues import SCORING
from app.core.tx import transaction
from app.screening import actions, experience, matching, ranking, roles
from app.screening import criteria as criteria_text
from app.screening.job_settings import settings_of
from app.screening.models import Intake, JobVersion, Resume, ResumeStatus, Screening

log = logging.getLogger(__name__)


def _enriched(settings, job=None):
    """Criteria with knockout questions' text and accepted answers filled in. Every knockout question is judged,
    whether or not a criterion names it (criteria derived from the requirements, the editor's default, name none)."""
    questions = {q["id"]: q for q in settings.questions or []}
    out, judged = [], criteria_text.judged(settings.criteria or [])
    for c in judged:
        c = dict(c)
        if c["type"] == "answer" and c["value"] in questions:
            q = questions[c["value"]]
            c["accept"], c["label"] = q["accept"], f"问题: {q['text']}"
        else:
            c["label"] = criteria_text.label(c)
        if c["type"] == "relevant_years" and job is not None:
            c["family"] = experience.family_of(job.title, job.family, job.requirements)
            c["job"] = experience.job_words(job.title, judged)
        out.append(c)
    named = {c["value"] for c in out if c["type"] == "answer"}
    for q in settings.questions or []:
        if q["id"] not in named:
            out.append({"id": f"k-{q['id']}", "kind": "knockout", "type": "answer", "value": q["id"],
                        "accept": q["accept"], "label": f"问题: {q['text']}"})
    return out


def _query(job):
    return f"{job.title}\n{job.requirements}\n{job.description}"


def _current_parsed(job_id, application_ids=None):
    """{application id: current resume} for parsed current resumes of a job."""
    query = (Resume.select(Resume.id, Resume.application, Resume.status, Resume.raw_text, Resume.tokens,
                           Resume.fields, Resume.parsed_at)
             .join(Application).where(Application.job == job_id).order_by(Resume.id))
    current = {}
    for resume in query:
        current[resume.application_id] = resume   # ordered by id: the newest wins
    return {a: r for a, r in current.items() if r.status == ResumeStatus.PARSED
            and (application_ids is None or a in application_ids)}


def _judge(criteria, resume, answers, job_vec=None):
    finder = None
    reading = matching.read(resume.raw_text, (resume.fields or {}).get("parsed_on") and dt.date.fromisoformat(
        resume.fields["parsed_on"]) or (resume.parsed_at.date() if resume.parsed_at else None))
    if job_vec is not None:   # each work entry's closeness to the job by meaning (vectors stored at parse time)
        _keep_role_vectors(resume, reading["blocks"])
        reading["similar"] = roles.of_resume(resume.fields, resume.raw_text, reading["today"], job_vec)

    def semantic(label):
        nonlocal finder
        finder = finder or ranking.semantic_finder(resume.raw_text)
        return finder(label)

    return [matching.judge(c, resume.raw_text, resume.fields or {}, answers, semantic, reading) for c in criteria]


def _keep_role_vectors(resume, blocks):
    """A row parsed before the vectors were stored gets them once, here, and keeps them: a re-screen of the job
    then only takes dot products instead of encoding every work entry again."""
    if (resume.fields or {}).get("roles") is None:
        resume.fields = {**(resume.fields or {}), "roles": roles.work_vectors(resume.raw_text, blocks)}
        Resume.update(fields=resume.fields).where(Resume.id == resume.id).execute()


def _experience_tokens(resume):
    """Tokens of the work and project entries (stored by the parser), or of the whole resume for rows parsed
    before: relevance then reads what the candidate did, not a stuffed skills list."""
    stored = (resume.fields or {}).get("experience_tokens")
    return (stored if stored is not None else resume.tokens).split()


def _store(application_id, resume, verdicts, relevance, version):
    summary = matching.summary(verdicts)
    row = {"resume": resume.id, "job_version": version, "score": matching.score(verdicts, relevance),
           "relevance": relevance, "must_met": summary["must_met"], "must_total": summary["must_total"],
           "knockout_failed": bool(summary["knockout_failed"]), "verdicts": verdicts,
           "screener_version": matching.screener_version()}
    if not Screening.update(**row).where(Screening.application == application_id).execute():
        Screening.create(application=application_id, **row)


def screen_job(job_id, application_ids=None):
    """Screen the job's applications with a parsed resume (all, or those given); return {application id: score}."""
    job = Job.get_by_id(job_id)
    settings = settings_of(job_id)
    criteria = _enriched(settings, job)
    resumes = _current_parsed(job_id)   # the whole job: BM25 relevance is relative to the job's resumes
    ids = list(resumes)
    bm25 = ranking.relevance(_query(job), [_experience_tokens(resumes[i]) for i in ids])
    relevance = dict(zip(ids, bm25, strict=True))
    wanted = ids if application_ids is None else [i for i in ids if i in set(application_ids)]
    answers = {i.application_id: i.answers for i in Intake.select(Intake.application, Intake.answers)
               .where(Intake.application.in_(wanted))} if wanted else {}
    job_vec = roles.job_vector(job.title, job.description) if wanted else None
    version = (JobVersion.select(JobVersion.id).where(JobVersion.job == job_id)
               .order_by(JobVersion.number.desc()).scalar())
    scores = {}
    with transaction():   # one commit for the whole job, not one per application
        for application_id in wanted:
            verdicts = _judge(criteria, resumes[application_id], answers.get(application_id) or {}, job_vec)
            _store(application_id, resumes[application_id], verdicts, relevance[application_id], version)
            scores[application_id] = matching.score(verdicts, relevance[application_id])
    return scores


def screen_application(application_id):
    """Screen one application (after its resume was parsed) and apply the job's rules; returns the Screening."""
    application = Application.get_or_none(Application.id == application_id)
    if application is None:
        return None
    screen_job(application.job_id, [application_id])
    screening = Screening.get_or_none(Screening.application == application_id)
    if screening is not None:
        actions.apply_rules(application_id, screening, settings_of(application.job_id))
    return screening


SCREEN_APPLICATION = JobSpec(screen_application, SCORING, "screen-application-{0}")
SCREEN_JOB = JobSpec(screen_job, SCORING, "screen-job-{0}-{key}")
