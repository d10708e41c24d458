"""Whether an answer is told the way its question asks (claims.mode_fit): a plan for "what would you do", an
episode for "tell us about a time". A story recycled from the other kind of question comes in the other mode."""

from app.analysis import claims

PLAN_Q = "如果一个接口的响应时间突然从100毫秒变成了2秒,你会按什么步骤排查?"
EPISODE_Q = "请讲一次你排查并解决线上性能问题的经历:当时的情况、你做了什么、结果如何?"
EXPLAIN_Q = "请向一位不懂技术的产品经理解释:为什么数据库需要索引?"
PLAN = "我会先看监控，确认从什么时候开始变慢。如果和发布时间对得上，就先回滚。"
EPISODE = "去年双十一前，下单接口的P99涨到了3秒。当时我查了链路追踪，后来加了联合索引，降到了180毫秒。"


def test_question_modes():
    assert claims.question_mode(PLAN_Q) == 1
    assert claims.question_mode(EPISODE_Q) == -1
    assert claims.question_mode(EXPLAIN_Q) == 0


def test_an_answer_in_its_questions_mode_fits_and_one_in_the_other_mode_does_not():
    assert claims.mode_fit(PLAN, PLAN_Q) > 0.5
    assert claims.mode_fit(EPISODE, PLAN_Q) < -0.5
    assert claims.mode_fit(EPISODE, EPISODE_Q) > 0.5
    assert claims.mode_fit(PLAN, EPISODE_Q) < -0.5


def test_other_questions_and_empty_answers_are_neutral():
    assert claims.mode_fit(EPISODE, EXPLAIN_Q) == 0.0
    assert claims.mode_fit(PLAN, EXPLAIN_Q) == 0.0
    assert claims.mode_fit("", PLAN_Q) == 0.0
