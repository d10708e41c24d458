"""Speech to text on real Mandarin recordings in the containers browsers produce."""

import json
import wave
from difflib import SequenceMatcher

import numpy as np
import pytest

from app.analysis import text as T
from app.analysis.asr import Transcript, clean_segments, collapse_loops, to_simplified

# Phrases a reader of each transcript must find (ASR may write a sound-alike: 索引 -> 所引).
KEY_PHRASES = {
    "backend_good": ["订单系统", "联合索引", "缓存", "数据库", "压力测试", "监控告警"],
    "backend_average": ["性能优化", "数据库", "缓存", "接口"],
    "backend_poor": ["打篮球", "团队", "相处"],
    "sales_good": ["第三季度", "采购经理", "试点", "合同", "业绩"],
    "sales_average": ["销售", "拜访客户", "签约", "打电话"],
    "sales_poor": ["销售", "聊天", "旅游"],
}


def char_similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, T.spoken(a), T.spoken(b)).ratio()


def phrase_heard(text: str, phrase: str) -> bool:
    """Exact, sound-alike, or at least 60% of the characters in a window of the phrase's length."""
    if T.find_keyword(text, phrase):
        return True
    n = len(phrase)
    return any(SequenceMatcher(None, text[i:i + n], phrase).ratio() >= 0.6 for i in range(len(text) - n + 1))


@pytest.mark.slow
@pytest.mark.parametrize("clip_id", sorted(KEY_PHRASES))
def test_faster_whisper_hears_the_answer(transcripts, speech_refs, clip_id):
    transcript = transcripts[clip_id]
    reference = speech_refs[clip_id]
    missing = [p for p in KEY_PHRASES[clip_id] if not phrase_heard(transcript.text, p)]
    assert not missing, f"{clip_id}: {missing} not in {transcript.text}"
    assert char_similarity(transcript.text, reference["text"]) >= 0.7, transcript.text
    assert transcript.text == to_simplified(transcript.text)  # simplified characters only
    assert abs(transcript.duration - reference["duration_s"]) < 1.0  # measured by decoding, webm has no header
    assert transcript.engine == "faster-whisper" and transcript.language == "zh"
    assert transcript.segments and all(s["end"] >= s["start"] for s in transcript.segments)
    json.dumps(transcript.to_dict(), ensure_ascii=False)  # workers store it as JSON


@pytest.mark.slow
@pytest.mark.parametrize("clip_id", ["backend_good"])  # one clip: this engine is the slow reference
def test_openai_whisper_hears_the_answer(ow_engine, media, speech_refs, clip_id):
    transcript = ow_engine.transcribe(media / speech_refs[clip_id]["file"])
    missing = [p for p in KEY_PHRASES[clip_id] if not phrase_heard(transcript.text, p)]
    assert not missing, f"{clip_id}: {missing} not in {transcript.text}"
    assert char_similarity(transcript.text, speech_refs[clip_id]["text"]) >= 0.7
    assert transcript.text == to_simplified(transcript.text)
    assert transcript.engine == "openai-whisper"
    assert Transcript.from_dict(transcript.to_dict()) == transcript


@pytest.mark.slow
@pytest.mark.parametrize("engine_fixture", ["fw_engine", "ow_engine"])
def test_silence_gives_an_empty_transcript(request, tmp_path, engine_fixture):
    path = tmp_path / "silence.wav"
    noise = (np.random.default_rng(0).normal(0, 30, 16000 * 4)).astype(np.int16)  # 4 s of faint hiss
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(noise.tobytes())
    transcript = request.getfixturevalue(engine_fixture).transcribe(path)
    assert transcript.text == ""
    assert transcript.duration == pytest.approx(4.0, abs=0.05)


def test_loops_are_collapsed():
    assert collapse_loops("我们做了优化优化优化优化优化优化。") == "我们做了优化。"
    assert collapse_loops("谢谢大家") == "谢谢大家"  # a word said twice is speech, not a loop
    segments = clean_segments([(0, 2, "數據庫很慢", []), (2, 4, "數據庫很慢", []), (4, 6, "加了索引", [])])
    assert [s["text"] for s in segments] == ["数据库很慢", "加了索引"]
