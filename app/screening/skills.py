"""The skill dictionary: concepts, their synonyms, the narrower skills that evidence them, and figures.

A requirement names a concept ("消息队列"); a resume may say it another way ("MQ") or name an instance of it
("Kafka"): both count, so a synonym is never reported as missing. A resume that names a sibling instance
(requirement "Kafka", resume "RabbitMQ") is only *related*: the verdict is "uncertain", for a person to judge.
Some concepts are evidenced by figures rather than words ("峰值 QPS 3 万" for 高并发). The words live in the
phrase table (phrases.py, data/phrases.yaml); change its `version` when you change it.
"""
import re
from functools import lru_cache

from app.screening import phrases


def dictionary_version():
    return phrases.version()


def _compile(term):
    """A case-insensitive pattern; Latin terms must not sit inside a longer word ("PG" not in "UPGRADE")."""
    escaped = re.escape(term).replace(r"\ ", r"\s*")
    if re.search(r"[A-Za-z0-9]", term):
        short = len(term) <= 3
        return re.compile(rf"(?<![A-Za-z0-9+#]){escaped}(?![A-Za-z0-9+#])", 0 if short else re.IGNORECASE)
    return re.compile(escaped)


@lru_cache(maxsize=4)
def _compiled(version):
    table = phrases.table()
    concepts = {name: (e["synonyms"], e["instances"]) for name, e in table["concepts"].items()}
    patterns = {name: [(term, _compile(term)) for term in e["synonyms"]] for name, e in table["concepts"].items()}
    figures = {name: e["figure_patterns"] for name, e in table["concepts"].items() if e["figure_patterns"]}
    return concepts, patterns, figures


def concepts():
    """{concept: (synonyms, narrower instances)}."""
    return _compiled(phrases.version())[0]


def _patterns():
    return _compiled(phrases.version())[1]


def canonical(word):
    """The concept a word names (its own spelling when unknown)."""
    low = word.strip().lower()
    for concept, (synonyms, _) in concepts().items():
        if low == concept.lower() or low in (s.lower() for s in synonyms):
            return concept
    return word.strip()


def narrower(concept):
    """The concept and every instance under it (transitively)."""
    table = concepts()
    out, todo = [], [concept]
    while todo:
        c = todo.pop(0)
        if c not in out:
            out.append(c)
            todo.extend(table.get(c, ((), []))[1])
    return out


def parents(concept):
    return [c for c, (_, kids) in concepts().items() if concept in kids]


def siblings(concept):
    """Other instances of the concepts above `concept` (Kafka -> RabbitMQ, RocketMQ)."""
    return [s for p in parents(concept) for s in narrower(p) if s not in (concept, p)]


def find(text, concept):
    """Every mention of `concept` in text as (start, end, term), synonyms included, not instances. A name the table
    does not know (the job's own term, "企业所得税申报") is also found by its words: a sentence holding most of
    them ("所得税年度申报"), the span from the first to the last."""
    known = _patterns().get(concept)
    patterns = known or [(concept, _compile(concept))]
    hits = []
    for term, pattern in patterns:
        for m in pattern.finditer(text):
            if not any(s <= m.start() < e for s, e, _ in hits):
                hits.append((m.start(), m.end(), term))
    if not known:
        hits += [h for h in _by_words(text, concept) if not any(s <= h[0] < e for s, e, _ in hits)]
    return sorted(hits)


SENTENCE = re.compile(r"[^。;；!！?？\n]+")


@lru_cache(maxsize=512)
def _words(term):
    """The words of an unknown Chinese term of four characters or more (jieba), two characters at least each."""
    if not re.fullmatch(r"[\u4e00-\u9fa5]{4,}", term):
        return ()
    from app.analysis import text as text_model
    return tuple(dict.fromkeys(w for w in text_model.words(term) if len(w) >= 2))


def _by_words(text, term):
    words = _words(term)
    if len(words) < 2:
        return []
    need = max(2, -(-len(words) * 2 // 3))   # two thirds, rounded up
    hits = []
    for m in SENTENCE.finditer(text):
        spans = [(i, i + len(w)) for w in words for i in [m.group(0).find(w)] if i >= 0]
        if len(spans) >= need:
            hits.append((m.start() + min(s for s, _ in spans), m.start() + max(e for _, e in spans), term))
    return hits


def soft(concept):
    """Whether a concept is a soft skill (derived as a nice-to-have only)."""
    return bool(phrases.table()["concepts"].get(concept, {}).get("soft"))


CERTIFICATE = re.compile(r"(?:证|证书|资格|执照|职称)$")


def credential(concept):
    """Whether a concept is a certificate or language level (listed is evidence enough): so marked in the table,
    or a name the table does not know that ends like one ("护士执业证书", "低压电工证")."""
    entry = phrases.table()["concepts"].get(concept)
    return bool(entry.get("credential")) if entry is not None else bool(CERTIFICATE.search(concept))


def figures(text, concept):
    """Figures in text that evidence `concept` by meaning, as (start, end, matched text)."""
    return [(m.start(), m.end(), m.group(0)) for p in _compiled(phrases.version())[2].get(concept, [])
            for m in p.finditer(text)]
