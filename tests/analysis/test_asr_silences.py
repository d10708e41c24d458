"""Live Whisper on an answer with realistic silences: only the speech is decoded and times stay on the recording.

The recording is a spoken fixture re-laid with a 9 s silent start, pauses of 0.8-4 s and a silent end over faint
noise (tests/support/paused_speech.py); where its phrases lie is known from how it was made, not from the voice
detector. Tolerances, not exact text: Whisper's output differs between machines (tests/analysis/test_asr.py).
"""

import pytest

from app.analysis.asr import decode_audio
from app.analysis.cer import cer
from app.analysis.speech import speech_features
from tests.support import paused_speech
from tests.support.asr_clips import clips, vocabulary_for

LEAD_S = 9.0
SLACK_S = 0.35  # a word may start or end this far outside its phrase (padding, Whisper's timing error)
KEY_WORDS = ("监控", "慢查询", "索引", "执行计划", "毫秒")


@pytest.fixture(scope="module")
def paused(fw_engine, tmp_path_factory):
    clip = next(c for c in clips() if c["id"] == "be_slow_query")
    audio, regions = paused_speech.with_pauses(decode_audio(clip["path"]), seed=5, lead_s=LEAD_S, tail_s=5.0)
    path = tmp_path_factory.mktemp("paused") / "be_slow_query_paused.wav"
    paused_speech.write_wav(path, audio)
    transcript = fw_engine.transcribe(path, vocabulary_for(clip["job"], clip["question"]))
    return clip, regions, len(audio) / paused_speech.SAMPLE_RATE, transcript


@pytest.mark.slow
def test_the_answer_is_heard_through_the_pauses(paused):
    clip, _regions, duration, transcript = paused
    assert abs(transcript.duration - duration) < 0.1
    heard = [w for w in KEY_WORDS if w in transcript.text]
    assert len(heard) >= len(KEY_WORDS) - 1, transcript.text
    assert cer(clip["text"], transcript.text) <= 0.15, transcript.text


@pytest.mark.slow
def test_only_speech_was_decoded(paused):
    _clip, regions, duration, transcript = paused
    speech = sum(b - a for a, b in regions)
    assert transcript.decoded_s < duration - LEAD_S  # the silent start, at least, was never decoded
    assert speech <= transcript.decoded_s + 0.5 and transcript.decoded_s <= speech * 1.3
    # Every region fed to the model overlaps a phrase of the recording.
    for a, b in transcript.speech:
        assert any(a < y and x < b for x, y in regions), (a, b)


@pytest.mark.slow
def test_word_and_segment_times_land_inside_the_speech(paused):
    _clip, regions, _duration, transcript = paused
    words = [w for s in transcript.segments for w in s["words"]]
    assert len(words) > 30
    outside = [w for w in words
               if not any(a - SLACK_S <= w["start"] and w["end"] <= b + SLACK_S for a, b in regions)]
    assert not outside, outside
    for segment in transcript.segments:
        assert segment["start"] <= segment["words"][0]["start"] and segment["end"] >= segment["words"][-1]["end"]
        assert any(a - SLACK_S <= segment["start"] <= b for a, b in regions)
    assert [w["start"] for w in words] == sorted(w["start"] for w in words)
    features = speech_features(transcript)
    assert features["start_delay_s"] >= LEAD_S - SLACK_S  # the candidate's real silent start, not 0
    # The pauses the recording has between phrase groups are still measured (0.8-4 s each, several of them).
    assert features["pauses"]["count"] >= 3 and features["pauses"]["longest_s"] >= 1.5
