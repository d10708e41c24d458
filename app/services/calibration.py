"""Score media files against a job template without a database: for HR calibration and debugging."""
from app.errors import BadRequest
from app.services.job_templates import parse_template


def template_inputs(template_text, question_index):
    """The scoring engine's question, dimensions and job dicts for question N (from 0) of a template."""
    tpl = parse_template(template_text)
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
        result = score_answer(transcript.text, features, question, dims, job, profile=profile)
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
    from app.models import ScoringProfile
    row = ScoringProfile.get_or_none(ScoringProfile.version == name)
    if row is None:
        raise BadRequest(f"评分配置不存在 scoring profile not found: {name}", code="profile_not_found")
    return row.as_profile()
