"""The job's words in transcripts: vocabulary, homophone correction, text over silence, job-term recall.

Logic tests run on text: the issue's garbled examples and Whisper's frozen raw output on the job-term clips
(tests/fixtures/media/terms/transcripts.json, made by tools/fixtures/freeze_transcripts.py --terms). Only the tests
marked slow run Whisper live, with tolerances (docs/testing.md).
"""

import json

import pytest

from app.analysis import asr, job_vocabulary
from app.analysis.cer import cer, term_counts
from app.analysis.correction import correct, sound_match
from app.analysis.text import pinyin
from tests.support.asr_clips import MEDIA, clips, vocabulary_for

BACKEND_TERMS = ["数据库", "索引", "联合索引", "缓存", "接口", "性能", "并发", "高并发", "监控", "日志", "消息队列",
                 "慢查询", "架构", "瓶颈", "队列", "异步", "执行计划", "告警", "压测"]


def _measured_terms(vocabulary):
    return [t for t in vocabulary.terms if not job_vocabulary.common_word(t)]


@pytest.mark.parametrize("garbled, term", [
    ("我们用消息对练做削峰，数据库压力小了", "消息队列"),
    ("我先看漫茶寻日志，发现数据库没有索引", "慢查询"),
    ("又看了慢查学的结果，数据库", "慢查询"),
    ("高病发的时候数据库扛不住", "高并发"),
    ("加了所引以后接口快了", "索引"),
    ("整个价构是我设计的，数据库也是", "架构"),
    ("我负责找出平景在哪，最后是数据库", "瓶颈"),
    ("在接口前面加一个缓锤", "缓存"),
    ("这个间口很慢，先看数据库", "接口"),
])
def test_the_issues_garbled_terms_become_the_job_terms(garbled, term):
    fixed, corrections = correct(garbled, BACKEND_TERMS)
    assert term in fixed and len(fixed) == len(garbled), fixed
    [c] = [c for c in corrections if c["term"] == term]
    assert garbled[c["start"]:c["end"]] == c["heard"] and fixed[c["start"]:c["end"]] == term
    changed = {i for c in corrections for i in range(c["start"], c["end"])}
    assert all(a == b for i, (a, b) in enumerate(zip(garbled, fixed, strict=True)) if i not in changed)


@pytest.mark.parametrize("text", [
    "支撑上一次请求的时候，数据库很慢",  # 上亿次 sounds the same, but 上一次 is a real phrase: left as heard
    "我们公司出了一部电影，数据库",      # 一部 ~ 异步: a dictionary word
    "他一不小心把数据库删了",            # 一不 inside 一不小心
    "他找了个借口说接口慢",              # 借口 ~ 接口: a dictionary word
    "我平时喜欢打篮球，所引",            # sounds like 索引, but nothing in the answer is about the job
    "我喜欢缓慢地散步，也喜欢看电影",     # 缓慢 shares 缓 with 缓存 but not the sound
])
def test_nothing_is_corrected_where_the_words_mean_something_else(text):
    assert correct(text, BACKEND_TERMS) == (text, [])


@pytest.mark.parametrize("text, terms", [
    # 十五 (a dictionary word) sounds exactly like 事务; jieba reads 十五分钟 / 十五次 as one token, so no token
    # guarded the span: the correction wrote 事务分钟 into the answer.
    ("这个问题十五分钟就处理完了，数据库事务也回滚了", ["事务", "数据库", "回滚"]),
    ("接口调用失败，十五次重试都失败了", ["事务", "重试", "接口"]),
])
def test_a_span_that_is_itself_a_dictionary_word_is_never_corrected(text, terms):
    assert correct(text, terms) == (text, [])


def test_a_correction_never_adds_a_term_where_nothing_like_it_was_said():
    for clip_id, data in _frozen_terms()["transcripts"].items():
        fixed, corrections = correct(data["raw_text"], data["correction_terms"])
        assert len(fixed) == len(data["raw_text"]), clip_id
        for c in corrections:
            assert sound_match(c["heard"], pinyin(c["heard"]), c["term"], pinyin(c["term"])), c
        changed = {i for c in corrections for i in range(c["start"], c["end"])}
        assert all(a == b for i, (a, b) in enumerate(zip(data["raw_text"], fixed, strict=True)) if i not in changed)


def test_sound_match_levels():
    assert sound_match("所引", pinyin("所引"), "索引", pinyin("索引")) == "exact"
    assert sound_match("所营", pinyin("所营"), "索引", pinyin("索引")) == "fuzzy"  # -ng/-n
    assert sound_match("慢查学", pinyin("慢查学"), "慢查询", pinyin("慢查询")) == "near"
    assert sound_match("茶雪", pinyin("茶雪"), "查询", pinyin("查询")) == ""  # two characters: one must be the term's
    assert sound_match("打球", pinyin("打球"), "索引", pinyin("索引")) == ""


def _frozen_terms() -> dict:
    return json.loads((MEDIA / "terms" / "transcripts.json").read_text(encoding="utf-8"))


def test_frozen_transcripts_reach_the_target_recall_with_no_invented_terms():
    # Whisper's output with the job's words in the prompt, frozen: correction logic alone decides these numbers.
    frozen = _frozen_terms()["transcripts"]
    refs = {c["id"]: c for c in clips()}
    said = heard = raw_heard = 0
    for clip_id, data in frozen.items():
        clip = refs[clip_id]
        terms = _measured_terms(vocabulary_for(clip["job"], clip["question"]))
        fixed, _ = correct(data["raw_text"], data["correction_terms"])
        assert fixed == data["text"], clip_id  # the frozen file is the workers' transcript
        counts = term_counts(clip["text"], fixed, terms)
        assert counts["invented"] == [], (clip_id, counts["invented"])
        assert term_counts(clip["text"], data["raw_text"], terms)["invented"] == [], clip_id
        said += len(counts["said"])
        heard += len(counts["heard"])
        raw_heard += len(term_counts(clip["text"], data["raw_text"], terms)["heard"])
        assert cer(clip["text"], fixed) <= cer(clip["text"], data["raw_text"]), clip_id  # correction never hurts
    assert said >= 90
    assert heard / said >= 0.90 and heard >= raw_heard + 10, (heard, raw_heard, said)


def test_off_topic_answers_get_no_job_terms():
    frozen = _frozen_terms()["transcripts"]
    for clip_id in ("be_off_topic", "sa_off_topic"):
        assert frozen[clip_id]["corrections"] == []


# Segments Whisper decoded over trailing silence with the job's words in its prompt (be_queue, be_slow_query, hotwords
# on be_plain), and real last segments of the same clips: the guard must drop the first and keep the second.
_WORDS = [(22.2, 22.7, "我", 0.01)] + [(22.7, 22.7, ch, 0.2) for ch in "认为你能够做到最后的一切"]
TAILS = [
    {"start": 22.2, "end": 22.7, "text": "我认为你能够做到最后的一切", "no_speech_prob": 0.58,
     "compression_ratio": 0.78, "words": _WORDS},
    {"start": 19.1, "end": 19.6, "text": "这次的电视频是", "no_speech_prob": 0.66, "compression_ratio": 10.88,
     "words": [(19.1, 19.6, "这", 0.02)] + [(19.6, 19.6, ch, 0.1) for ch in "次的电视频是"]},
    {"start": 17.8, "end": 18.3, "text": "新的" * 30, "no_speech_prob": 0.97, "compression_ratio": 31.86,
     "words": [(17.8, 18.3, "新", 0.01), (18.3, 18.3, "的", 0.07)]},
]
SPEECH = [
    {"start": 0.0, "end": 20.9, "text": "我负责过支付系统的架构升级", "no_speech_prob": 0.0, "compression_ratio": 1.19,
     "words": [(0.2 * i, 0.2 * i + 0.18, ch, 0.9) for i, ch in enumerate("我负责过支付系统的架构升级")]},
    {"start": 3.0, "end": 4.0, "text": "嗯", "no_speech_prob": 0.7, "compression_ratio": 0.5,
     "words": [(3.0, 3.4, "嗯", 0.6)]},  # a short real sound with a high no-speech probability but a sure word
]


@pytest.mark.parametrize("segment", TAILS)
def test_text_over_silence_is_dropped(segment):
    assert asr.not_speech(segment)
    kept, dropped = asr.guard_segments([SPEECH[0], segment])
    assert [k[2] for k in kept] == [SPEECH[0]["text"]] and dropped[0]["text"] == segment["text"]


@pytest.mark.parametrize("segment", SPEECH)
def test_speech_is_kept(segment):
    assert asr.not_speech(segment) == ""


def test_a_sentence_followed_by_a_loop_keeps_the_sentence():
    """Seen in CI: the browser's recording of a spoken answer decoded as the sentence and then 60 "…" up to the end
    of the window. The loop made the segment's compression ratio high and the whole answer was dropped (an empty
    transcript, scored as silence); now only the loop is."""
    from faster_whisper.transcribe import get_compression_ratio

    said = "去年我们的订单系统在大促期间响应很慢,高峰时接口延迟超过两秒。"
    words = [(0.15 * i, 0.15 * i + 0.12, ch, 0.8) for i, ch in enumerate(said)]
    loop = "…" * 60
    words += [(6.2, 6.88, loop[:30], 0.05), (6.88, 6.88, loop[30:], 0.05)]
    segment = {"start": 0.0, "end": 6.88, "text": " " + said + loop, "no_speech_prob": 0.02,
               "compression_ratio": get_compression_ratio(said + loop), "words": words}
    assert asr.not_speech(segment) == "compression_ratio"
    kept, dropped = asr.guard_segments([segment])
    [(start, end, text, kept_words, _)] = kept
    assert text == said and len(kept_words) == len(said) and end == words[len(said) - 1][1]
    assert dropped == [{"start": round(end, 2), "end": 6.88, "text": loop, "why": "loop"}]
    # a loop with nothing real before it, or a loop inside text that is itself not speech, is still dropped whole
    for bad in ("新的" * 30, "这次的电视频是" + loop):
        kept, dropped = asr.guard_segments([{**TAILS[0], "text": bad, "compression_ratio": 9.0}])
        assert kept == [] and dropped[0]["text"] == bad


def test_the_vocabulary_puts_the_questions_own_words_first_and_fits_the_prompt():
    vocabulary = vocabulary_for("backend-engineer", 1)
    assert vocabulary.family == "backend"
    prompt_terms = vocabulary.prompt_terms()
    assert {"索引", "慢查询", "消息队列", "缓存"} <= set(prompt_terms)
    assert not {"首先", "因为", "结果"} & set(prompt_terms)  # everyday words: Whisper writes them right
    assert len("、".join(prompt_terms)) <= job_vocabulary.PROMPT_BUDGET_CHARS
    assert {"架构", "高并发", "异步"} <= set(vocabulary.correction_terms())  # field vocabulary (data/vocabulary.yaml)
    assert all(t.isascii() is False for t in vocabulary.correction_terms())
    assert job_vocabulary.JobVocabulary.from_dict(vocabulary.to_dict()) == vocabulary


@pytest.mark.slow
def test_live_whisper_with_the_job_words_hears_them_and_invents_none(fw_engine):
    # Live decoding differs between machines: bounds with a margin (measured on this machine: see docs/analysis.md).
    said = heard = invented = 0
    errors = []
    for clip in clips():
        vocabulary = vocabulary_for(clip["job"], clip["question"])
        transcript = fw_engine.transcribe(clip["path"], vocabulary)
        counts = term_counts(clip["text"], transcript.text, _measured_terms(vocabulary))
        said, heard, invented = said + len(counts["said"]), heard + len(counts["heard"]), invented + len(
            counts["invented"])
        errors.append(cer(clip["text"], transcript.text))
        assert transcript.raw_text and len(transcript.raw_text) == len(transcript.text)
        for c in transcript.corrections:
            assert transcript.raw_text[c["start"]:c["end"]] == c["heard"]
            assert transcript.text[c["start"]:c["end"]] == c["term"]
    assert heard / said >= 0.88, (heard, said)
    assert invented <= 1
    assert sum(errors) / len(errors) <= 0.12


@pytest.mark.slow
def test_the_same_audio_with_the_same_words_gives_the_same_transcript_twice(fw_engine):
    clip = next(c for c in clips() if c["id"] == "be_queue")
    vocabulary = vocabulary_for(clip["job"], clip["question"])
    first = fw_engine.transcribe(clip["path"], vocabulary)
    second = fw_engine.transcribe(clip["path"], vocabulary)
    assert first.text and first.to_dict() == second.to_dict()
