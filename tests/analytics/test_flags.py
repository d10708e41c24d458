"""Bottleneck flags on planted synthetic data: the planted stage is flagged, no other; HR is told once; the
baseline is the job family's when it has enough candidacies, else the company's."""
import pytest

from app.analytics import demo, flags, rollup
from app.analytics.funnel import Cohort, funnel_from_counts
from app.core.models import Job
from tests.support.analytics import as_real_jobs


def _job_id(title):
    return Job.get(Job.title == demo.PREFIX + title).id


@pytest.mark.parametrize("seed", [7, 11])  # 7, the demo's default, once flagged 客服专员 against a one-job family
def test_flags_the_planted_bottleneck_and_slow_stage_and_nothing_else(app, seed):
    demo.generate(3000, seed=seed)
    rollup.refresh()
    found = flags.compute(Cohort())
    backend, analyst = _job_id(demo.BOTTLENECK_JOB), _job_id(demo.SLOW_JOB)
    assert {f["key"] for f in found} == {f"rate:{backend}:scored:high", f"duration:{analyst}:second_round"}
    rate = next(f for f in found if f["kind"] == "rate")
    assert rate["rate"] > rate["high"] > rate["baseline"] and rate["n"] >= flags.MIN_N
    assert rate["message"].startswith(f"{demo.PREFIX}后端开发工程师 · 演示 · 上海 的AI面试淘汰率 ")
    assert "高于同类岗位（技术研发） 99.8% 控制上限" in rate["message"] and f"（n={rate['n']}）" in rate["message"]
    assert rate["baseline_of"] == "同类岗位（技术研发）"


def test_the_baseline_is_the_family_then_the_company():
    # three jobs at step 0 (已投递): job 2 rejects 20 of 50 finished, job 3 10 of 100; jobs 1 and 2 are one family
    rows = {1: funnel_from_counts({(0, True): 5, (1, True): 5}),
            2: funnel_from_counts({(0, True): 20, (1, True): 30}),
            3: funnel_from_counts({(0, True): 10, (3, True): 85, (9, False): 5})}
    families = {1: "技术研发", 2: "技术研发", 3: "销售"}
    assert flags._baseline(rows, 1, 0, families, 30) == (50, 20, "同类岗位（技术研发）")
    assert flags._baseline(rows, 1, 0, families, 60) == (150, 30, "全公司其他岗位")  # the family has too few
    assert flags._baseline(rows, 1, 0, {}, 30) == (150, 30, "全公司其他岗位")        # no family set
    assert flags._baseline(rows, 1, 0, families, 200) is None


def test_a_job_alone_in_its_family_is_compared_with_the_company(app):
    demo.generate(3000, seed=11)
    rollup.refresh()
    Job.update(family="后端").where(Job.title == demo.PREFIX + demo.BOTTLENECK_JOB).execute()
    rate = next(f for f in flags.compute(Cohort()) if f["kind"] == "rate")
    assert rate["baseline_of"] == "全公司其他岗位" and "高于全公司其他岗位 99.8% 控制上限" in rate["message"]


def test_no_flags_without_planted_effects_and_none_below_the_minimum_sample(app):
    demo.generate(3000, seed=11, plant=())
    rollup.refresh()
    assert flags.compute(Cohort()) == []
    Job.delete().execute()
    demo.generate(120, seed=11)   # the bottleneck is there, but fewer than 30 finished candidacies per step
    rollup.rebuild()
    assert [f for f in flags.compute(Cohort()) if f["step"] == "scored"] == []


def test_flags_are_pushed_to_hr_once_and_a_synthetic_jobs_never(app):
    demo.generate(3000, seed=11)
    rollup.refresh()
    flags.sync(flags.compute(Cohort()))
    assert flags.push_new(send=lambda users, text: pytest.fail("a synthetic job's flag was pushed")) == 0
    as_real_jobs()
    sent = []
    flags.sync(flags.compute(Cohort()))
    assert flags.push_new(send=lambda users, text: sent.append((users, text))) == 2
    flags.sync(flags.compute(Cohort()))          # found again the next day: not pushed again
    assert flags.push_new(send=lambda users, text: sent.append((users, text))) == 0
    assert len(sent) == 2 and sent[0][0] == ["hr_lina"]
    assert "/admin/analytics" in sent[0][1]


def test_a_flag_on_one_of_two_jobs_that_read_alike_says_which(app):
    """A flag named its job by title alone, so with two 「后端开发工程师」 (another city, or a copy) HR could not tell
    which one's AI interview rejects too many. It names the job as the job pickers do (core/job_labels)."""
    demo.generate(3000, seed=7)
    backend = Job.get_by_id(_job_id(demo.BOTTLENECK_JOB))
    copy = Job.create(title=backend.title, department=backend.department, family=backend.family,
                      location=backend.location)
    rollup.refresh()
    [rate] = [f for f in flags.compute(Cohort()) if f["kind"] == "rate"]
    assert rate["message"].startswith(f"{demo.PREFIX}后端开发工程师 · 演示 · 上海 · #{backend.id} 的AI面试淘汰率 ")
    assert f"#{copy.id}" not in rate["message"]
