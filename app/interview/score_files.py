"""Score media files against a job template without a database: for HR calibration and debugging."""
from app.core import text_limits
from app.core.errors import BadRequest
from app.core.job_template import ANSWER_SECONDS_MAX, parse_job
from app.interview.models import ScoringProfile


def template_inputs(template_text, question_index):
    """The scoring engine's question, dimensions and job dicts for question N (from 0) of a template."""
    tpl = parse_job(template_text)
    if not 0 <= question_index < len(tpl["questions"]):
        raise BadRequest(f"题号应为 0-{len(tpl['questions']) - 1} (question must be 0-{len(tpl['questions']) - 1})",
                         code="question_out_of_range")
    q = tpl["questions"][question_index]
    question = {"text": q["text"], "dimensions": q["dimensions"], "anchors": q.get("anchors") or {},
                "position": question_index}
    job = {"title": tpl["title"], "description": tpl["description"], "requirements": tpl["requirements"],
           "family": tpl.get("family") or "",
           "questions": [{"text": x["text"], "anchors": x.get("anchors") or {}} for x in tpl["questions"]]}
    return question, tpl["dimensions"], job


def score_files(template_text, question_index, paths, engine, profile=None):
    """Yield one result dict per media file: transcript, per-dimension scores with evidence, total, version."""
    from app.analysis import job_vocabulary
    from app.analysis.scoring import score_answer, weighted_total
    from app.analysis.speech import speech_features

    question, dims, job = template_inputs(template_text, question_index)
    weights = {d["name"]: d["weight"] for d in dims}
    vocabulary = job_vocabulary.build(job, dims, question)  # the same priming and correction as the workers
    for path in paths:
        transcript = engine.transcribe(path, vocabulary)
        features = speech_features(transcript, transcript.duration)
        result = score_answer(transcript.text, features, question, dims, job, profile=profile,
                              transcript=transcript.to_dict())
        scores = {name: d["score"] for name, d in result["dimensions"].items()}
        yield {"file": str(path), "transcript": transcript.text, "dimensions": result["dimensions"],
               "total": round(weighted_total(scores, weights), 1), "model_version": result["model_version"],
               "profile_version": result["profile_version"]}


def resolve_profile(name):
    """A scoring profile from a JSON file path or a saved profile version; None means the default weights."""
    from pathlib import Path

    from app.analysis.profiles import ProfileError, load_profile
    if not name:
        return None
    if Path(name).is_file():
        try:
            return load_profile(name)
        except ProfileError as exc:
            raise BadRequest(str(exc), code="invalid_profile") from exc
    row = ScoringProfile.get_or_none(ScoringProfile.version == name)
    if row is None:
        raise BadRequest(f"评分配置不存在 scoring profile not found: {name}", code="profile_not_found")
    return row.as_profile()


def summary(result, weights):
    """What `score-text` prints and the 试评分 box shows: total, and per dimension score, level and reasons."""
    from app.analysis.fitting import level_of
    from app.analysis.reasons import LEVELS
    from app.analysis.scoring import weighted_total

    dims = result["dimensions"]
    scores = {name: d["score"] for name, d in dims.items()}
    scored = [s for s in scores.values() if s is not None]
    total = round(weighted_total(scores, weights), 1) if scored else None
    return {"total": total, "level": level_of(total) if total is not None else None,
            "level_label": LEVELS.get(level_of(total)) if total is not None else "",
            "abstained": next((d.get("abstained") for d in dims.values() if d.get("abstained")), ""),
            "mismatch": (result.get("mismatch") or {}).get("message", ""),
            "dimensions": {name: {"score": d["score"], "level": d.get("level"),
                                  "level_label": LEVELS.get(d.get("level"), ""),
                                  "reasons": [{k: r[k] for k in ("text", "kind", "quote") if k in r}
                                              for r in d.get("reasons", [])]}
                           for name, d in dims.items()},
            "model_version": result["model_version"], "profile_version": result["profile_version"]}


def score_texts(template_text, question_index, lines, profile=None):
    """Yield {"id", "total", "dimensions": {name: {"score", "level", "reasons"}}, ...} per `id<TAB>text` line.

    Typed text: no speech features, no ASR; the same scorer the workers use. A line without a tab is an error
    naming the line (Chinese first)."""
    from app.analysis.scoring import score_answer

    question, dims, job = template_inputs(template_text, question_index)
    weights = {d["name"]: d["weight"] for d in dims}
    for number, line in enumerate(lines, 1):
        line = line.rstrip("\n").rstrip("\r")
        if not line.strip():
            continue
        if "\t" not in line:
            raise BadRequest(f"第 {number} 行缺少制表符,应为 id<TAB>回答 (line {number}: expected id<TAB>text)",
                             code="bad_line")
        answer_id, text = line.split("\t", 1)
        result = score_answer(text, {}, question, dims, job, profile=profile)
        yield {"id": answer_id, **summary(result, weights)}


# The longest answer 试评分 takes: the transcript of the longest recording a question allows, spoken fast. A real
# answer is scored whatever its length, so a pasted real transcript must fit (it was cut at 2,000 in the browser);
# scoring time grows with the text (about 20-25 s at 8,000 characters on one busy core, under the web timeout of 60).
FAST_SPEECH_CPM = 400   # characters a minute: fast Mandarin (most people speak 200-300)
TRY_MAX_CHARS = ANSWER_SECONDS_MAX * FAST_SPEECH_CPM // 60


def try_score(job, position, text):
    """The 试评分 box: score a pasted answer to question `position` (from 0) of a job in the database.
    Nothing is stored. BadRequest (Chinese first) for an unknown question or an empty / too long answer."""
    from app.analysis.scoring import score_answer
    from app.interview.answer_analysis import job_profile, question_inputs

    questions = job.ordered_questions()
    if not 0 <= position < len(questions):
        raise BadRequest("请选择一道题 choose a question", code="question_out_of_range")
    text = text_limits.bounded(text, TRY_MAX_CHARS, "试评分的回答", "试评分", "answer_too_long")
    if not text:
        raise BadRequest("请粘贴一段回答 paste an answer", code="empty_answer")
    question, dims, job_dict = question_inputs(questions[position], questions, job)
    result = score_answer(text, {}, question, dims, job_dict, profile=job_profile(job.id))
    return summary(result, {d["name"]: d["weight"] for d in dims})


def questions_without_anchors(job):
    """Numbers (from 1) of the job's questions that have no anchor answers."""
    return [q.position + 1 for q in job.ordered_questions() if not any((q.anchors or {}).values())]


def dimensions_not_asked(job):
    """The job's dimensions no question asks about, as (name, weight): never scored, so their weight is left out
    of every total (reports renormalise over the scored dimensions)."""
    asked = {name for q in job.ordered_questions() for name in q.dimension_names or []}
    return [(d.name, d.weight) for d in job.ordered_dimensions() if d.name not in asked]
