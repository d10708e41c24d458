"""General professional vocabulary per job family (app/analysis/data/vocabulary.yaml), extendable by HR.

`SCORING_VOCABULARY_FILE` may name a YAML file of the same shape whose terms are added to the shipped ones.
A job's family is its template's `family` when given, else the family whose terms its title, description,
requirements and dimension keywords use most (at least 3 of them), else none.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

import yaml

SHIPPED = Path(__file__).resolve().parent / "data" / "vocabulary.yaml"
MIN_FAMILY_HITS = 3


@lru_cache(maxsize=4)
def _load(extra: str) -> dict:
    families = {}
    for path in [SHIPPED] + ([Path(extra)] if extra else []):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for name, fam in (data.get("families") or {}).items():
            entry = families.setdefault(name, {"description": "", "terms": []})
            entry["description"] = fam.get("description") or entry["description"]
            entry["terms"] = list(dict.fromkeys(entry["terms"] + [str(t) for t in fam.get("terms") or []]))
    return families


def families() -> dict:
    """{family: {"description", "terms"}} from the shipped file plus SCORING_VOCABULARY_FILE."""
    return _load(os.environ.get("SCORING_VOCABULARY_FILE", ""))


def version() -> str:
    """A short hash of the vocabulary in force, recorded with every score."""
    blob = repr(sorted((k, v["description"], tuple(v["terms"])) for k, v in families().items()))
    return hashlib.sha1(blob.encode()).hexdigest()[:8]


def family_of(job: dict, dimensions: list[dict]) -> str | None:
    if job.get("family") in families():
        return job["family"]
    text = " ".join([job.get("title", ""), job.get("description", ""), job.get("requirements", "")]
                    + [k for d in dimensions for k in d.get("keywords") or []]).lower()
    counts = {name: sum(t.lower() in text for t in fam["terms"]) for name, fam in families().items()}
    best = max(sorted(counts), key=lambda n: counts[n], default=None)
    return best if best is not None and counts[best] >= MIN_FAMILY_HITS else None


def terms_for(family: str | None) -> list[str]:
    return list(families().get(family, {}).get("terms", [])) if family else []
