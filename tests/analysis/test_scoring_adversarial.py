"""Scores resist gaming: keyword lists, well-built stories off topic, and still credit short on-topic answers."""

import pytest
import yaml

from app.analysis.speech import speech_features
from tests.analysis.test_scoring import JOBS, ROOT, _score

LOGIC, FIT = "逻辑思维", "岗位匹配度"
# Written for these tests (not fixtures of the scorer's tuning): each names the trick it plays.
STUFFED = {
    # The job's keywords with 首先/其次/最后 and invented figures, as ASR would punctuate a read-out list.
    "backend": "首先，数据库，索引，SQL，缓存，Redis，慢查询。其次，接口，性能，并发，消息队列，Python。"
               "最后，监控，日志，排查，定位，提升百分之九十，降到十毫秒。",
    "sales": "首先，客户跟进，拜访，签单，业绩，目标。其次，转化，成交，回款，续约。"
             "最后，企业微信，CRM，需求，业绩增长百分之两百，签约五十家。",
}
# The same trick without punctuation: one long "clause" made of keywords.
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


def _score_text(scorer, question: str, text: str) -> dict:
    """Score a typed answer as if spoken at 240 characters a minute with no pauses."""
    filename, index = JOBS[question]
    job = yaml.safe_load((ROOT / "job_templates" / filename).read_text(encoding="utf-8"))
    features = speech_features({"text": text, "segments": [], "duration": len(text) / 4.0})
    return scorer.score_answer(text, features, job["questions"][index], job["dimensions"], job)


def _scores(result: dict) -> dict:
    return {name: dim["score"] for name, dim in result["dimensions"].items()}


def _assert_quotes_exact(result: dict, text: str) -> None:
    for dim in result["dimensions"].values():
        for item in dim["evidence"]:
            if item["type"] == "quote":
                assert text[item["start"]:item["end"]] == item["text"], item


@pytest.mark.slow
@pytest.mark.parametrize("question", sorted(JOBS))
def test_a_list_of_keywords_scores_far_below_a_real_answer(scorer, transcripts, question):
    good = _scores(_score(scorer, transcripts, f"{question}_good"))
    result = _score_text(scorer, question, STUFFED[question])
    stuffed = _scores(result)
    for name in (LOGIC, FIT):
        assert stuffed[name] <= good[name] - 20, (name, stuffed, good)
    # The evidence says why: almost nothing was said in sentences, and the listed terms are quoted.
    coherence = next(e for e in result["dimensions"][FIT]["evidence"] if e.get("name") == "coherence")
    assert coherence["value"] < 0.3 and "罗列" in coherence["why"]
    assert any(e["type"] == "quote" and "不成句" in e["why"] for e in result["dimensions"][FIT]["evidence"])
    _assert_quotes_exact(result, STUFFED[question])


@pytest.mark.slow
def test_an_unpunctuated_keyword_list_is_still_a_list(scorer, transcripts):
    good = _scores(_score(scorer, transcripts, "backend_good"))
    stuffed = _scores(_score_text(scorer, "backend", UNPUNCTUATED))
    assert stuffed[FIT] <= good[FIT] - 20 and stuffed[LOGIC] <= good[LOGIC] - 20, (stuffed, good)


@pytest.mark.slow
@pytest.mark.parametrize("question", sorted(JOBS))
def test_a_well_built_story_off_topic_gets_little_for_its_structure(scorer, transcripts, question):
    result = _score_text(scorer, question, OFF_TOPIC_STAR[question])
    off_topic = _scores(result)
    good = _scores(_score(scorer, transcripts, f"{question}_good"))
    assert off_topic[LOGIC] < 40, off_topic
    assert off_topic[FIT] <= good[FIT] - 20, (off_topic, good)
    # The story itself is told in sentences: it is the topic, not the form, that costs it.
    coherence = next(e for e in result["dimensions"][LOGIC]["evidence"] if e.get("name") == "coherence")
    topic = next(e for e in result["dimensions"][LOGIC]["evidence"] if e.get("name") == "on_topic")
    assert coherence["value"] >= 0.7 and topic["value"] < 0.6, (coherence, topic)
    _assert_quotes_exact(result, OFF_TOPIC_STAR[question])


@pytest.mark.slow
@pytest.mark.parametrize("question", sorted(JOBS))
def test_a_short_answer_on_topic_beats_stuffing_and_the_poor_answer_but_not_the_good(scorer, transcripts,
                                                                                     question):
    result = _score_text(scorer, question, SHORT[question])
    short = _scores(result)
    stuffed = _scores(_score_text(scorer, question, STUFFED[question]))
    good = _scores(_score(scorer, transcripts, f"{question}_good"))
    poor = _scores(_score(scorer, transcripts, f"{question}_poor"))
    assert stuffed[FIT] + 5 <= short[FIT] <= good[FIT] - 5, (stuffed, short, good)
    assert poor[FIT] + 5 <= short[FIT], (poor, short)
    assert any(e.get("name") == "short_answer_factor" for e in result["dimensions"][FIT]["evidence"])
    _assert_quotes_exact(result, SHORT[question])


@pytest.mark.slow
def test_coherence_tells_sentences_from_lists(scorer):
    from app.analysis import text as T

    keywords = ["数据库", "索引", "缓存", "Redis", "接口", "性能", "监控", "日志"]
    assert T.coherence("我把商品详情放进缓存，减少了七成的数据库访问。", keywords)["value"] == 1.0
    assert T.coherence("数据库，索引，缓存，Redis，接口，性能。", keywords)["value"] == 0.0
    assert T.coherence("首先，嗯。", keywords)["clauses"] == 0  # markers and fillers count neither way
    mixed = T.coherence("我用慢查询日志定位到缺少的联合索引。监控，日志，缓存。", keywords)
    assert 0.5 < mixed["value"] < 1.0 and [f[2] for f in mixed["fragments"]] == ["监控", "日志", "缓存"]
