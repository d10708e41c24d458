"""Every labelled job the scorer is judged (and fitted) on, as plain rows: one place for bench and fitting.

- The corpus (tests/fixtures/scoring/corpus/, README inside): 12 jobs of other families, 468 answers, 13 categories.
- The two job templates' set (tests/fixtures/scoring/labelled_answers.yaml, jobs from job_templates/): 70 answers.
- Recycled answers: each question's `strong` answer scored as the answer to every other labelled question of the
  same job, label 1 (a candidate who tells one story for every question; corpus README, "a fourteenth case").

Two corpus jobs are held out (`HOLDOUT`: the first two by sha256("holdout:" + key), fixed before any fitting). They
are never looked at while features, hyper-parameters or anything else are chosen; bench/scoring.py reports them
separately, with a model fitted on the other jobs only.
"""

from __future__ import annotations

import csv
import hashlib
from functools import cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "fixtures" / "scoring" / "corpus"
TEMPLATE_SET = ROOT / "tests" / "fixtures" / "scoring" / "labelled_answers.yaml"
TEMPLATES = ROOT / "job_templates"
RECYCLED = "recycled"


def _holdout_keys() -> tuple[str, ...]:
    keys = sorted(p.stem for p in (CORPUS / "jobs").glob("*.yaml"))
    return tuple(sorted(keys, key=lambda k: hashlib.sha256(f"holdout:{k}".encode()).hexdigest())[:2])


HOLDOUT = _holdout_keys()  # ('marketing-specialist', 'frontend-engineer')


@cache
def jobs() -> dict[str, dict]:
    """{job key: the job as a template dict}: the corpus's 12 and the two templates."""
    out = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((CORPUS / "jobs").glob("*.yaml"))}
    for name in ("backend-engineer", "sales-representative"):
        out[name] = yaml.safe_load((TEMPLATES / f"{name}.yaml").read_text(encoding="utf-8"))
    return out


def has_anchors(job: dict) -> bool:
    return any(q.get("anchors") for q in job["questions"])


def _corpus_rows() -> list[dict]:
    with (CORPUS / "answers.tsv").open(encoding="utf-8") as f:
        reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [{"id": r["id"], "job": r["job"], "question": int(r["question"]), "label": int(r["label"]),
                 "category": r["category"], "text": r["text"], "source": "corpus"} for r in reader]


def _template_rows() -> list[dict]:
    data = yaml.safe_load(TEMPLATE_SET.read_text(encoding="utf-8"))["answers"]
    return [{**{k: a[k] for k in ("id", "job", "question", "label", "category", "text")}, "source": "templates"}
            for a in data]


def _recycled(rows: list[dict]) -> list[dict]:
    asked = {(r["job"], r["question"]) for r in rows}
    out = []
    for r in rows:
        if r["category"] != "strong":
            continue
        for job, question in sorted(asked):
            if job == r["job"] and question != r["question"]:
                out.append({**r, "id": f"{r['id']}->q{question}", "question": question, "label": 1,
                            "category": RECYCLED, "from_question": r["question"]})
    return out


@cache
def _all_rows() -> tuple[dict, ...]:
    rows = _corpus_rows() + _template_rows()
    return tuple(rows + _recycled(rows))


def rows(include_holdout: bool = False) -> list[dict]:
    """All labelled rows (answer, question it is scored against, label), held-out jobs only when asked."""
    return [dict(r) for r in _all_rows() if include_holdout or r["job"] not in HOLDOUT]


def scoring_inputs(job_key: str, question: int) -> tuple[dict, list[dict], dict]:
    """The scorer's (question, dimensions, job) dicts, as app/interview/answer_analysis.scoring_inputs builds them."""
    job = jobs()[job_key]
    q = job["questions"][question]
    return ({"text": q["text"], "dimensions": list(q["dimensions"]), "anchors": q.get("anchors") or {},
             "position": question},
            [{k: d.get(k) for k in ("name", "description", "weight", "keywords", "rubric")} for d in job["dimensions"]],
            {"title": job["title"], "description": job["description"], "requirements": job["requirements"],
             "family": job.get("family", ""),
             "questions": [{"text": x["text"], "anchors": x.get("anchors") or {}} for x in job["questions"]]})
