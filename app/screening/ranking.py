"""Ranking helpers over jieba tokens: BM25 relevance of resumes to a job (bm25s), and the sentence finder that
offers a resume sentence close in meaning to a criterion the dictionary could not find."""
import re

from app.analysis import text as text_model
from app.screening.matching import SIMILAR

STOP = set("的 了 和 与 及 或 等 有 在 是 对 能 会 并 熟悉 了解 掌握 精通 经验 相关 以上 优先 具备 能力 良好".split())
SENTENCE = re.compile(r"[^。;；!！?？\n]{4,}")


def tokens(text):
    """Content words of a text (jieba), lower-cased, without stop words and punctuation."""
    return [w.lower() for w in text_model.words(text) if w not in STOP and re.search(r"\w", w)]


def relevance(query, token_lists):
    """BM25 score of each token list for `query`, scaled so the best is 1.0 (all 0.0 when nothing matches)."""
    import bm25s
    import numpy as np

    if not token_lists:
        return []
    vocab = {}
    corpus_ids = [[vocab.setdefault(t, len(vocab)) for t in doc] or [vocab.setdefault("", len(vocab))]
                  for doc in token_lists]
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenization.Tokenized(ids=corpus_ids, vocab=vocab), show_progress=False)
    query_tokens = [t for t in dict.fromkeys(tokens(query)) if t in vocab]
    if not query_tokens:
        return [0.0] * len(token_lists)
    scores = np.asarray(retriever.get_scores(query_tokens), dtype=float)
    top = scores.max()
    return [round(float(s / top), 4) if top > 0 else 0.0 for s in scores]


_label_tokens = {}


def semantic_finder(text, limit=3):
    """A function label -> (similarity, start, end) of the closest resume sentence sharing a word, or None.

    Sentences are pre-selected by the criterion's words appearing in them (a substring test, no segmentation of
    the resume), so only a few sentences per criterion reach the sentence encoder."""
    sentences = [(m.start(), m.end(), m.group(0).strip()) for m in SENTENCE.finditer(text)]
    lowered = [s.lower() for _, _, s in sentences]

    def find(label):
        if label not in _label_tokens:
            _label_tokens[label] = {t for t in tokens(label) if len(t) > 1 or not t.isascii()}
        wanted = _label_tokens[label]
        if not wanted:
            return None
        ranked = sorted(((sum(t in s for t in wanted), i) for i, s in enumerate(lowered)), reverse=True)
        ranked = [(n, i) for n, i in ranked[:limit] if n]
        best = None
        for _, i in ranked:
            similarity = text_model.similarity(label, sentences[i][2])
            if similarity >= SIMILAR and (best is None or similarity > best[0]):
                best = (similarity, sentences[i][0], sentences[i][1])
        return best

    return find
