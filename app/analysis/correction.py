"""Correct homophones of the job's own words in a transcript (所引 -> 索引, 高病发 -> 高并发), keeping the raw text.

Whisper base writes many domain terms as sound-alikes. A span of the transcript is replaced by a job term only when
1. it sounds like the term: the same toneless pinyin syllable for syllable ("exact"), the same after folding accent
   pairs (zh/z, ch/c, sh/s, n/l, -ng/-n: "fuzzy"), or all but one syllable so and that one sharing its initial and
   first final letter ("near": 慢查学 -> 慢查询; in a two-character term the other character must be the term's own:
   间口 -> 接口; in a term of 4+ characters the initial alone: 毒血分离 -> 读写分离);
2. it is not a real word in its place: the span is not itself a dictionary word of jieba (frequency >= GUARD_FREQ,
   however jieba segments the sentence around it: 十五分钟 must not become 事务分钟), no such word crosses the span's
   edges, and (unless every syllable is the term's) none lies inside it other than a
   correctly heard part of the term (一部 stays 一部, 借口 stays 借口, 一不小心 is not 异步; 现成池 -> 线程池);
3. the context supports it: another of the job's terms is heard in the answer (exact matches) or within
   CONTEXT_CHARS of the span (fuzzy and near matches).
A replacement has the same length as the span, so character offsets are the same in the raw and the corrected text.
Nothing is ever inserted: a term can only appear where something that sounds like it was transcribed.
"""

from __future__ import annotations

import re

from app.analysis import text as T

GUARD_FREQ = 100  # jieba frequency from which a word overlapping the span is taken as meant (借口 1040, 对练 20)
CONTEXT_CHARS = 12
KINDS = ("exact", "fuzzy", "near")  # corrections are made in this order: a surer match wins a span
_HAN = re.compile(r"^[\u4e00-\u9fff]+$")
_INITIALS = ("zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x", "r", "z", "c",
             "s", "y", "w")
_FOLD_INITIAL = {"zh": "z", "ch": "c", "sh": "s", "n": "l"}


def _split(syllable: str) -> tuple[str, str]:
    for initial in _INITIALS:
        if syllable.startswith(initial) and len(syllable) > len(initial):
            return initial, syllable[len(initial):]
    return "", syllable


def _fold(syllable: str) -> tuple[str, str]:
    initial, final = _split(syllable)
    final = final[:-1] if final.endswith("ng") and final not in ("ong", "iong") else final
    return _FOLD_INITIAL.get(initial, initial), final


def syllable_match(heard: str, said: str, loose: bool = False) -> str:
    """'same', 'fuzzy' (accent pairs), 'initial' (same initial and first final letter; `loose`: initial only)."""
    if heard == said:
        return "same"
    (hi, hf), (si, sf) = _fold(heard), _fold(said)
    if hi == si and hf == sf:
        return "fuzzy"
    if hi and hi == si and (loose or hf[:1] == sf[:1]):
        return "initial"
    return ""


def sound_match(span: str, span_sounds: list[str], term: str, term_sounds: list[str]) -> str:
    """How a span sounds like a term of the same length: 'exact', 'fuzzy', 'near' or ''."""
    kinds = [syllable_match(h, s, loose=len(term) >= 4) for h, s in zip(span_sounds, term_sounds, strict=True)]
    if "" in kinds:
        return ""
    if all(k == "same" for k in kinds):
        return "exact"
    loose = [i for i, k in enumerate(kinds) if k == "initial"]
    if not loose:
        return "fuzzy"
    if len(loose) > 1:
        return ""
    if len(term) == 2 and span[1 - loose[0]] != term[1 - loose[0]]:
        return ""
    return "near"


def _char_sounds(text: str) -> list[str]:
    sounds = T.pinyin(text)
    if len(sounds) == len(text):
        return sounds
    return [(T.pinyin(ch) or [ch])[0] for ch in text]


def _tokens(text: str) -> list[tuple[int, int, str]]:
    T.load_models()
    import jieba

    out, pos = [], 0
    for word in jieba.lcut(text):
        out.append((pos, pos + len(word), word))
        pos += len(word)
    return out


def _freq(word: str) -> int:
    import jieba

    return jieba.get_FREQ(word) or 0


def _guarded(tokens: list[tuple[int, int, str]], start: int, end: int, term: str, kind: str, span: str) -> bool:
    """True when a real word overlaps the span (so the span was probably meant as written)."""
    if _freq(span) >= GUARD_FREQ:
        return True  # the span is itself a word (十五 ~ 事务), whatever jieba made of its neighbourhood (十五分钟)
    for a, b, word in tokens:
        if b <= start or a >= end or len(word) < 2:
            continue
        inside = start <= a and b <= end
        if inside and term[a - start:b - start] == word:
            continue  # a correctly heard part of the term (消息 in 消息对练)
        if inside and kind == "exact" and (a, b) != (start, end):
            continue  # 现成 in 现成池: every syllable is 线程池's, the word does not cross the span's edges
        if _freq(word) >= GUARD_FREQ:
            return True
    return False


def correct(text: str, terms: list[str]) -> tuple[str, list[dict]]:
    """Replace sound-alike spans by the job's terms. Returns (corrected text, corrections with offsets)."""
    terms = [t for t in dict.fromkeys(terms) if len(t) >= 2 and _HAN.match(t)]
    if not text or not terms:
        return text, []
    taken = [False] * len(text)
    heard_terms = []
    for term in sorted(terms, key=len, reverse=True):  # exact occurrences are never touched
        for match in re.finditer(re.escape(term), text):
            heard_terms.append((match.start(), match.end()))
            for i in range(match.start(), match.end()):
                taken[i] = True
    sounds = _char_sounds(text)
    tokens = _tokens(text)
    chars = list(text)
    corrections = []
    ordered = [(kind, term) for kind in KINDS for term in sorted(terms, key=lambda t: (-len(t), terms.index(t)))]
    for wanted, term in ordered:
        n, term_sounds = len(term), _char_sounds(term)
        i = 0
        while i <= len(text) - n:
            span = text[i:i + n]
            if any(taken[i:i + n]) or not _HAN.match(span):
                i += 1
                continue
            kind = sound_match(span, sounds[i:i + n], term, term_sounds)
            if kind != wanted or _guarded(tokens, i, i + n, term, kind, span):
                i += 1
                continue
            others = [(a, b) for a, b in heard_terms if b <= i or a >= i + n]
            near = any(a < i + n + CONTEXT_CHARS and b > i - CONTEXT_CHARS for a, b in others)
            if not (near or (kind == "exact" and others)):
                i += 1
                continue
            corrections.append({"start": i, "end": i + n, "heard": span, "term": term, "match": kind})
            chars[i:i + n] = list(term)
            for k in range(i, i + n):
                taken[k] = True
            if kind == "exact":  # only a sure correction supports others
                heard_terms.append((i, i + n))
            i += n
    corrections.sort(key=lambda c: c["start"])
    return "".join(chars), corrections
