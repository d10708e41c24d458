"""Spoken clips with the job they answer, for measuring job-term recall (bench/asr.py and the ASR tests).

Plain module (no pytest, no app): the 6 clips of speech.json (backend/sales answers to question 2 of the job
templates) and the 8 of terms/terms.json (answers full of the job's own words, tools/fixtures/make_term_speech.py).
"""
import json
from functools import cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
MEDIA = ROOT / "tests" / "fixtures" / "media"
_JOB_OF = {"backend": "backend-engineer", "sales": "sales-representative"}


@cache
def template(name: str) -> dict:
    return yaml.safe_load((ROOT / "job_templates" / f"{name}.yaml").read_text(encoding="utf-8"))


def vocabulary_for(job_name: str, question_index: int):
    """The job vocabulary the workers would build for this template's question (app.analysis.job_vocabulary)."""
    from app.analysis import job_vocabulary

    data = template(job_name)
    question = data["questions"][question_index]
    job = {k: data.get(k) or "" for k in ("title", "description", "requirements")}
    dims = [{"name": d["name"], "keywords": d.get("keywords") or []} for d in data["dimensions"]]
    return job_vocabulary.build(job, dims, {"text": question["text"], "dimensions": question["dimensions"]})


@cache
def clips() -> tuple[dict, ...]:
    """Every spoken clip: id, path, text (reference), job, question, set ("speech" or "terms")."""
    out = []
    for row in json.loads((MEDIA / "speech.json").read_text(encoding="utf-8")):
        out.append({"id": row["id"], "path": MEDIA / row["file"], "text": row["text"], "job": _JOB_OF[row["question"]],
                    "question": 1, "set": "speech"})
    for row in json.loads((MEDIA / "terms" / "terms.json").read_text(encoding="utf-8")):
        out.append({"id": row["id"], "path": MEDIA / "terms" / row["file"], "text": row["text"], "job": row["job"],
                    "question": row["question"], "set": "terms"})
    return tuple(out)
