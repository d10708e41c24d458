"""What the manager's report page shows: scores, evidence, transcripts with the quoted spans marked."""
import re

from app.core.errors import found
from app.core.pipeline import STAGE_LABELS
from app.core.storage import InvalidKey, StorageError, get_storage
from app.interview import decision_changes, decision_options, report_summary, reports
from app.interview.answers import stored_answers
from app.interview.models import Report
from app.interview.playback import playback_state
from app.interview.ratings import ratings_for_page

# The scorer's words (app/analysis/scoring.py, stored with each report) as managers read them.
STAR_PARTS = {"situation": "背景", "task": "任务", "action": "做法", "result": "结果"}
CONCRETE_KINDS = {"actions": "做法", "figures": "数字", "changes": "变化", "times": "时间", "specific": "具体对象"}
HOW_MATCHED = {"exact": "", "pinyin": "按读音识别"}
_STAR = re.compile(r"^STAR[：:]\s*(\w+)$")
_MATCHED = re.compile(r"\((exact|pinyin)\)$")
_ANCHOR_SIMS = re.compile(r"锚点答案（相似度[^）]*）")
_TOP_SIM = re.compile(r"最高相似度 (\d(?:\.\d+)?)")


def plain_why(why):
    """A stored reason in plain Chinese: "STAR：task" -> "结构:讲到了任务", "关键词「缓存」(exact)" -> "关键词「缓存」",
    "(pinyin)" -> "(按读音识别)", the anchors' similarity numbers left out ("最接近 5 级参考答案"), the topic's
    best similarity as a percentage; anything else as it is."""
    why = why or ""
    star = _STAR.match(why)
    if star:
        return f"结构:讲到了{STAR_PARTS.get(star.group(1), star.group(1))}"
    why = _ANCHOR_SIMS.sub("参考答案", why)
    why = _TOP_SIM.sub(lambda m: f"最接近程度 {100 * float(m.group(1)):.0f}%", why)
    return _MATCHED.sub(lambda m: f"({HOW_MATCHED[m.group(1)]})" if HOW_MATCHED[m.group(1)] else "", why)


def _concrete(value):
    return ";".join(f"{CONCRETE_KINDS.get(k, k)} {len(x)} 处" for k, x in value.items() if x) or "无"


def _join(values):
    return "、".join(str(v) for v in values) if values else ""


def _fillers(value):
    return "、".join(f"{word}×{n}" for word, n in value.items()) if value else "无"


def _pauses(value):
    return f"{value.get('count', 0)} 次,最长 {value.get('longest_s', 0):.1f} 秒"


# The learned scorer's features (app/analysis/features.py) as the 详情 toggle names them.
FEATURE_NAMES = {"length": "长度", "figures": "数字", "specifics": "具体对象", "actions": "自己的做法",
                 "outcomes": "变化/结果", "episode": "具体经历", "negated": "否定占比", "readback": "复述占比",
                 "listing": "罗列占比",
                 "empty_terms": "空套关键词", "fillers": "口头禅", "hedges": "含糊用语", "abstract": "空泛词",
                 "sim_question": "与题目相似度", "own_vs_other": "比其他题更贴本题", "anchor_position": "锚点位置"}


def _features(value):
    return "；".join(f"{FEATURE_NAMES[k]} {value[k]:.2f}" for k in FEATURE_NAMES
                    if isinstance(value, dict) and isinstance(value.get(k), (int, float)))


# Scoring features as managers read them: (label, formatter); a formatter returning "" hides the item.
FEATURE_LABELS = {
    "discourse_markers": ("逻辑连接词", _join),
    "concrete_numbers": ("具体数字", _join),
    "action_and_result": ("行动与结果", _join),
    "speaking_rate_cpm": ("语速", lambda v: f"{v:.0f} 字/分钟"),
    "fillers_per_100_chars": ("口头禅密度", lambda v: f"每百字 {v:.1f} 个"),
    "fillers": ("口头禅", _fillers),
    "pauses": ("停顿", _pauses),
    "repetition_ratio": ("重复率", lambda v: f"{100 * v:.0f}%"),
    "short_answer_factor": ("回答偏短,得分按比例折算", lambda v: f"× {v:.2f}"),
    "expression_engaged_share": ("表情投入度(已获同意)", lambda v: f"{100 * v:.0f}%"),
    "coherence": ("成句程度", lambda v: f"{100 * v:.0f}%"),
    "on_topic": ("切题程度", lambda v: f"{100 * v:.0f}%"),
    "hedges_per_100_chars": ("含糊用语密度", lambda v: f"每百字 {v:.1f} 个"),
    "credited_share": ("计分内容占比", lambda v: f"{100 * v:.0f}%"),
    "closest_anchor": ("最接近的参考答案等级", lambda v: f"{v} 级" if v else "—"),
    "concrete_content": ("具体内容", _concrete),
    "features": ("评分特征(0-1 或相似度)", _features),
}


def describe_feature(name, value):
    """A feature evidence item as (label, text), or None when there is nothing worth showing."""
    label, fmt = FEATURE_LABELS.get(name, (name, str))
    try:
        text = fmt(value)
    except (TypeError, ValueError, AttributeError):
        text = str(value)
    return (label, text) if text else None


def _readable(evidence):
    """Evidence for the page: features get Chinese labels, empty ones are dropped, reasons in plain Chinese."""
    shown = []
    for ev in evidence:
        if ev.get("type") == "feature":
            described = describe_feature(ev.get("name"), ev.get("value"))
            if described is None:
                continue
            ev = dict(ev, label=described[0], text=described[1])
        if ev.get("why"):
            ev = dict(ev, why=plain_why(ev["why"]))
        shown.append(ev)
    return shown


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


def _reasons(answer):
    """The plain-Chinese reasons of an answer's score, each with the moment its quote was said."""
    return [report_summary.point_of(answer, r) | {"kind": r["kind"]} for r in report_summary.reasons_of(answer)]


def _media(answer):
    """What the page needs to play an answer's recording (app/interview/staff_views.py serves it, access checked
    and logged)."""
    return {"id": answer.id, "number": answer.asked.position + 1, "question": answer.asked.text,
            "duration_s": answer.duration_s, "has_video": answer.has_video, "mime_type": answer.mime_type,
            "media_purged_at": answer.media_purged_at, "poster": bool(answer.poster_key),
            "playback": playback_state(answer)}


def _answer_item(answer, spans):
    text = (answer.transcript or {}).get("text", "")
    return _media(answer) | {
        "transcript": highlight(text, spans.get(answer.id, [])), "features": answer.features or {},
        "scores": {n: d["score"] for n, d in ((answer.scores or {}).get("dimensions") or {}).items()},
        "video": answer.video or {}, "reasons": _reasons(answer),
        "profile_version": (answer.scores or {}).get("profile_version", ""),
    }


def _recordings_missing(failed):
    """{answer id: missing} for answers whose analysis failed: True when the stored recording cannot be found (the
    failure may have been that), None when the store cannot tell (the player is shown: the media route answers for
    itself). One listing per folder, not one lookup per answer: an interview's recordings share theirs
    (answers/<interview id>/), so a page is one round trip to S3 however many questions failed."""
    missing, folders = {}, {}
    for answer in failed:
        if answer.media_purged_at:
            missing[answer.id] = False
        elif not answer.media_key:
            missing[answer.id] = True
        else:
            folders.setdefault(answer.media_key.rpartition("/")[0], []).append(answer)
    storage = get_storage() if folders else None
    for folder, answers in folders.items():
        try:
            stored = set(storage.keys(f"{folder}/")) if folder else {a.media_key for a in answers
                                                                    if storage.exists(a.media_key)}
        except (StorageError, InvalidKey):
            stored = None
        for answer in answers:
            missing[answer.id] = None if stored is None else answer.media_key not in stored
    return missing


def _failed_item(answer, missing):
    """A question whose every attempt failed analysis for good (`answer`: its latest attempt): listed in its place
    with its recording, no score, no transcript, no rating (the report's flag `analysis_failed` says the same);
    `missing`: whether its recording is gone (`_recordings_missing`)."""
    return _media(answer) | {
        "failed": reports.ANALYSIS_FAILED, "missing": missing,
        "transcript": [], "features": {}, "scores": {}, "video": {}, "reasons": [], "profile_version": "",
    }


def report_context(report_id, staff=None):
    """Everything the report template needs, as plain values."""
    report = found(Report.get_or_none(Report.id == report_id), "报告不存在 Report not found", code="report_not_found")
    interview = report.interview
    application = interview.application
    job = application.job
    spans = _quote_spans(report)
    # JSON columns store keys sorted; show dimensions in the job's own order.
    order = {d.name: i for i, d in enumerate(job.ordered_dimensions())}
    stored = stored_answers(interview.id)
    counted = sorted(stored.counted.values(), key=lambda a: a.asked.position)
    missing = _recordings_missing(stored.failed.values())
    answers = ([_answer_item(answer, spans) for answer in counted]
               + [_failed_item(a, missing[a.id]) for a in stored.failed.values()])
    answers.sort(key=lambda a: a["number"])
    if staff is not None:
        rated = ratings_for_page(staff, [a["id"] for a in answers])
        for a in answers:
            a["ratings"] = rated.get(a["id"], {})
    # Engineering detail (similarities, pinyin, feature values) goes behind the 详情 toggle, not in the main view.
    dimensions = [{"name": name, "score": d["score"], "weight": d["weight"], "answers": d.get("answers", []),
                   "evidence": [e for e in _readable(d.get("evidence", [])) if not e.get("detail")],
                   "detail": [e for e in _readable(d.get("evidence", [])) if e.get("detail")]}
                  for name, d in sorted(report.dimensions.items(), key=lambda item: order.get(item[0], 99))]
    return {
        "report": report, "application": application, "candidate": application.candidate, "job": job,
        "interview": interview, "stage": application.stage, "stage_label": STAGE_LABELS[application.stage],
        "dimensions": dimensions, "answers": answers, "flags": report.flags,
        "verdict": report_summary.verdict(report, counted),
        "decisions": decision_options.options(application.stage), "confirm_keys": decision_options.CONFIRM,
        "change_options": decision_changes.change_options(application, staff),
        "decided": decision_changes.decided_note(application),
    }
