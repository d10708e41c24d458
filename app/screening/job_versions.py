"""Jobs edited in /admin: every saved change is a new JobVersion (a snapshot of the whole template), so a
screening keeps the version it was made with and a report keeps the weights it was scored with.

The live rows (Job, Dimension, Question, JobScreening) always hold the newest version. Questions are updated in
place, matched by the id the editor posts with each one, because recorded answers point at them; a question that
already has answers, or that an unfinished interview holds, cannot be removed (copy the job instead). An interview
keeps the questions it was sent with (Interview.questions): an edit reaches the interviews opened after it."""
import json

from app.core.errors import BadRequest, Conflict, found
from app.core.models import Dimension, Job, JobStatus, Question
from app.core.tx import transaction
from app.interview.invitations import held_questions
from app.interview.models import Answer
from app.screening import job_settings
from app.screening.models import JobVersion


def record(job, tpl, author, note=""):
    """Store the template's screening settings and a new version snapshot (inside the caller's transaction)."""
    job_settings.save(job.id, tpl["screening"])
    last = JobVersion.select(JobVersion.number).where(JobVersion.job == job.id).order_by(
        JobVersion.number.desc()).scalar() or 0
    Job.update(version=last + 1).where(Job.id == job.id).execute()
    return JobVersion.create(job=job, number=last + 1, snapshot=tpl, author=author, note=note[:200])


def unchanged(job_id, tpl):
    """True when `tpl` is the job's newest version as stored (compared as the JSON it is stored as)."""
    last = latest(job_id)
    return last is not None and last.snapshot == json.loads(json.dumps(tpl))


def latest(job_id):
    return JobVersion.select().where(JobVersion.job == job_id).order_by(JobVersion.number.desc()).first()


def history(job_id):
    return list(JobVersion.select().where(JobVersion.job == job_id).order_by(JobVersion.number.desc()))


def update_job(job_id, tpl, author, note="编辑", question_ids=None):
    """Apply a validated template to an existing job as its next version; returns the JobVersion, or None when
    the template is the newest version's as it stands (a save without a change makes no version and no
    re-screening). `question_ids`: the stored question each of the template's questions is (the editor's;
    _update_questions)."""
    job = found(Job.get_or_none(Job.id == job_id), "岗位不存在 Job not found", code="job_not_found")
    with transaction():
        if unchanged(job_id, tpl):
            return None
        (Job.update(title=tpl["title"], department=tpl["department"], family=tpl.get("family", ""),
                    location=tpl["location"],
                    description=tpl["description"], requirements=tpl["requirements"],
                    manager_userids=tpl["managers"], use_expressions=tpl["use_expressions"],
                    identity_by_sms=tpl.get("identity_by_sms", False))
         .where(Job.id == job_id).execute())
        Dimension.delete().where(Dimension.job == job_id).execute()
        for pos, d in enumerate(tpl["dimensions"]):
            Dimension.create(job=job_id, position=pos, name=d["name"], weight=d["weight"],
                             description=d["description"], keywords=d["keywords"], rubric=d["rubric"])
        _update_questions(job_id, tpl["questions"], question_ids)
        return record(job, tpl, author, note)


def _update_questions(job_id, questions, ids=None):
    """Bring the job's question rows in line with the template's questions. `ids` (the editor posts each
    question's id) say which stored question each one is, so a question keeps its row, and its answers, when one
    before it is removed; without ids they match by position. A stored question left out is deleted, unless it has
    answers or an unfinished interview holds it (invitations.held_questions: its candidate may still be shown it):
    then nothing is changed and Conflict names it as the page numbers it, with its text."""
    rows = list(Question.select().where(Question.job == job_id).order_by(Question.position))
    by_id = {q.id: q for q in rows}
    if ids is None:
        ids = [rows[pos].id if pos < len(rows) else None for pos in range(len(questions))]
    matched = []
    for qid in ids:   # an id of another job's question, or one posted twice, is a new question
        matched.append(qid if qid in by_id and qid not in matched else None)
    removed = [q for q in rows if q.id not in matched]
    answered = [q for q in removed if Answer.select().where(Answer.question == q.id).exists()]
    if answered:
        named, numbers = _named(answered)
        raise Conflict(f"{named}已有候选人作答,不能删除;如需大改请复制岗位 "
                       f"Question(s) {numbers} already have answers; copy the job instead", code="question_answered")
    held = held_questions(job_id)
    if any(q.id in held for q in removed):
        named, numbers = _named([q for q in removed if q.id in held])
        raise Conflict(f"{named}在尚未结束的面试中(候选人已收到该题),不能删除;修改题目只影响之后发出的邀请。"
                       "可等这些面试结束或过期后再删除,或复制岗位 "
                       f"Question(s) {numbers} are part of unfinished interviews; an edit reaches new invitations "
                       "only", code="question_in_use")
    if removed:
        Question.delete().where(Question.id.in_([q.id for q in removed])).execute()
    kept = [qid for qid in matched if qid]
    if kept:   # out of the way first: (job, position) is unique
        Question.update(position=-1 - Question.position).where(Question.id.in_(kept)).execute()
    for pos, (q, qid) in enumerate(zip(questions, matched, strict=True)):
        # the anchors go with the question's text: a question that moved up keeps its own, not its position's
        fields = {"text": q["text"], "dimension_names": q["dimensions"], "think_seconds": q["think_seconds"],
                  "answer_seconds": q["answer_seconds"], "retakes_allowed": q["retakes"], "anchors": q["anchors"]}
        if qid:
            Question.update(position=pos, **fields).where(Question.id == qid).execute()
        else:
            Question.create(job=job_id, position=pos, **fields)


def _named(questions):
    """(「第 N 题「text…」、…」, "N, …") of `questions`, as the editor numbers them."""
    return ("、".join(f"第 {q.position + 1} 题「{_short(q.text)}」" for q in questions),
            ", ".join(str(q.position + 1) for q in questions))


def _short(text, limit=20):
    return text if len(text) <= limit else text[:limit] + "…"


def current_template(job):
    """The stored job as a validated template (what a new version or a copy starts from)."""
    tpl = job_to_template(job)
    tpl["screening"] = job_settings.validate(tpl["screening"], tpl["requirements"], tpl["location"])
    return tpl


def record_current(job, author, note):
    """Record the job as stored now as its next version (after a change made outside the editor, such as
    approved weights); inside the caller's transaction."""
    return record(job, current_template(Job.get_by_id(job.id)), author, note)


def copy_job(job_id, author):
    """A new job (closed until HR opens it) from the current version of another."""
    job = found(Job.get_or_none(Job.id == job_id), "岗位不存在 Job not found", code="job_not_found")
    tpl = current_template(job)
    tpl["title"] = f"{tpl['title']}(副本)"[:120]
    with transaction():
        new = create_job(tpl, author)
        Job.update(status=JobStatus.CLOSED).where(Job.id == new.id).execute()
    return Job.get_by_id(new.id)


def set_status(job_id, status):
    if status not in JobStatus.LABELS:
        raise BadRequest("未知状态 Unknown status", code="status_unknown")
    Job.update(status=status).where(Job.id == job_id).execute()


def create_job(tpl, author):
    """A new job from a validated template, with its first version (call inside a transaction)."""
    job = Job.create(title=tpl["title"], department=tpl["department"], family=tpl.get("family", ""),
                     location=tpl["location"],
                     description=tpl["description"], requirements=tpl["requirements"],
                     manager_userids=tpl["managers"], use_expressions=tpl["use_expressions"],
                    identity_by_sms=tpl.get("identity_by_sms", False))
    for pos, d in enumerate(tpl["dimensions"]):
        Dimension.create(job=job, position=pos, name=d["name"], weight=d["weight"],
                         description=d["description"], keywords=d["keywords"], rubric=d["rubric"])
    for pos, q in enumerate(tpl["questions"]):
        Question.create(job=job, position=pos, text=q["text"], dimension_names=q["dimensions"],
                        think_seconds=q["think_seconds"], answer_seconds=q["answer_seconds"],
                        retakes_allowed=q["retakes"],
                        anchors=q.get("anchors") or {})   # a copied job's template leaves out empty anchors
    record(job, tpl, author, "创建")
    return job


def job_to_template(job):
    """The template dict of a stored job (import(export(job)) recreates it)."""
    return {
        "title": job.title, "department": job.department, "family": job.family, "location": job.location,
        "description": job.description, "requirements": job.requirements,
        "managers": list(job.manager_userids or []), "use_expressions": job.use_expressions,
        **({"identity_by_sms": True} if job.identity_by_sms else {}),   # absent when off: older versions alike
        "dimensions": [{"name": d.name, "weight": d.weight, "description": d.description,
                        "keywords": list(d.keywords or []), "rubric": list(d.rubric or [])}
                       for d in job.ordered_dimensions()],
        "questions": [{"text": q.text, "dimensions": list(q.dimension_names), "think_seconds": q.think_seconds,
                       "answer_seconds": q.answer_seconds, "retakes": q.retakes_allowed,
                       **({"anchors": {d: {int(lv): t for lv, t in levels.items()}
                                       for d, levels in q.anchors.items()}} if q.anchors else {})}
                      for q in job.ordered_questions()],
        "screening": job_settings.to_template(job.id),
    }
