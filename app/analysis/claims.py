"""What an answer claims, clause by clause: which statements can earn credit at all.

A clause (text between commas or stops; 、 stays inside) earns nothing when it
- is negated or a disclaimer ("Redis没用过", "不太了解微服务"): its terms are shown as what the candidate lacks;
- repeats the question or the job description (character 4-gram overlap): flagged 复述题目/岗位描述;
- is not a real clause (a listed term, a fragment: `text.coherence`'s rule);
and a sentence earns credit only when one of its clauses has concrete content, found without any word list of the
job: a figure, a before/after change, a time or an episode, the speaker's own action on something specific, or
specific things named. Sentences made of connectives, job terms and abstract nouns ("首先分析了数据库和缓存的原因")
count like a keyword list. For behavioural questions ("请讲一次…") a hypothetical ("如果…我会…") counts half.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from app.analysis import text as T


def _load_words() -> dict[str, set[str]]:
    data = yaml.safe_load((Path(__file__).resolve().parent / "data" / "general_words.yaml").read_text("utf-8"))
    return {name: {w for line in lines for w in line.split()} for name, lines in data.items()}


_WORDS = _load_words()  # abstract nouns, light verbs, non-actions (app/analysis/data/general_words.yaml)

SCOPE = re.compile(r"[^，,。！？!?；;：:\n]+")
# Negation of experience or knowledge: 没…过, 没用/没做/没接触…, 不(太)了解/懂/会/熟悉.
# A linguistic pattern, not a list of phrases.
# A resultative after the verb (没做好, 没处理完, 没看到) is about how something went, not about never having done
# it; a bare 不会 is a future or a condition (我不会让顾客等, 不会的话…), only 不太会 / 不怎么会 disclaim a skill.
NEGATION = re.compile(r"(没有?|从未|从来没有?|未曾|还没有?)[^，,。；;]{0,6}?过"
                      r"|(没有?|从未|未曾)(用|做|接触|负责|处理|遇到|试|看|签|学|碰|搞|开发|带)"
                      r"(?![好到完对清成住够懂着])"
                      r"|不(太|怎么|是很|大)?(了解|懂|熟悉|熟|清楚|擅长)|不(太|怎么|是很|大)会")
HYPOTHETICAL = re.compile(r"如果|假如|假设|要是|万一|我会|我们会|会先|打算")
BEHAVIOURAL = re.compile(r"讲一次|讲讲一次|分享一次|说一次|经历|举一个|举个例子|举例")
# A "what would you do" question asks for a plan (如果…你会怎么做); a behavioural one for an episode.
PLAN_QUESTION = re.compile(r"如果|假如|假设|你会怎么|你会如何")
FIGURE_ARTICLES = re.compile(r"一[个次家下些点份种位条把件单块张笔名成]?")
CHANGE = re.compile(r"从[^，,。；;]{1,16}?(降|涨|提|缩|变|升|减|增|回|改|换|扩)[^，,。；;]{0,4}?(到|成|至)"
                    r"|(降|缩|涨|回|提|升|减)(到|至)|改成|换成|改为|拆成|合并成|收拢|替换成|替代")
TIME = re.compile(r"去年|今年|前年|最近|之前|以前|上个?月|上周|上半年|下半年|年初|年底|当时|那时|那次|有一次|后来|之后"
                  r"|第二次|第一次|第二天|第三天|次日|当天|当场|当晚|隔天"
                  r"|\d+月|[一二三四五六七八九十两几半\d]+(天|周|个月|年)(后|内|前|里|之后)|双十一|大促|高峰|整点|凌晨")
FIRST_PERSON = {"我", "我们"}
NOT_ACTIONS = _WORDS["not_actions"]
ABSTRACT = _WORDS["abstract_nouns"]
NOUN_FLAGS = ("n", "eng", "l", "nz", "nr", "ns", "nt", "nw")
FUNCTION_START = tuple("我你他她它是这那哪每各某")  # jieba tags 我会, 是不是 as nouns
LIGHT_VERBS = _WORDS["light_verbs"]
READBACK_NGRAM, READBACK_SHARE = 4, 0.5
READBACK_MIN_CHARS = 8  # 配合医生处理 restates a duty in passing; read-back is a sentence or more


def _ngrams(text: str, n: int = READBACK_NGRAM) -> set[str]:
    s = T.spoken(text).lower()
    return {s[i:i + n] for i in range(len(s) - n + 1)}


def find_terms(text: str, terms: list[str], fuzzy: set[str] = frozenset()) -> list[dict]:
    """Every occurrence of each term: exact (case-insensitive), same toneless pinyin, or for `fuzzy` terms of 3+
    syllables a close pinyin (ASR writes 缓存 as 缓村). Longer terms win overlaps. Offsets index into text."""
    lowered = text.lower()
    sounds = T.pinyin(text)
    aligned = len(sounds) == len(text)
    hits, taken = [], set()
    for term in sorted(dict.fromkeys(t for t in terms if t), key=lambda t: (-len(t), t)):
        spans = [(m.start(), "exact") for m in re.finditer(re.escape(term.lower()), lowered)]
        if aligned and term in fuzzy and T.HAN.search(term) and len(term) >= 2:
            target, n = T.pinyin(term), len(term)
            for i in range(len(text) - n + 1):
                if text[i:i + n].lower() == term.lower() or not T.HAN.search(text[i:i + n]):
                    continue
                window = sounds[i:i + n]
                # Half the syllables the same is necessary in practice for a ratio >= 0.85 and far cheaper.
                if window == target or (term in fuzzy and n >= 3
                                        and 2 * sum(a == b for a, b in zip(window, target, strict=True)) >= n
                                        and T.sound_ratio(window, target) >= 0.85):
                    spans.append((i, "pinyin"))
        for start, how in spans:
            end = start + len(term)
            if any(p in taken for p in range(start, end)):
                continue
            if re.fullmatch(r"[A-Za-z0-9]+", term) and (  # Latin terms only as whole words: "Go" is not in "Google"
                    (start > 0 and text[start - 1].isascii() and text[start - 1].isalnum())
                    or (end < len(text) and text[end].isascii() and text[end].isalnum())):
                continue
            taken.update(range(start, end))
            hits.append({"term": term, "start": start, "end": end, "matched_by": how, "heard": text[start:end]})
    return sorted(hits, key=lambda h: h["start"])


def _figures(clause: str, offset: int) -> list[dict]:
    """Figures, except articles (一个, 一次) and counts of abstractions (两个方面, 三点原因)."""
    out = []
    for m in T.NUMBER.finditer(clause):
        after = clause[m.end():m.end() + 2]
        if FIGURE_ARTICLES.fullmatch(m.group(0)) or any(after.startswith(w) for w in ABSTRACT if len(w) == 2):
            continue
        out.append({"text": m.group(0), "start": offset + m.start(), "end": offset + m.end()})
    return out


def _signals(clause: str, offset: int, tokens: list[tuple[str, str]], terms_here: list[dict]) -> dict:
    term_words = {h["term"].lower() for h in terms_here} | {h["heard"].lower() for h in terms_here}
    specific, named = [], set()
    for word, flag in tokens:
        low = word.lower()
        if low in term_words:
            named.add(word)
        elif (flag.startswith(NOUN_FLAGS) and len(word) >= 2 and word not in ABSTRACT and not word.isdigit()
                and not word.startswith(FUNCTION_START) and not any(t in low for t in term_words if len(t) >= 2)):
            specific.append(word)
            named.add(word)
    actions, first_person_actions = [], []
    for i, (word, flag) in enumerate(tokens):
        if word in FIRST_PERSON:
            for later, later_flag in tokens[i + 1:i + 4]:
                if later_flag.startswith("v") and later not in NOT_ACTIONS and later.lower() not in term_words:
                    actions.append(later)
                    first_person_actions.append(later)
                    break
        elif (flag.startswith("v") and word not in NOT_ACTIONS and word not in LIGHT_VERBS
              and word.lower() not in term_words and any(w in named for w, _ in tokens[i + 1:i + 4])):
            actions.append(word)  # an operation on a named thing: 看日志, 加索引, 抓一条慢请求的调用链
    changes = [{"text": m.group(0), "start": offset + m.start(), "end": offset + m.end()}
               for m in CHANGE.finditer(clause)]
    times = [{"text": m.group(0), "start": offset + m.start(), "end": offset + m.end()} for m in TIME.finditer(clause)]
    actions = list(dict.fromkeys(actions))
    operations = [w for w in actions if w not in first_person_actions]
    return {"figures": _figures(clause, offset), "changes": changes, "times": times, "actions": actions,
            "operations": operations,
            "specific": list(dict.fromkeys(specific))}


def analyse(answer: str, question_text: str, source_texts: list[str], terms: list[str], fuzzy: set[str],
            list_words: list[str]) -> dict:
    """Clause-by-clause analysis of an answer. `source_texts` are what may be read back (question, job text);
    `terms` the job/family vocabulary; `list_words` the words whose share makes a clause a list (coherence)."""
    behavioural = bool(BEHAVIOURAL.search(question_text))
    source = set().union(*(_ngrams(s) for s in source_texts)) if source_texts else set()
    all_terms = find_terms(answer, terms, fuzzy)
    lowered_list = {w.lower() for w in list_words}
    sentences = T.sentences(answer) or ([(0, len(answer), answer)] if answer.strip() else [])
    clauses = []
    for match in SCOPE.finditer(answer):
        raw = match.group(0)
        text = raw.strip()
        if not T.spoken(text):
            continue
        start = match.start() + raw.find(text)
        end = start + len(text)
        tokens = T.tagged(text)
        if not tokens or all(w in T.NEUTRAL for w, _ in tokens):
            continue  # 首先, 嗯: neither way
        here = [h for h in all_terms if start <= h["start"] < end]
        grams = _ngrams(text)
        overlap = len(grams & source) / len(grams) if len(grams) >= 3 else 0.0
        words_ = [(w, f) for w, f in tokens if not f.startswith(("m", "q")) and not w.isdigit()]
        list_share = (sum(w.lower() in lowered_list for w, _ in tokens) + sum(len(h["term"]) >= 2 for h in here)
                      ) / (2 * len(tokens))
        signals = _signals(text, start, tokens, here)
        concrete = (bool(signals["figures"] or signals["changes"] or signals["times"])
                    or bool(signals["operations"]) or (bool(signals["actions"]) and bool(signals["specific"]))
                    or len(signals["specific"]) >= 2)
        # A real clause: enough words, a verb or adjective (jieba's tags miss some: a concrete clause needs none;
        # one of 3 words is enough when it carries a figure or a change), and not mostly listed terms.
        has_verb = any(f.startswith(("v", "a")) for _, f in words_)
        enough = len(words_) >= T.REAL_CLAUSE_WORDS or (
            len(words_) >= 3 and bool(signals["figures"] or signals["changes"]) and has_verb)
        real = enough and (has_verb or concrete) and list_share <= T.LIST_KEYWORD_SHARE
        sentence = next((i for i, (a, b, _) in enumerate(sentences) if a <= start < b), None)
        clauses.append({
            "start": start, "end": end, "text": text, "chars": len(T.spoken(text)), "sentence": sentence,
            "negated": bool(NEGATION.search(text)),
            "readback": overlap >= READBACK_SHARE and len(T.spoken(text)) >= READBACK_MIN_CHARS,
            "readback_overlap": round(overlap, 3), "hypothetical": behavioural and bool(HYPOTHETICAL.search(text)),
            "real": real, "concrete": concrete, "signals": signals, "terms": here, "tokens": tokens,
        })
    # A sentence is credited when one of its own (not negated, not read back) clauses is concrete.
    credited_sentences = {c["sentence"] for c in clauses if c["concrete"] and not c["negated"] and not c["readback"]}
    # A conditional colours its whole sentence: "如果…，我会…，加上以后…会…".
    hypothetical_sentences = {c["sentence"] for c in clauses if c["hypothetical"]}
    for c in clauses:
        c["hypothetical"] = c["sentence"] in hypothetical_sentences and behavioural
        ok = c["sentence"] in credited_sentences and c["real"] and not c["negated"] and not c["readback"]
        c["weight"] = (0.5 if c["hypothetical"] else 1.0) if ok else 0.0
    counted = sum(c["chars"] for c in clauses)
    return {"clauses": clauses, "sentences": sentences, "behavioural": behavioural,
            "credited_share": round(sum(c["chars"] * c["weight"] for c in clauses) / counted, 3) if counted else 0.0,
            "readback_share": round(sum(c["chars"] for c in clauses if c["readback"]) / counted, 3) if counted else 0.0,
            "coherence": round(sum(c["chars"] for c in clauses if c["real"]) / counted, 3) if counted else 0.0}


def question_mode(question_text: str) -> int:
    """-1 for a behavioural question (tell us about a time), +1 for a "what would you do" one, 0 otherwise."""
    if BEHAVIOURAL.search(question_text):
        return -1
    return 1 if PLAN_QUESTION.search(question_text) else 0


def mode_fit(answer: str, question_text: str) -> float:
    """How far the answer is told the way its question asks: the share of its text in sentences with a plan
    (HYPOTHETICAL: 如果, 我会, 会先) minus the share in sentences with a time or an episode (TIME: 当时, 去年, 后来),
    turned toward the question's mode (a plan for a "what would you do" question, an episode for a behavioural one;
    0 for other questions). A story told for another question usually comes in the other mode."""
    mode = question_mode(question_text)
    found = T.sentences(answer) or ([(0, len(answer), answer)] if answer.strip() else [])
    total = sum(len(s) for _, _, s in found)
    if not mode or not total:
        return 0.0
    plan = sum(len(s) for _, _, s in found if HYPOTHETICAL.search(s)) / total
    past = sum(len(s) for _, _, s in found if TIME.search(s)) / total
    return mode * (plan - past)


def credited_text(analysis: dict, answer: str) -> str:
    """The credited clauses joined: what meaning-based signals (similarity, anchors) are computed on."""
    return "，".join(answer[c["start"]:c["end"]] for c in analysis["clauses"] if c["weight"] > 0)
