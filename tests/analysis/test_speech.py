"""Speech features a manager would recognise: pace, hesitation, pauses."""

import pytest

from app.analysis.speech import count_fillers, pauses, repetition_ratio, speech_features


@pytest.mark.slow
def test_poor_answers_hesitate_more_than_good_ones(transcripts):
    for question in ("backend", "sales"):
        good = speech_features(transcripts[f"{question}_good"])
        poor = speech_features(transcripts[f"{question}_poor"])
        assert poor["fillers_per_100_chars"] > good["fillers_per_100_chars"] + 3
        assert poor["filler_total"] >= 3
        assert 150 <= good["speaking_rate_cpm"] <= 350
        assert good["duration_s"] > 20


@pytest.mark.slow
def test_planted_pauses_are_found(transcripts):
    features = speech_features(transcripts["backend_poor"])  # the clip has two 1.5 s silences
    assert features["hesitation_total"] >= 1  # Whisper writes the spoken 嗯 as 哼 or 恩 here
    assert features["pauses"]["count"] >= 1
    assert features["pauses"]["longest_s"] >= 1.0


def test_features_from_a_plain_dict():
    transcript = {"text": "嗯，就是，我负责后端。然后，那个，嗯。", "duration": 6.0, "segments": [
        {"start": 0.0, "end": 2.0, "text": "嗯，就是，我负责后端。"},
        {"start": 4.5, "end": 6.0, "text": "然后，那个，嗯。"},
    ]}
    features = speech_features(transcript, duration_s=6.0)
    assert features["fillers"] == {"嗯": 2, "那个": 1, "就是": 1, "然后": 1}
    assert features["pauses"] == {"count": 1, "longest_s": 2.5, "total_s": 2.5, "min_gap_s": 0.7}
    assert features["speaking_rate_cpm"] == pytest.approx(13 / 0.1)
    assert pauses([]) == [] and count_fillers("好啊") == {}
    assert repetition_ratio("优化优化优化优化优化") > 0.5 > repetition_ratio("我负责订单系统的性能优化")
