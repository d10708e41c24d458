"""Abstain instead of guessing: frozen transcripts with Whisper's confidences decide whether an answer is scored,
and which spans a strength may quote. No model runs here except in the last test (the scorer itself, slow)."""

import pytest

from app.analysis import reliability
from app.analysis.scoring import weighted_total

TEXT = "我先看了监控，发现慢查询很多，加了索引以后接口从两秒降到两百毫秒。"


def _segments(logprob, no_speech, text=TEXT):
    return [{"start": 0.0, "end": 6.0, "text": text, "avg_logprob": logprob, "no_speech_prob": no_speech,
             "words": []}]


def test_typed_text_and_clear_speech_are_reliable():
    assert reliability.check(TEXT, None)["reliable"]
    assert reliability.check(TEXT, {"segments": [{"start": 0, "end": 6, "text": TEXT}]})["reliable"]  # old rows
    check = reliability.check(TEXT, {"segments": _segments(-0.25, 0.02)})
    assert check["reliable"] and check["reason"] == "" and check["avg_logprob"] == -0.25


@pytest.mark.parametrize("text, segments, words", [
    ("嗯，好的。", None, "太少"),
    (TEXT, _segments(-1.4, 0.1), "把握很低"),
    (TEXT, _segments(-0.5, 0.85), "不像说话"),
])
def test_unreliable_transcripts_say_why(text, segments, words):
    check = reliability.check(text, {"segments": segments} if segments else None)
    assert not check["reliable"] and words in check["reason"] and "无法可靠评分" in check["reason"]


def test_the_confidences_are_weighted_by_duration():
    segments = [{"start": 0, "end": 9, "text": "a", "avg_logprob": -0.3, "no_speech_prob": 0.1},
                {"start": 9, "end": 10, "text": "b", "avg_logprob": -2.5, "no_speech_prob": 0.9}]
    check = reliability.check(TEXT, {"segments": segments})
    assert check["reliable"] and check["avg_logprob"] == pytest.approx(-0.52)


def test_corrected_garbled_and_unsure_spans_are_unsafe_to_quote():
    text = "我加了索引，平景在数据库。"
    transcript = {"corrections": [{"start": 3, "end": 5, "heard": "所引", "term": "索引", "match": "exact"}],
                  "segments": [{"start": 0, "end": 3, "text": text, "words": [
                      {"start": 0, "end": 0.5, "word": "我加了", "probability": 0.95},
                      {"start": 0.5, "end": 1, "word": "索引", "probability": 0.9},
                      {"start": 1, "end": 1.5, "word": "平景", "probability": 0.2},
                      {"start": 1.5, "end": 2, "word": "在数据库", "probability": 0.9}]}]}
    hits = [{"start": 9, "end": 12, "matched_by": "pinyin"}, {"start": 0, "end": 1, "matched_by": "exact"}]
    unsafe = reliability.unsafe_spans(text, transcript, hits)
    assert (3, 5) in unsafe          # the correction
    assert (9, 12) in unsafe         # a term heard only by its sound
    assert (text.index("平景"), text.index("平景") + 2) in unsafe  # a word Whisper was unsure of
    assert (0, 1) not in unsafe


def test_a_total_rests_on_the_scored_dimensions_only():
    assert weighted_total({"语言表达": None, "岗位匹配度": 80}, {"语言表达": 40, "岗位匹配度": 60}) == 80.0


@pytest.mark.slow
def test_the_scorer_abstains_on_an_unreliable_transcript(scorer):
    import yaml

    from app.analysis.paths import REPO_ROOT
    job = yaml.safe_load((REPO_ROOT / "job_templates" / "backend-engineer.yaml").read_text(encoding="utf-8"))
    question = {**job["questions"][1], "position": 1}
    result = scorer.score_answer(TEXT, {}, question, job["dimensions"], job,
                                 transcript={"text": TEXT, "segments": _segments(-1.6, 0.2)})
    assert not result["reliability"]["reliable"]
    for dim in result["dimensions"].values():
        assert dim["score"] is None and dim["level"] is None and "无法可靠评分" in dim["abstained"]
        assert dim["reasons"] == [{"text": dim["abstained"], "kind": "concern", "term": "reliability"}]
    clear = scorer.score_answer(TEXT, {}, question, job["dimensions"], job,
                                transcript={"text": TEXT, "segments": _segments(-0.3, 0.05)})
    assert all(isinstance(d["score"], int) for d in clear["dimensions"].values())
