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
    question = {"text": q["text"], "dimensions": q["dimensions"]}
    job = {"title": tpl["title"], "description": tpl["description"], "requirements": tpl["requirements"]}
    return question, tpl["dimensions"], job


def score_files(template_text, question_index, paths, engine):
    """Yield one result dict per media file: transcript, per-dimension scores with evidence, total, version."""
    from app.analysis.scoring import score_answer, weighted_total
    from app.analysis.speech import speech_features

    question, dims, job = template_inputs(template_text, question_index)
    weights = {d["name"]: d["weight"] for d in dims}
    for path in paths:
        transcript = engine.transcribe(path)
        features = speech_features(transcript, transcript.duration)
        result = score_answer(transcript.text, features, question, dims, job)
        scores = {name: d["score"] for name, d in result["dimensions"].items()}
        yield {"file": str(path), "transcript": transcript.text, "dimensions": result["dimensions"],
               "total": round(weighted_total(scores, weights), 1), "model_version": result["model_version"]}
