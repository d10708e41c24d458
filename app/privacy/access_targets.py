"""HR's reading of a candidate's access log (/admin/privacy/candidates/<id>): who by name, and what each row was
about in words with a link to the page that shows it ("report:12" → 「后端开发工程师」AI 面试评估报告, linking to the
report), never the stored code. A link goes to the page around a record, never to a file itself, so following one
leaves no row of its own; a record a deletion removed is named as removed and links nowhere. The candidate's export
words the same rows for the candidate (export.TARGETS)."""
from flask import url_for
from peewee import JOIN

from app.core import access_log, personal_data
from app.core.models import Application, Candidate, Job
from app.interview.models import Answer, Interview, Report

WORDS = {"attachment": "候选人发送的附件", "resume": "简历文件", "check_file": "背景调查材料",
         "onboarding_file": "入职材料", "candidate": "该候选人的全部数据",
         "interview": "AI 面试的生物识别同意"}
PROOFS = {"hr_merge": "HR 比对后合并", "phone_code": "候选人以短信验证码证明"}
GONE = "(已删除)"


def rows(candidate_id, limit=500):
    """The candidate's log, newest first: [{at, who, action, action_label, what, url}] (url None: no page)."""
    log = access_log.for_candidate(candidate_id, limit=limit)
    targets = [access_log.parse_target(row.target) for row in log]
    known = _Known(targets, {row.application_id for row in log} - {None})
    names = personal_data.staff_names({row.actor for row in log} - {"candidate"})
    return [{"at": row.created_at, "who": _who(row, names), "action": row.action,
             "action_label": access_log.label(row.action), **known.describe(row, *target)}
            for row, target in zip(log, targets, strict=True)]


def _who(row, names):
    if row.actor == "candidate":
        return f"申请 #{row.application_id} 的候选人链接" if row.application_id else "候选人链接"
    return names.get(row.actor, row.actor)   # "system" reads 系统 (personal_data.ACTORS)


class _Known:
    """The records the log names, each kind read in one query."""

    def __init__(self, targets, application_ids):
        def ids(kind):
            return [number for k, number, _ in targets if k == kind and number is not None]
        self.answers = {a.id: a for a in Answer.select(
            Answer.id, Answer.attempt, Answer.has_video, Answer.question, Interview.questions.alias("asked_questions"),
            Interview.application.alias("application_id"), Report.id.alias("report_id")).join(Interview)
            .join(Report, on=(Report.interview == Interview.id), join_type=JOIN.LEFT_OUTER)
            .where(Answer.id.in_(ids("answer") or [0])).objects()}
        self.reports = {r.id for r in Report.select(Report.id).where(Report.id.in_(ids("report") or [0]))}
        self.candidates = {c.id for c in Candidate.select(Candidate.id)
                           .where(Candidate.id.in_(ids("candidate") or [0]))}
        self.jobs = {a.id: a.job.title for a in Application.select(Application.id, Job.title).join(Job).where(
            Application.id.in_(list(application_ids | set(ids("application"))) or [0]))}

    def describe(self, row, kind, number, proof):
        """{"what": words, "url": a page or None} of one row's target."""
        job = self.jobs.get(row.application_id)
        on_job = f"「{job}」" if job else ""
        if kind == "report":
            if number in self.reports:
                return _to(f"{on_job}AI 面试评估报告", url_for("reports.show", report_id=number))
            return _to(f"{on_job}AI 面试评估报告{GONE}")
        if kind == "answer":
            return self._answer(number)
        if kind == "request":
            return _to(f"删除申请 #{number}")
        if kind == "candidate" and proof:
            words = f"并入的候选人记录 #{number}({PROOFS.get(proof, proof)})"
            if number in self.candidates:
                return _to(words, url_for("privacy_admin.candidate_page", candidate_id=number))
            return _to(words)
        if kind == "application":
            return _to(f"{on_job or '该次'}应聘的数据", self._application(number))
        if kind in WORDS:
            return _to(WORDS[kind], None if kind == "candidate" else self._application(row.application_id))
        return _to(row.target)

    def _answer(self, number):
        answer = self.answers.get(number)
        if answer is None:
            return _to(f"面试回答{GONE}")
        asked = Interview(questions=answer.asked_questions).asked(answer.question_id)   # as it was asked
        words = (f"第 {asked.position + 1} 题的回答{'录像' if answer.has_video else '录音'}"
                 f"(第 {answer.attempt} 次作答)")
        if answer.report_id:
            return _to(words, url_for("reports.show", report_id=answer.report_id))
        return _to(words, self._application(answer.application_id))

    def _application(self, application_id):
        return url_for("manager.application", application_id=application_id) if application_id in self.jobs else None


def _to(what, url=None):
    return {"what": what, "url": url}
