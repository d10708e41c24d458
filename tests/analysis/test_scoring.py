"""The scorer end to end with its real sentence encoder, on frozen transcripts and typed answers.

`transcripts` are frozen (tests/fixtures/media/transcripts.json), so every machine scores the same text; orders are
asserted with margins a reader would notice (10-20 points), never a point or two. The model's own logic (bands,
signs, no single feature zeroing an answer, reasons) is tested on frozen features in test_scoring_model.py; its
accuracy is measured leave-one-job-out by bench/scoring.py, not here.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from app.analysis.scoring import MODEL_VERSION, weighted_total
from app.analysis.speech import speech_features

ROOT = Path(__file__).resolve().parents[2]
LOGIC, FIT = "逻辑思维", "岗位匹配度"
# The STAR question of each job template (both link 逻辑思维 and 岗位匹配度).
JOBS = {"backend": ("backend-engineer.yaml", 1), "sales": ("sales-representative.yaml", 1)}
# Written for these tests (not labelled answers the scorer was fitted on); each names the trick it plays.
STUFFED = {
    "backend": "首先，数据库，索引，SQL，缓存，Redis，慢查询。其次，接口，性能，并发，消息队列，Python。"
               "最后，监控，日志，排查，定位，提升百分之九十，降到十毫秒。",
    "sales": "首先，客户跟进，拜访，签单，业绩，目标。其次，转化，成交，回款，续约。"
             "最后，企业微信，CRM，需求，业绩增长百分之两百，签约五十家。",
}
UNPUNCTUATED = "数据库 索引 SQL 缓存 Redis 慢查询 接口 性能 并发 消息队列 Python 监控 日志 排查 定位"
OFF_TOPIC_STAR = {
    "backend": "去年公司办年会，我负责组织整个部门两百人的晚会，目标是在一个月内把预算控制在五万元以内。"
               "首先，我分析了去年的反馈，发现大家觉得节目太少、等待太久。然后，我制定了节目单，"
               "联系了三家酒店比价，选了性价比最高的一家，还安排了抽奖。结果晚会准时开始，"
               "满意度调查达到百分之九十五，还比预算节省了八千元。",
    "sales": "去年我负责筹备大学同学毕业十周年聚会，目标是在两个月内联系上全班四十个同学。"
             "首先，我分析了通讯录，发现一半人的电话已经换了。然后，我建了一个群，请每个宿舍的舍长"
             "分头去找人，又制定了分工表和时间表。最后，三十八个同学到场，活动费用比预算少了两千元，"
             "大家都说效果很好。",
}
SHORT = {
    "backend": "我用慢查询日志找到订单表缺的联合索引，加上以后接口从两秒降到两百毫秒。",
    "sales": "我先拜访采购经理摸清需求，在五家门店做了试点，三个月后签下了三百万的合同。",
}


def _job(name: str) -> tuple[dict, dict]:
    filename, index = JOBS[name]
    job = yaml.safe_load((ROOT / "job_templates" / filename).read_text(encoding="utf-8"))
    return job, {**job["questions"][index], "position": index}


def _score(scorer, transcripts, clip_id, **kwargs):
    job, question = _job(clip_id.split("_")[0])
    transcript = transcripts[clip_id]
    return scorer.score_answer(transcript.text, speech_features(transcript), question, job["dimensions"], job,
                               transcript=transcript.to_dict(), **kwargs)


def _score_text(scorer, name: str, text: str, index: int | None = None) -> dict:
    """A typed answer (no speech features), to question `index` of the job (its STAR question by default)."""
    job, question = _job(name)
    if index is not None:
        question = {**job["questions"][index], "position": index}
    return scorer.score_answer(text, {}, question, job["dimensions"], job)


def _scores(result: dict) -> dict:
    return {name: dim["score"] for name, dim in result["dimensions"].items()}


def _quotes_point_into(result: dict, text: str) -> None:
    for dim in result["dimensions"].values():
        for item in dim["evidence"] + dim["reasons"]:
            quote = item.get("text") if item.get("type") == "quote" else item.get("quote")
            if quote and item.get("start") is not None:
                assert text[item["start"]:item["end"]] == quote, item


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(JOBS))
def test_good_beats_average_beats_poor_on_the_questions_dimensions(scorer, transcripts, name):
    _, q = _job(name)
    scores = {quality: _scores(_score(scorer, transcripts, f"{name}_{quality}")) for quality in ("good", "average",
                                                                                                   "poor")}
    for dim in q["dimensions"]:
        good, average, poor = (scores[k][dim] for k in ("good", "average", "poor"))
        # Measured: backend 80 / 37 / 2, sales 83 / 8 / 1 (the sales average clip, vague and ASR-noisy, is scored
        # level 1: docs/analysis.md "Known weaknesses").
        assert good >= average + 20 and average >= poor + 5, f"{name} {dim}: {good} / {average} / {poor}"
    assert all(s < 40 for s in scores["poor"].values()), scores["poor"]  # the poor clip is off topic


@pytest.mark.slow
def test_every_score_has_a_level_plain_reasons_and_quotes_that_point_into_the_transcript(scorer, transcripts):
    result = _score(scorer, transcripts, "backend_good")
    text = transcripts["backend_good"].text
    assert result["model_version"] == MODEL_VERSION and result["profile_version"] == "shipped"
    assert set(result["dimensions"]) == {LOGIC, FIT, "语言表达"}  # 语言表达 as a general dimension
    assert result["dimensions"]["语言表达"]["source"] == "general"
    for dim in result["dimensions"].values():
        assert isinstance(dim["score"], int) and 0 <= dim["score"] <= 100
        assert dim["level"] == min(5, dim["score"] // 20 + 1)
        assert dim["reasons"] and all(not re.search(r"[A-Za-z_]", r["text"]) for r in dim["reasons"])
        assert any(r["kind"] == "strength" for r in dim["reasons"])
    _quotes_point_into(result, text)
    json.dumps(result, ensure_ascii=False)


@pytest.mark.slow
def test_same_input_gives_the_same_output(scorer, transcripts):
    first = json.dumps(_score(scorer, transcripts, "sales_good"), ensure_ascii=False, sort_keys=True)
    _score(scorer, transcripts, "backend_poor")  # unrelated work in between must not change anything
    second = json.dumps(_score(scorer, transcripts, "sales_good"), ensure_ascii=False, sort_keys=True)
    assert first == second


@pytest.mark.slow
def test_expressions_count_only_when_turned_on(scorer, transcripts):
    video = {"emotions": {"angry": 0.9, "disgust": 0, "fear": 0.1, "happy": 0, "sad": 0, "surprise": 0,
                          "neutral": 0}}
    off = _score(scorer, transcripts, "sales_good", video=video)
    on = _score(scorer, transcripts, "sales_good", video=video, use_expressions=True)
    assert off == _score(scorer, transcripts, "sales_good")  # emotions present but not allowed: ignored
    assert on["dimensions"]["语言表达"]["score"] <= off["dimensions"]["语言表达"]["score"] - 5  # 0.9 angry
    assert on["dimensions"][FIT] == off["dimensions"][FIT]


@pytest.mark.slow
def test_an_empty_answer_is_not_scored_but_says_why(scorer):
    result = _score_text(scorer, "backend", "")
    for dim in result["dimensions"].values():
        assert dim["score"] is None and "太少" in dim["abstained"]


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(JOBS))
def test_keyword_lists_score_far_below_a_real_answer_and_say_so(scorer, transcripts, name):
    good = _scores(_score(scorer, transcripts, f"{name}_good"))
    for text in (STUFFED[name],) + ((UNPUNCTUATED,) if name == "backend" else ()):
        result = _score_text(scorer, name, text)
        stuffed = _scores(result)
        for dim in (LOGIC, FIT):
            assert stuffed[dim] <= 20 and stuffed[dim] <= good[dim] - 30, (dim, stuffed, good)
        concerns = [r["text"] for r in result["dimensions"][FIT]["reasons"] if r["kind"] == "concern"]
        assert any("关键词" in c or "罗列" in c for c in concerns), concerns
        assert not [r for r in result["dimensions"][FIT]["reasons"] if r["kind"] == "strength"]
        _quotes_point_into(result, text)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(JOBS))
def test_a_well_built_story_off_topic_gets_little_and_is_not_taken_for_another_question(scorer, transcripts,
                                                                                       name):
    result = _score_text(scorer, name, OFF_TOPIC_STAR[name])
    off_topic = _scores(result)
    good = _scores(_score(scorer, transcripts, f"{name}_good"))
    # Level 2 at most, far below the good answer. (Backend: 29 with lr-2026.12.2, 31 with lr-2026.12.3, whose
    # agreement term gives a little relevance to an answer that no other question of the interview is nearer to.)
    assert off_topic[FIT] < 40 and off_topic[FIT] <= good[FIT] - 30, (off_topic, good)
    assert result["mismatch"] is None  # it answers no question of this interview
    assert "内容与本题关系不大" in [r["text"] for r in result["dimensions"][FIT]["reasons"]]


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(JOBS))
def test_a_short_concrete_answer_beats_stuffing_and_the_poor_answer(scorer, transcripts, name):
    short = _scores(_score_text(scorer, name, SHORT[name]))
    stuffed = _scores(_score_text(scorer, name, STUFFED[name]))
    poor = _scores(_score(scorer, transcripts, f"{name}_poor"))
    # Measured: backend 31 (its questions 2 and 3 are both about performance, so "closer to another question"
    # costs it: docs/analysis.md "Known weaknesses"), sales 72.
    assert short[FIT] >= 25 and short[FIT] >= stuffed[FIT] + 15 and short[FIT] >= poor[FIT] + 15, (short, stuffed,
                                                                                                    poor)


@pytest.mark.slow
def test_a_story_told_for_another_question_is_flagged_and_loses_its_topic_credit(scorer):
    story = ("我叫陈静，做了三年B2B销售，卖的是财务软件，客户主要是五十到两百人的制造企业。去年我完成了全年目标的"
             "百分之一百二十，新签了三十一家，其中有九家是我陌生拜访开出来的。")
    own = _score_text(scorer, "sales", story, index=0)   # the self-introduction it was told for
    there = _score_text(scorer, "sales", story, index=2)  # 客户说你们的价格比竞争对手贵…你会怎么回应
    assert own["mismatch"] is None
    assert there["mismatch"] == {"question": 0, "relevance_there": there["mismatch"]["relevance_there"],
                                 "message": "第3题的回答更像在回答第1题"}
    assert _scores(there)["语言表达"] <= _scores(own)["语言表达"] - 20
    assert "第3题的回答更像在回答第1题" in [r["text"] for r in there["dimensions"]["语言表达"]["reasons"]]


@pytest.mark.slow
def test_a_strength_never_quotes_what_the_correction_wrote(scorer):
    job, question = _job("sales")
    text = SHORT["sales"]
    plain = scorer.score_answer(text, {}, question, job["dimensions"], job)
    quoted = [r for d in plain["dimensions"].values() for r in d["reasons"] if r["kind"] == "strength"
              and r.get("quote")]
    assert quoted, plain
    first = quoted[0]
    # Say the homophone correction wrote two characters inside that quote (试点 heard as 是点): not quotable now.
    corrected = {"start": first["start"] + 1, "end": first["start"] + 3, "heard": "xx", "term": "yy",
                 "match": "exact"}
    guarded = scorer.score_answer(text, {}, question, job["dimensions"], job,
                                  transcript={"text": text, "corrections": [corrected], "segments": []})
    for dim in guarded["dimensions"].values():
        for r in dim["reasons"]:
            if r["kind"] == "strength" and r.get("quote"):
                assert not (r["start"] < corrected["end"] and corrected["start"] < r["end"]), r
    assert _scores(plain) == _scores(guarded)  # what may be quoted never changes a score


def test_weighted_total_renormalises_over_scored_dimensions():
    weights = {"语言表达": 20, "逻辑思维": 30, "岗位匹配度": 50}
    assert weighted_total({"语言表达": 60, "逻辑思维": 70, "岗位匹配度": 80}, weights) == 73.0
    assert weighted_total({"逻辑思维": 70, "岗位匹配度": 80, "语言表达": None}, weights) == 76.2  # 20 renormalised
    assert weighted_total({}, weights) == 0.0


_SCORE_IN_A_FRESH_PROCESS = """
import json, sys, yaml
from app.analysis.scoring import score_answer
job = yaml.safe_load(open("job_templates/sales-representative.yaml", encoding="utf-8"))
text = sys.stdin.read()
question = dict(job["questions"][1], position=1)
result = score_answer(text, {"speaking_rate_cpm": 250.0}, question, job["dimensions"], job)
print(json.dumps(result, ensure_ascii=False, sort_keys=True))
"""


@pytest.mark.slow
def test_a_fresh_process_gives_the_same_output(scorer, speech_refs):
    text = speech_refs["sales_good"]["text"]
    job, question = _job("sales")
    here = json.dumps(scorer.score_answer(text, {"speaking_rate_cpm": 250.0}, question, job["dimensions"], job),
                      ensure_ascii=False, sort_keys=True)
    there = subprocess.run([sys.executable, "-c", _SCORE_IN_A_FRESH_PROCESS], input=text, capture_output=True,
                           text=True, cwd=ROOT, check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert there.stdout.strip() == here
