"""Bottleneck flags on planted synthetic data: the planted stage is flagged, no other; HR is told once."""
from app.analytics import demo, flags, rollup
from app.analytics.funnel import Cohort
from app.models import Job


def _job_id(title):
    return Job.get(Job.title == demo.PREFIX + title).id


def test_flags_the_planted_bottleneck_and_slow_stage_and_nothing_else(app):
    demo.generate(3000, seed=11)
    rollup.refresh()
    found = flags.compute(Cohort())
    backend, analyst = _job_id(demo.BOTTLENECK_JOB), _job_id(demo.SLOW_JOB)
    assert {f["key"] for f in found} == {f"rate:{backend}:scored:high", f"duration:{analyst}:second_round"}
    rate = next(f for f in found if f["kind"] == "rate")
    assert rate["rate"] > rate["high"] > rate["baseline"] and rate["n"] >= flags.MIN_N
    assert rate["message"].startswith(f"{demo.PREFIX}后端开发工程师 的AI面试淘汰率 ")
    assert "高于同类岗位 99.8% 控制上限" in rate["message"] and f"（n={rate['n']}）" in rate["message"]


def test_no_flags_without_planted_effects_and_none_below_the_minimum_sample(app):
    demo.generate(3000, seed=11, plant=())
    rollup.refresh()
    assert flags.compute(Cohort()) == []
    Job.delete().execute()
    demo.generate(120, seed=11)   # the bottleneck is there, but fewer than 30 finished candidacies per step
    rollup.rebuild()
    assert [f for f in flags.compute(Cohort()) if f["step"] == "scored"] == []


def test_flags_are_pushed_to_hr_once(app):
    demo.generate(3000, seed=11)
    rollup.refresh()
    sent = []
    flags.sync(flags.compute(Cohort()))
    assert flags.push_new(send=lambda users, text: sent.append((users, text))) == 2
    flags.sync(flags.compute(Cohort()))          # found again the next day: not pushed again
    assert flags.push_new(send=lambda users, text: sent.append((users, text))) == 0
    assert len(sent) == 2 and sent[0][0] == ["hr_lina"]
    assert "/admin/analytics" in sent[0][1]
