"""The data loop: correlations with performance recover the planted predictive dimension, the recommendation
is refused below the minimum number of hires, approving it is an audited change of the weights and a new version
of the job's competency model."""
import pytest

from app.analytics import calibration, demo, rollup
from app.analytics.models import WeightChange
from app.core.errors import BadRequest
from app.core.models import Job
from app.interview.models import Report
from app.screening.models import JobVersion


@pytest.fixture
def loop_data(app):
    demo.generate(3000, seed=5)
    rollup.refresh()
    return Job.get(Job.title == demo.PREFIX + "前端开发工程师")


def test_calibration_recovers_the_planted_predictive_dimension(loop_data):
    rec = calibration.recommendation(loop_data.id)
    assert rec["n"] >= calibration.MIN_HIRES
    corr = rec["correlations"]
    assert corr[demo.PREDICTIVE]["low"] > 0.15                 # its whole interval is clearly positive
    for dim, c in corr.items():
        if dim != demo.PREDICTIVE:
            assert c["r"] < corr[demo.PREDICTIVE]["r"] - 0.2
    change = {d: rec["recommended"][d] - rec["current"][d] for d in rec["current"]}
    assert max(change, key=change.get) == demo.PREDICTIVE
    assert change[demo.PREDICTIVE] == calibration.CAP            # capped
    assert sum(rec["recommended"].values()) == 100 and min(rec["recommended"].values()) >= 0
    assert all(abs(c) <= calibration.CAP for c in change.values())
    past = rec["past"]
    assert past["scored"] > 100 and past["moved_in"] == past["moved_out"] > 0
    assert {r["group"] for r in past["impact_new"]} == {"男", "女"}
    assert "范围受限" in rec["warning"]


def test_no_recommendation_below_the_minimum_number_of_hires(loop_data):
    rec = calibration.recommendation(loop_data.id, min_hires=10_000)
    assert "recommended" not in rec and rec["needed"] == 10_000 - rec["n"]


def test_approving_changes_the_weights_with_an_audit_row_and_reports_keep_theirs(loop_data):
    rec = calibration.recommendation(loop_data.id)
    report = Report.select().join_from(Report, Report.interview.rel_model).first()
    before = report.dimensions
    change = calibration.apply(loop_data.id, rec["recommended"], actor="hr_lina", evidence={"n": rec["n"]})
    assert {d.name: d.weight for d in loop_data.ordered_dimensions()} == rec["recommended"]
    row = WeightChange.get_by_id(change.id)
    assert row.old_weights == rec["current"] and row.new_weights == rec["recommended"] and row.actor == "hr_lina"
    assert Report.get_by_id(report.id).dimensions == before
    # the approval is a new version of the competency model; the job had none, so its old model is version 1
    versions = {v.number: v for v in JobVersion.select().where(JobVersion.job == loop_data.id)}
    assert sorted(versions) == [1, 2] and change.version == 2 and Job.get_by_id(loop_data.id).version == 2
    assert {d["name"]: d["weight"] for d in versions[1].snapshot["dimensions"]} == rec["current"]
    assert {d["name"]: d["weight"] for d in versions[2].snapshot["dimensions"]} == rec["recommended"]
    assert versions[2].author == "hr_lina" and "按绩效校准调整权重" in versions[2].note
    again = calibration.apply(loop_data.id, rec["current"], actor="hr_lina")
    assert again.version == 3 and JobVersion.select().where(JobVersion.job == loop_data.id).count() == 3
    with pytest.raises(BadRequest):
        calibration.apply(loop_data.id, {**rec["recommended"], demo.PREDICTIVE: 99}, actor="hr_lina")
    with pytest.raises(BadRequest):
        calibration.apply(loop_data.id, {"专业能力": 100}, actor="hr_lina")
