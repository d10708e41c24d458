"""The job's own words for speech to text: what to prime Whisper with and what to correct homophones towards.

Sources, most specific first (plain values in, no database):
1. the keywords of the question's dimensions, then of the job's other dimensions;
2. field terms (data/vocabulary.yaml) and TF-IDF terms that the question text uses;
3. field terms that the job's title, description and requirements use, then the job's TF-IDF terms;
4. the rest of the job family's field vocabulary (app/analysis/vocabulary.py, the same list the scorer uses).

`prompt_terms` is the head of that list within a character budget (Whisper's prompt holds 223 tokens and a Chinese
character costs 1-3 of them); `correction_terms` is the whole list (Chinese terms of 2+ characters only: the
correction matches by sound).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.analysis import text as T
from app.analysis import vocabulary as V

PROMPT_BUDGET_CHARS = 90  # terms joined with 、 ; measured to stay well inside Whisper's 223 prompt tokens
# Everyday words (首先, 因为, 结果: jieba frequency >= this) are left out of the prompt: Whisper writes them right.
COMMON_WORD_FREQ = 5000
_HAN = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class JobVocabulary:
    """The terms of one job (and one question), in priority order."""

    terms: list[str] = field(default_factory=list)
    family: str | None = None

    def prompt_terms(self, budget: int = PROMPT_BUDGET_CHARS) -> list[str]:
        out, used = [], 0
        for term in self.terms:
            if common_word(term):
                continue
            if used + len(term) + 1 > budget:
                break
            out.append(term)
            used += len(term) + 1
        return out

    def correction_terms(self) -> list[str]:
        """Chinese terms of 2+ characters that are not everyday words (所引 must become 索引, never 所以)."""
        return [t for t in self.terms if len(t) >= 2 and all(_HAN.match(ch) for ch in t) and not common_word(t)]

    def to_dict(self) -> dict:
        return {"terms": list(self.terms), "family": self.family}

    @classmethod
    def from_dict(cls, data: dict | None) -> JobVocabulary:
        data = data or {}
        return cls(terms=list(data.get("terms") or []), family=data.get("family"))


def word_freq(word: str) -> int:
    """jieba's dictionary frequency of a word (0 when it is not a dictionary word)."""
    T.load_models()
    import jieba

    return jieba.get_FREQ(word) or 0


def common_word(word: str) -> bool:
    return word_freq(word) >= COMMON_WORD_FREQ


def _present(text: str, candidates: list[str]) -> list[str]:
    lowered = text.lower()
    return [t for t in candidates if t and t.lower() in lowered]


def build(job: dict, dimensions: list[dict], question: dict | None = None) -> JobVocabulary:
    """The job's vocabulary for one question: `job` {title, description, requirements[, family]},
    `dimensions` [{name, keywords}], `question` {text, dimensions: [names]} or None."""
    question = question or {}
    family = V.family_of(job, dimensions)
    family_terms = V.terms_for(family)
    asked = set(question.get("dimensions") or [])
    own = [k for d in dimensions if d.get("name") in asked for k in d.get("keywords") or []]
    other = [k for d in dimensions if d.get("name") not in asked for k in d.get("keywords") or []]
    job_text = " ".join([job.get("title", ""), job.get("description", ""), job.get("requirements", "")])
    tfidf = T.job_keywords(job)
    q_text = question.get("text", "")
    ordered = (own + _present(q_text, family_terms + tfidf) + _present(job_text, family_terms) + tfidf + other
               + family_terms)
    terms = [t for t in dict.fromkeys(str(t).strip() for t in ordered) if len(t) >= 2]
    return JobVocabulary(terms=terms, family=family)
