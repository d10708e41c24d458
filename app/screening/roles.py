"""How close each work entry of a resume is to the job by meaning, whatever words either uses (issue 19).

The phrase table knows some families' titles and terms; a job of a family it does not know, or a strong resume
that describes its work in its own words, gets no relevant years from it. So every work entry is also compared
with the job by a sentence encoder whose weights ship in the venv (USE multilingual, app/analysis/encoders.py):
the entry's vector is the mean of its sentences' unit vectors (title line included), the job's is its title and
description; an entry at or above ROLE_SIMILAR counts as relevant experience (with the rule-based roles), and
"role years" (the dated entries at or above it, overlaps once) feed the score's experience share (matching.py).

The entry vectors are computed once, when the resume is parsed, and stored in its fields (float16, base64), so
re-screening a job only takes dot products. Rows parsed before have none: they are computed when screened.
"""
import base64
import re

import numpy as np

from app.screening import experience

ROLE_SIMILAR = 0.3   # cosine (USE) at or above which a work entry is the job's kind of work (see bench/results)
SENTENCE = re.compile(r"[^。;；!！?？\n]{4,}")
ENCODER = "use"


def _encoder():
    from app.analysis import encoders
    return encoders.get(ENCODER)


def _pack(vector):
    return base64.b64encode(np.asarray(vector, dtype=np.float16).tobytes()).decode("ascii")


def _unpack(blob):
    return np.frombuffer(base64.b64decode(blob), dtype=np.float16).astype(np.float64)


def role_vectors(text, today):
    """[{"start", "title", "vector"}] for each work entry of the resume (what the parser stores)."""
    return work_vectors(text, experience.blocks(text, today))


def work_vectors(text, profile):
    """role_vectors from the resume's blocks (experience.blocks), for a caller that has read them already."""
    entries = [b for b in profile if b.kind == "work"]
    sentences = [[m.group(0).strip() for m in SENTENCE.finditer(text[b.start:b.end]) if m.group(0).strip()]
                 for b in entries]
    flat = [s for group in sentences for s in group]
    if not flat:
        return []
    vectors = _encoder().embed_many(flat)
    out, i = [], 0
    for block, group in zip(entries, sentences, strict=True):
        if group:
            mean = vectors[i:i + len(group)].mean(axis=0)
            out.append({"start": block.start, "title": block.title,
                        "vector": _pack(mean / (np.linalg.norm(mean) or 1.0))})
        i += len(group)
    return out


def job_vector(title, description):
    return _encoder().embed(f"{title}\n{description or ''}".strip())


def similarities(stored, job_vec):
    """{entry start offset: cosine with the job} from stored role vectors."""
    return {r["start"]: round(float(_unpack(r["vector"]) @ job_vec), 4) for r in stored or []}


def of_resume(fields, text, today, job_vec):
    """{entry start: similarity} for a parsed resume: from its stored vectors, or computed now for rows parsed
    before the vectors were stored."""
    stored = (fields or {}).get("roles")
    if stored is None:
        stored = role_vectors(text, today)
    return similarities(stored, job_vec)
