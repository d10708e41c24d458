"""The interview report: per-dimension scores with evidence, the weighted total, flags.

A report none of whose answers could be scored (the scorer abstained on every one: nothing heard, or a transcript
too unreliable) has no total (`Report.total` None), never 0: it is not a weak candidate. Every page and card
reads `total_text` (无法评分) and `basis_line` (how many answers could be scored, and why not).
"""
import logging

from peewee import IntegrityError

from app.core import domains, pipeline
from app.core.base import utcnow
from app.core.jobs import JobSpec
from app.core.models import Application
from app.core.queues import SCORING
from app.core.tx import transaction
from app.interview import integrity, playback
from app.interview.answer_analysis import interview_ready_for_report
from app.interview.answers import stored_answers
from app.interview.models import Interview, Report

log = logging.getLogger(__name__)

MAX_EVIDENCE_PER_DIMENSION = 8
# The band a total falls in (lowest score of each band). Per-job thresholds come with the job editor.
SCORE_BANDS = ((85, "优秀"), (70, "良好"), (55, "一般"), (0, "待提升"))
UNSCORED = "无法评分"
# A question whose every attempt failed analysis for good (the flag `analysis_failed`): the system's fault.
ANALYSIS_FAILED = "录音未能完成分析(系统原因,非候选人原因)"


# The colour of a band's badge on the report page: a low total is not shown in the good green
BAND_TONES = {"优秀": "good", "良好": "good", "一般": "fair", "待提升": "low"}


def score_band(total):
    """The band of a total score, e.g. 72.5 -> 良好; "" for no total (no answer could be scored: no band)."""
    if total is None:
        return ""
    return next(label for floor, label in SCORE_BANDS if total >= floor)


def one_decimal(score):
    """The one rounding the card, the report and the lists use: one decimal, "—" for no score."""
    return "—" if score is None else f"{float(score):.1f}"


def total_text(total):
    """A report's total as pages and cards say it: "72.5", or 无法评分 when no answer could be scored."""
    return UNSCORED if total is None else one_decimal(total)


def _aggregate(job, answers):
    """Average each dimension over the answers that scored it; keep the evidence, tagged with its answer."""
    dims = {}
    for d in job.ordered_dimensions():
        dims[d.name] = {"score": None, "weight": d.weight, "answers": [], "evidence": []}
    for answer in sorted(answers, key=lambda a: a.asked.position):
        for name, result in (answer.scores or {}).get("dimensions", {}).items():
            if name not in dims:
                continue
            entry = dims[name]
            entry["answers"].append({"answer_id": answer.id, "question": answer.asked.position,
                                     "score": result["score"]})
            for ev in result.get("evidence", []):
                entry["evidence"].append(dict(ev, answer_id=answer.id, question=answer.asked.position))
    for entry in dims.values():
        # An answer the scorer abstained on (unreliable transcript: score None) does not count either way.
        scores = [a["score"] for a in entry["answers"] if a["score"] is not None]
        entry["score"] = round(sum(scores) / len(scores), 1) if scores else None
        entry["evidence"] = entry["evidence"][:MAX_EVIDENCE_PER_DIMENSION * max(1, len(entry["answers"]))]
    return dims


def build_report(interview_id):
    """Build the report once the last answer is scored, then move the application to ai_scored.

    Returns the Report, or None when the interview is not ready yet. Running it twice makes one report.
    """
    existing = Report.get_or_none(Report.interview == interview_id)
    if existing is not None:
        return existing
    stored = stored_answers(interview_id)
    if not interview_ready_for_report(interview_id, stored):
        return None
    interview = Interview.get_by_id(interview_id)
    job = interview.application.job
    fields = _contents(interview, stored)
    total = fields["total"]
    try:
        with transaction():
            report = Report.create(interview=interview, job_version=job.version or None, **fields)
            pipeline.advance_stage(interview.application_id, "ai_scored", actor="system", source="system",
                                   reason=f"AI评分完成,总分 {total}" if total is not None else f"AI评分完成,{UNSCORED}")
            playback.enqueue_copies(interview_id)   # low priority, after the card's job
    except IntegrityError:
        # Another worker built it first.
        return Report.get(Report.interview == interview_id)
    log.info("report %s for interview %s: total %s", report.id, interview_id, total)
    return report


def _contents(interview, stored=None):
    """A report's fields from the interview's counted answers as they are now (`stored`: its StoredAnswers when the
    caller has read them): total, dimensions, flags, checks."""
    from app.analysis.scoring import weighted_total

    job = interview.application.job
    stored = stored or stored_answers(interview.id)
    answers = list(stored.counted.values())
    dims = _aggregate(job, answers)
    scored = {name: d["score"] for name, d in dims.items() if d["score"] is not None}
    # No answer scored: no total (None), not the 0 an empty weighted mean would give.
    total = round(weighted_total(scored, {name: d["weight"] for name, d in dims.items()}), 1) if scored else None
    versions = sorted({(a.scores or {}).get("model_version", "") for a in answers})
    unanalysed = stored.unanalysed(interview.asked_questions())
    checks = integrity.check_interview(interview, answers, unanalysed)
    return {"total": total, "dimensions": dims, "flags": checks["flags"], "integrity": checks,
            "model_version": ",".join(v for v in versions if v)}


def rewrite_report(report):
    """Inside a transaction: write an existing report again from its answers as they are now (its id, job version
    and stage stay; used after a late withdrawal of biometric consent re-scored answers without expressions:
    app/interview/withdrawn_report.py); the domains that copy reports are told (`Domain.report_rewritten`).
    Returns the new fields."""
    fields = _contents(report.interview)
    Report.update(**fields).where(Report.id == report.id).execute()
    domains.report_rewritten([report.interview.application_id])   # the analytics facts copy the total and scores
    return fields


def latest_report(application_id):
    """The newest report of an application, or None."""
    return (Report.select().join(Interview).where(Interview.application == application_id)
            .order_by(Report.created_at.desc()).first())


def ordered_dimensions(report):
    """[(name, dimension dict)] in the job's own order (JSON columns store keys sorted)."""
    order = {d.name: i for i, d in enumerate(report.interview.application.job.ordered_dimensions())}
    return sorted(report.dimensions.items(), key=lambda item: order.get(item[0], len(order)))


def integrity_of(report):
    """The report's integrity summary (rebuilt from its flags for reports made before the checks existed)."""
    if report.integrity:
        return report.integrity
    return {"checks": [], "flags": report.flags, "audio_only": bool(report.interview.audio_only),
            "line": integrity.summary_line(report.flags, bool(report.interview.audio_only))}


def basis(report):
    """(answers scored, answers): the total rests on the answers the scorer could score reliably; an answer whose
    analysis failed (flag `analysis_failed`) counts as an answer not scored."""
    scored = {}
    for d in (report.dimensions or {}).values():
        for a in d.get("answers", []):
            scored[a["answer_id"]] = scored.get(a["answer_id"], False) or a.get("score") is not None
    return sum(scored.values()), len(scored) + len(_unanalysed(report))


def _unanalysed(report):
    return [f for f in integrity_of(report)["flags"] if f.get("code") == "analysis_failed"]


def unscored_reason(report):
    """Why none of the answers could be scored: 没有听到回答 when every answer was silent (the no_speech check),
    else what the scorer abstained for (too little said, an unreliable transcript)."""
    scored, answers = basis(report)
    silent = {f.get("question") for f in integrity_of(report)["flags"] if f.get("code") == "no_speech"}
    if not answers:
        return "没有可评分的回答"
    if len(_unanalysed(report)) == answers - scored:
        return ANALYSIS_FAILED
    if len(silent) >= answers - scored:
        return "没有听到回答"
    return "没有听到回答或回答无法可靠评分" if silent else "回答太少或转写不可靠,无法可靠评分"


def basis_line(report):
    """"总分基于 3/4 题" when some answers could not be scored reliably, "0/4 题可评分:没有听到回答" when none
    could (no total), else ""."""
    scored, answers = basis(report)
    if report.total is None:
        return f"{scored}/{answers} 题可评分:{unscored_reason(report)}" if answers else unscored_reason(report)
    if scored == answers:
        return ""
    return f"总分基于 {scored}/{answers} 题(其余{_why_the_rest(len(_unanalysed(report)), answers - scored)})"


def _why_the_rest(failed, unscored):
    """Why the answers the total leaves out are left out: `failed` of the `unscored` failed analysis."""
    if failed == unscored:
        return "未能完成分析"
    return "无法分析或无法可靠评分" if failed else "无法可靠评分"


def card_summary(report, report_url):
    """What the result card shows: total, band, dimensions in the job's order, the integrity line, link."""
    checks = integrity_of(report)
    return {"total": report.total, "band": score_band(report.total), "basis": basis_line(report),
            "dimensions": [(name, d["score"]) for name, d in ordered_dimensions(report) if d["score"] is not None],
            "integrity": checks["line"], "flags": [f["message"] for f in checks["flags"]], "report_url": report_url}


def record_failure(interview_id, message, final):
    """Show a failed report build on the application once retries are exhausted."""
    log.warning("report for interview %s failed%s: %s", interview_id, " (final)" if final else "", message)
    if final:
        interview = Interview.get_or_none(Interview.id == interview_id)
        if interview is not None:
            (Application.update(problem=f"报告生成失败 report failed: {message[:500]}", updated_at=utcnow())
             .where(Application.id == interview.application_id).execute())


BUILD_REPORT = JobSpec(build_report, SCORING, "report-interview-{0}-{key}", on_failure=record_failure)
