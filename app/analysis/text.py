"""Chinese text tools for scoring: sentences, ASR-tolerant keyword matching, embeddings, structure cues."""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

import numpy as np

# Words jieba would split wrongly in interview answers; dimension keywords are added per call too.
DOMAIN_WORDS = ("后端", "前端", "数据库", "慢查询", "索引", "联合索引", "缓存", "接口", "并发", "压测", "压力测试",
                "消息队列", "监控", "告警", "复盘", "回款", "签单", "续约", "拜访", "客户跟进", "企业微信")
_SENTENCE_END = re.compile(r"[^。！？!?；;\n]+[。！？!?；;\n]?")
_CLAUSE = re.compile(r"[^，,。！？!?；;、：:\n]+")
_HAN = re.compile(r"[\u4e00-\u9fff]")
HAN = _HAN
MARKERS = ("首先", "其次", "再次", "然后", "接着", "最后", "第一", "第二", "第三", "因为", "所以", "因此", "由于",
           "但是", "不过", "同时", "另外", "一方面", "另一方面", "总之", "总的来说", "结果", "最终")
# STAR cues. Words, not a parser: they show an answer *mentions* each part, not that it is true. Generic words
# (公司, 希望, 需要) are not cues: "公司" is not a situation, "希望" is not a task.
STAR = {
    "situation": ("当时", "去年", "今年", "之前", "有一次", "那时", "背景", "项目", "期间", "遇到"),
    "task": ("负责", "目标", "任务", "要求", "要在", "职责"),
    "action": ("我用", "我把", "我们做", "我做", "我先", "定位", "分析", "设计", "实现", "拜访", "制定", "推动", "沟通",
               "优化", "排查", "加了", "做了", "针对"),
    "result": ("结果", "最终", "最后", "提升", "提高", "降到", "降低", "减少", "增长", "完成", "达成", "签了", "签约",
               "稳定", "效果"),
}
# Words that make a clause on their own without saying anything: neither a sentence nor a listed term.
NEUTRAL = set(MARKERS) | {"嗯", "恩", "哼", "呃", "额", "啊", "唔", "那个", "这个", "就是", "对", "好", "我想想"}
# A clause needs this many words besides figures (jieba.posseg m/q tags): "业绩增长百分之两百" is a slogan with a
# figure (2 words), "我把商品详情放进缓存" a sentence (6).
REAL_CLAUSE_WORDS = 4
LIST_KEYWORD_SHARE = 0.5  # a clause more than half made of keywords is a list, even with a verb in it
# Hedges and vague quantities: an answer full of them says little that can be checked (用词不准确).
HEDGES = ("一些", "一下", "有点", "比较", "还可以", "还行", "差不多", "大概", "可能", "应该", "一般来说", "我觉得",
          "我感觉", "好像", "之类", "什么的", "等等", "挺好")
_CN_NUM = "零一二两三四五六七八九十百千万亿"
# Measure words a figure in Chinese numerals is counted with: time, money, people, goods (八十单, 一百二十件), shares
# (五成), sizes (两兆). "一件", "一单", "一块" alone are articles (claims.FIGURE_ARTICLES).
_UNITS = ("秒|毫秒|分钟|小时|天|周|个月|月|年|家|次|个|人|倍|元|万|条|台|项|件|单|成|兆|块|张|箱|笔|名|%|％")
# A decimal in numerals (一点五, 零点三): one digit after 点 at least; 一点一点 (bit by bit) is not one.
_CN_DECIMAL = rf"[{_CN_NUM}]{{1,4}}点[零一二三四五六七八九]{{1,3}}(?!点)"
NUMBER = re.compile(rf"(百分之[{_CN_NUM}\d.]+|\d+(?:\.\d+)?\s*(?:{_UNITS})?|{_CN_DECIMAL}(?:{_UNITS})?"
                    rf"|[{_CN_NUM}]{{1,6}}(?:{_UNITS}))")

_jieba = None


def load_models() -> None:
    """Load jieba's dictionary once (call before forking)."""
    global _jieba
    if _jieba is None:
        import jieba

        jieba.setLogLevel(60)
        jieba.initialize()
        for word in DOMAIN_WORDS:
            jieba.add_word(word)
        _jieba = jieba


def words(text: str) -> list[str]:
    """Segment Chinese text into words with jieba."""
    load_models()
    return [w for w in _jieba.lcut(text) if w.strip()]


def add_words(keywords: list[str]) -> None:
    load_models()
    for keyword in keywords:
        if _HAN.search(keyword):
            _jieba.add_word(keyword)


def embed(text: str) -> np.ndarray:
    """The unit-length USE embedding of a text (resume screening's sentence finder; app/analysis/encoders.py)."""
    from app.analysis import encoders

    return encoders.get("use").embed(text)


def similarity(a: str, b: str) -> float:
    """USE cosine of two texts, rounded so a result does not depend on the last float bits."""
    from app.analysis import encoders

    return encoders.get("use").similarity(a, b)


def sentences(text: str) -> list[tuple[int, int, str]]:
    """Split text into (start, end, sentence) with character offsets into text."""
    out = []
    for match in _SENTENCE_END.finditer(text):
        chunk = match.group(0)
        stripped = chunk.strip("，,。！？!?；; \n")
        if len(_HAN.findall(stripped)) >= 2:
            start = match.start() + chunk.find(stripped[0])
            out.append((start, start + len(stripped), stripped))
    return out


def clauses(text: str) -> list[tuple[int, int, str]]:
    """Split text at any punctuation into (start, end, clause) with offsets; spaces stay inside a clause."""
    out = []
    for match in _CLAUSE.finditer(text):
        stripped = match.group(0).strip()
        if spoken(stripped):
            start = match.start() + match.group(0).find(stripped)
            out.append((start, start + len(stripped), stripped))
    return out


def tagged(text: str) -> list[tuple[str, str]]:
    """Segment with jieba.posseg: (word, part-of-speech flag), blanks and punctuation dropped."""
    load_models()
    import jieba.posseg

    return [(p.word, p.flag) for p in jieba.posseg.lcut(text) if spoken(p.word)]


def coherence(text: str, keywords: list[str]) -> dict:
    """Share of the answer said in real clauses rather than as listed terms, weighted by spoken characters.

    A real clause has a verb or adjective, at least REAL_CLAUSE_WORDS words besides figures, and is not mostly
    keywords. Clauses that are only a marker or a filler (首先, 嗯) count neither way.
    """
    lowered = {k.lower() for k in keywords}
    real_chars = counted = real = 0
    fragments = []
    for start, end, clause in clauses(text):
        tokens = tagged(clause)
        if not tokens or all(w in NEUTRAL for w, _ in tokens):
            continue
        chars = len(spoken(clause))
        counted += chars
        keyword_share = sum(w.lower() in lowered for w, _ in tokens) / len(tokens)
        words_ = [(w, f) for w, f in tokens if not f.startswith(("m", "q")) and not w.isdigit()]
        if (len(words_) >= REAL_CLAUSE_WORDS and any(f.startswith(("v", "a")) for _, f in words_)
                and keyword_share <= LIST_KEYWORD_SHARE):
            real_chars += chars
            real += 1
        else:
            fragments.append((start, end, clause))
    return {"value": round(real_chars / counted, 3) if counted else 0.0, "clauses": real + len(fragments),
            "real_clauses": real, "fragments": fragments}


def spoken(text: str) -> str:
    """Keep the characters that carry speech (Chinese, letters, digits)."""
    return "".join(ch for ch in text if ch.isalnum())


def pinyin(text: str) -> list[str]:
    """Toneless pinyin per character (non-Chinese characters kept as they are)."""
    return list(_pinyin(text))


@lru_cache(maxsize=8192)
def _pinyin(text: str) -> tuple[str, ...]:
    from pypinyin import Style, lazy_pinyin

    return tuple(lazy_pinyin(text, style=Style.NORMAL, errors=lambda chars: list(chars.lower())))


def find_keyword(text: str, keyword: str) -> dict | None:
    """Find a keyword exactly, or as a sound-alike of the same length (ASR writes 索引 as 所引)."""
    if not keyword:
        return None
    start = text.lower().find(keyword.lower())
    if start >= 0:
        return {"keyword": keyword, "start": start, "end": start + len(keyword), "matched_by": "exact"}
    if not _HAN.search(keyword) or len(keyword) < 2:
        return None
    target, n = pinyin(keyword), len(keyword)
    sounds = pinyin(text)
    if len(sounds) != len(text):  # pypinyin split differently than characters; skip the fuzzy path
        return None
    for i in range(len(text) - n + 1):
        window = sounds[i:i + n]
        if window == target or (n >= 3 and SequenceMatcher(None, " ".join(window), " ".join(target)).ratio() >= 0.85):
            return {"keyword": keyword, "start": i, "end": i + n, "matched_by": "pinyin", "heard": text[i:i + n]}
    return None


def sound_ratio(a: list[str], b: list[str]) -> float:
    """How alike two pinyin sequences sound (difflib ratio of the syllables joined by spaces)."""
    return SequenceMatcher(None, " ".join(a), " ".join(b)).ratio()


def keyword_hits(text: str, keywords: list[str]) -> list[dict]:
    """Return one hit per keyword found (exact or by sound), in keyword order."""
    return [hit for keyword in dict.fromkeys(keywords) if (hit := find_keyword(text, keyword))]


def job_keywords(job: dict, top: int = 12) -> list[str]:
    """Pick the job's own key terms from its description and requirements (jieba TF-IDF)."""
    return list(_tfidf_terms(f"{job.get('description', '')}\n{job.get('requirements', '')}", top))


@lru_cache(maxsize=256)
def _tfidf_terms(text: str, top: int) -> tuple[str, ...]:
    import jieba.analyse

    load_models()
    return tuple(w for w in jieba.analyse.extract_tags(text, topK=top) if len(w) >= 2 and not w.isdigit())


def hedges(text: str) -> list[dict]:
    """Find hedges and vague quantities (一些, 大概, 我觉得...) with offsets, in order."""
    found = [{"text": m.group(0), "start": m.start(), "end": m.end()}
             for m in re.finditer("|".join(sorted(HEDGES, key=len, reverse=True)), text)]
    return found


def structure_cues(text: str) -> dict:
    """Find discourse markers, STAR parts and concrete numbers, with offsets."""
    markers = [{"text": m, "start": i} for m in MARKERS for i in [text.find(m)] if i >= 0]
    star = {}
    for part, cues in STAR.items():
        hit = next(((c, text.find(c)) for c in cues if c in text), None)
        star[part] = {"cue": hit[0], "start": hit[1], "end": hit[1] + len(hit[0])} if hit else None
    numbers = [{"text": m.group(0), "start": m.start(), "end": m.end()} for m in NUMBER.finditer(text)
               if not re.fullmatch(r"一.?", m.group(0))]  # "一个", "一次", "一家" are articles, not figures
    return {"markers": sorted(markers, key=lambda m: m["start"]), "star": star, "numbers": numbers}
