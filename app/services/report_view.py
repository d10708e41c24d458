"""What the manager's report page shows: scores, evidence, transcripts with the quoted spans marked."""
from app.errors import NotFound
from app.models import Report
from app.services.interview_flow import counted_answers
from app.services.pipeline import STAGE_LABELS

DECISIONS = [("second_round", "进入复试", "primary"), ("on_hold", "待定", "default"), ("rejected", "淘汰", "warn")]


def highlight(text, spans):
    """Split `text` into [(piece, label or None)] with the given (start, end, label) spans marked."""
    pieces, pos = [], 0
    for start, end, label in sorted(spans):
        start, end = max(start, pos), min(end, len(text))
        if start >= end:
            continue
        if start > pos:
            pieces.append((text[pos:start], None))
        pieces.append((text[start:end], label))
        pos = end
    if pos < len(text):
        pieces.append((text[pos:], None))
    return pieces


def _quote_spans(report):
    """Quoted evidence spans per answer id: [(start, end, dimension)]."""
    spans = {}
    for name, dim in report.dimensions.items():
        for ev in dim.get("evidence", []):
            if ev.get("type") == "quote" and ev.get("start") is not None and ev.get("end") is not None:
                spans.setdefault(ev["answer_id"], []).append((ev["start"], ev["end"], name))
    return spans


def report_context(report_id):
    """Everything the report template needs, as plain values."""
    report = Report.get_or_none(Report.id == report_id)
    if report is None:
        raise NotFound("报告不存在 Report not found", code="report_not_found")
    interview = report.interview
    application = interview.application
    job = application.job
    spans = _quote_spans(report)
    answers = []
    for answer in sorted(counted_answers(interview.id).values(), key=lambda a: a.question.position):
        text = (answer.transcript or {}).get("text", "")
        answers.append({
            "id": answer.id, "number": answer.question.position + 1, "question": answer.question.text,
            "duration_s": answer.duration_s, "has_video": answer.has_video, "mime_type": answer.mime_type,
            "transcript": highlight(text, spans.get(answer.id, [])), "features": answer.features or {},
            "scores": {n: d["score"] for n, d in ((answer.scores or {}).get("dimensions") or {}).items()},
            "video": answer.video or {},
        })
    dimensions = [{"name": name, "score": d["score"], "weight": d["weight"], "evidence": d.get("evidence", []),
                   "answers": d.get("answers", [])} for name, d in report.dimensions.items()]
    return {
        "report": report, "application": application, "candidate": application.candidate, "job": job,
        "interview": interview, "stage": application.stage, "stage_label": STAGE_LABELS[application.stage],
        "dimensions": dimensions, "answers": answers, "flags": report.flags, "decisions": DECISIONS,
        "radar": {"indicator": [{"name": d["name"], "max": 100} for d in dimensions],
                  "values": [d["score"] if d["score"] is not None else 0 for d in dimensions]},
    }
