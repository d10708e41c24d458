"""Cutting silences out before decoding: the map from the decoded (spliced) audio back onto the recording.

Logic only, on frozen voice-detector output (sample indexes at 16 kHz): no model runs here.
"""

import numpy as np
import pytest

from app.analysis.speech import speech_features
from app.analysis.speech_cut import Splice, map_decoded, merge, splice

SR = 16000
# A 60 s answer: 9 s of silence while reading the question, speech 9-14 s, a 4 s pause, speech 18-30 s,
# a 1.5 s pause, speech 31.5-40 s, then silence. As the detector returned them (padded), in samples.
FROZEN = [(9 * SR, 14 * SR), (18 * SR, 30 * SR), (int(31.5 * SR), 40 * SR)]


def test_regions_are_clipped_sorted_and_joined_where_they_touch():
    assert merge([(50, 80), (-10, 20), (20, 30), (75, 120)], 100) == [(0, 30), (50, 100)]
    assert merge([(10, 10), (40, 30)], 100) == []


def test_the_splice_lays_the_regions_end_to_end():
    audio = np.arange(60 * SR, dtype=np.float32)
    speech, where = splice(audio, FROZEN)
    assert len(speech) == (5 + 12 + 8.5) * SR
    assert where.original == (9.0, 18.0, 31.5) and where.cut == (0.0, 5.0, 17.0) and where.lengths == (5, 12, 8.5)
    # The first sample of each region in the decoded audio is that region's first sample in the recording.
    for (a, _), c in zip(FROZEN, where.cut, strict=True):
        assert speech[int(c * SR)] == audio[a]
    assert where.regions_s() == [[9.0, 14.0], [18.0, 30.0], [31.5, 40.0]]
    assert where.speech_s == 25.5


def test_times_map_back_onto_the_recording():
    where = Splice.of(FROZEN, SR)
    assert where.to_original(0.0) == 9.0
    assert where.to_original(4.0) == 13.0
    assert where.to_original(5.0) == 18.0  # the first instant of region 2
    assert where.to_original(16.5) == 29.5
    assert where.to_original(20.0) == 34.5
    assert where.to_original(99.0) == 40.0  # past the end: clamped to the last region's end
    # Forced into a region, a time is clamped to it rather than spilling into the cut-out pause.
    assert where.to_original(5.3, region=0) == 14.0
    assert where.to_original(4.8, region=1) == 18.0


def _word(start, end, text):
    return (start, end, text, 0.9)


def test_decoded_segments_and_words_land_on_the_original_timeline():
    where = Splice.of(FROZEN, SR)
    decoded = [
        {"start": 0.0, "end": 6.2, "text": "我先看监控再查日志", "no_speech_prob": 0.01,
         "words": [_word(0.4, 1.0, "我先"), _word(1.0, 2.5, "看监控"),
                   # straddles the splice at 5.0: its middle (4.95) is before it, so it ends where region 1 ends (14 s)
                   _word(4.6, 5.3, "再"),
                   _word(5.3, 6.2, "查日志")]},
        {"start": 17.0, "end": 19.0, "text": "好", "words": []},  # no word timings: ends mapped one by one
    ]
    out = map_decoded(decoded, where)
    words = [(round(a, 2), round(b, 2), w) for a, b, w, _p in out[0]["words"]]
    assert words == [(9.4, 10.0, "我先"), (10.0, 11.5, "看监控"), (13.6, 14.0, "再"), (18.3, 19.2, "查日志")]
    assert (out[0]["start"], round(out[0]["end"], 2)) == (9.4, 19.2)
    assert out[0]["text"] == "我先看监控再查日志" and out[0]["no_speech_prob"] == 0.01
    assert (out[1]["start"], out[1]["end"]) == (31.5, 33.5)
    # A segment end exactly on a splice closes the region before it (30.0), not the next one's start (31.5).
    out2 = map_decoded([{"start": 2.0, "end": 17.0, "text": "x", "words": []}], where)
    assert (out2[0]["start"], out2[0]["end"]) == (11.0, 30.0)
    assert decoded[0]["words"][0][0] == 0.4  # the input is not changed


def test_every_mapped_word_is_inside_a_speech_region():
    where = Splice.of(FROZEN, SR)
    rng = np.random.default_rng(3)
    starts = np.sort(rng.uniform(0, where.speech_s, 200))
    words = [(float(s), float(s) + float(rng.uniform(0.05, 0.9)), "字", 0.5) for s in starts]
    out = map_decoded([{"start": 0.0, "end": where.speech_s, "text": "", "words": words}], where)
    regions = where.regions_s()
    for start, end, *_ in out[0]["words"]:
        assert start <= end
        assert any(a <= start and end <= b for a, b in regions), (start, end)


def test_the_pauses_and_start_delay_survive_the_cut():
    # Features read word gaps on the original timeline: the 4 s pause and the 9 s start are still there.
    where = Splice.of(FROZEN, SR)
    decoded = [{"start": 0.3, "end": 16.0, "text": "一二三",
                "words": [_word(0.3, 4.6, "一"), _word(5.2, 16.0, "二"), _word(17.1, 25.0, "三")]}]
    mapped = map_decoded(decoded, where)
    segments = [{"start": m["start"], "end": m["end"], "text": m["text"],
                 "words": [{"start": a, "end": b, "word": w} for a, b, w, _p in m["words"]]} for m in mapped]
    features = speech_features({"text": "一二三", "segments": segments}, 60.0)
    assert features["start_delay_s"] == pytest.approx(9.3)
    assert features["pauses"]["count"] == 2
    assert features["pauses"]["longest_s"] == pytest.approx(18.2 - 13.6)
    assert features["pauses"]["total_s"] == pytest.approx(18.2 - 13.6 + 31.6 - 29.0)


def test_no_speech_gives_an_empty_splice():
    speech, where = splice(np.zeros(SR, np.float32), [])
    assert len(speech) == 0 and where.speech_s == 0 and where.regions_s() == []
    assert map_decoded([], where) == []
