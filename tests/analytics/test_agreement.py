"""AI scores vs interviewer scorecards: the pure functions on hand-built numbers, the two dashboard sections on a
hand-built cohort (SQLite and PostgreSQL), the planted pattern of the demo data, and the page with its download."""
import datetime as dt
import math

import pytest

from app.analysis.agreement import _ranks, spearman
from app.analytics import agreement, dashboard, demo, rollup
from app.analytics.funnel import Cohort
from app.core.models import Job
from app.process.models import Scorecard
from tests.support.analytics import DAY, T0, TO_SECOND_ROUND, candidacy, hand_built_cohort, panel
from tests.support.reports import sign_in_as

# --- pure ----------------------------------------------------------------------------------------------------


def test_ranks_average_ties_and_weighted_spearman_matches_the_pairs_written_out():
    assert _ranks([3, 1, 3, 2, 3]).tolist() == [4.0, 1.0, 4.0, 2.0, 4.0]
    assert _ranks([]).tolist() == [] and _ranks([7]).tolist() == [1.0]
    assert _ranks([2, math.nan, 1, math.nan]).tolist() == [2.0, 3.0, 1.0, 4.0]  # NaN last, never tied
    # (x, y, count): written out x = 1 1 1 2 3, y = 10 10 20 20 30; ranks 2 2 2 4 5 and 1.5 1.5 3.5 3.5 5:
    # sum dx dy = 7, sum dx^2 = 8, sum dy^2 = 9 -> 7 / sqrt(72)
    x, y, w = [1, 1, 2, 3], [10, 20, 20, 30], [2, 1, 1, 1]
    assert agreement.weighted_spearman(x, y, w) == pytest.approx(7 / math.sqrt(72))
    assert spearman([1, 1, 1, 2, 3], [10, 10, 20, 20, 30]) == pytest.approx(7 / math.sqrt(72))
    assert agreement.weighted_spearman([1, 1, 1, 2, 3], [10, 10, 20, 20, 30]) == pytest.approx(7 / math.sqrt(72))
    assert agreement.weighted_spearman([1, 2], [5, 5], [3, 4]) is None      # a constant side
    assert agreement.weighted_spearman([1, 2], [1, 2]) is None              # fewer than 3 pairs


def test_scorecard_facts_keep_only_scores_and_compare_each_card_with_the_rest_of_the_panel():
    junk = {"x": {"score": 4, "comment": "c"}, "y": {"score": 2}, "b": {"score": True}, "z": {"score": 6},
            "w": "text", "n": {"score": None}}
    assert agreement.card_scores(junk) == {"x": 4.0, "y": 2.0}
    at = dt.datetime(2026, 3, 2)
    facts = [{"application_id": i, "job_id": 7, "applied_at": at, "channel": "referral", "total": total}
             for i, total in ((1, 70.0), (2, None), (3, 50.0))]
    cards = {1: [(10, "a", junk, "yes"), (11, "b", '{"x": {"score": 5}}', "no")], 2: [(12, "a", {}, "no")]}
    reports = {1: (70.0, {"x": {"score": 80, "weight": 50}, "总分": {"score": 1}, "y": "no score"})}
    card_rows, dim_rows = rollup.scorecard_facts(facts, cards, reports)
    same = {"job_id": 7, "applied_at": at, "channel": "referral"}
    assert card_rows == [
        {"scorecard_id": 10, "application_id": 1, **same, "interviewer": "a", "recommendation": "yes",
         "mean_score": 3.0, "others_mean": 5.0, "ai_total": 70.0},
        {"scorecard_id": 11, "application_id": 1, **same, "interviewer": "b", "recommendation": "no",
         "mean_score": 5.0, "others_mean": 3.0, "ai_total": 70.0},
        {"scorecard_id": 12, "application_id": 2, **same, "interviewer": "a", "recommendation": "no",
         "mean_score": None, "others_mean": None, "ai_total": None}]
    # the panel's mean of each dimension (x: 4 and 5), with the AI's score of it when the report has one
    assert dim_rows == [{"application_id": 1, **same, "dimension": "x", "panel_mean": 4.5, "ai_score": 80.0},
                        {"application_id": 1, **same, "dimension": "y", "panel_mean": 2.0, "ai_score": None}]


def test_dimension_agreement_exact_rho_insufficient_and_constant():
    rows = []
    for score, mean in zip([10, 20, 30, 40, 50], [1, 3, 2, 4, 5], strict=True):
        rows += [("d", mean, score, 1), ("flat", mean, 60, 1), ("only_cards", 3, None, 1)]
        if score < 50:
            rows.append(("few", mean, score, 1))
    by_name = {r["dimension"]: r for r in agreement.dimension_agreement(rows, min_n=5)}
    assert set(by_name) == {"d", "flat", "few"}             # only_cards has no AI score: not compared
    d = by_name["d"]
    assert d["n"] == 5 and d["rho"] == pytest.approx(0.9)  # 1 - 6 * 2 / (5 * 24): two neighbours swapped
    assert d["low"] < 0.9 < d["high"] <= 1 + 1e-9 and not d["insufficient"]
    again = agreement.dimension_agreement(rows, min_n=5)[0]
    assert (again["low"], again["high"]) == (d["low"], d["high"])  # a seeded bootstrap
    assert by_name["few"] == {"dimension": "few", "n": 4, "rho": None, "low": None, "high": None,
                              "insufficient": True}
    assert by_name["flat"]["rho"] is None and not by_name["flat"]["insufficient"]  # the AI side is constant
    assert agreement.dimension_agreement(rows)[0]["insufficient"]                   # the default minimum is 20


def test_dimension_agreement_from_grouped_rows_is_the_same_as_one_row_per_application():
    pairs = [(1, 10), (1, 10), (2, 10), (2, 30), (3, 30), (3, 30), (3, 40), (5, 40)]
    one_by_one = agreement.dimension_agreement([("d", m, s, 1) for m, s in pairs], min_n=5)[0]
    grouped = [("d", 1, 10, 2), ("d", 2, 10, 1), ("d", 2, 30, 1), ("d", 3, 30, 2), ("d", 3, 40, 1), ("d", 5, 40, 1)]
    assert agreement.dimension_agreement(grouped, min_n=5)[0]["rho"] == pytest.approx(one_by_one["rho"])
    assert one_by_one["n"] == 8 and one_by_one["rho"] == pytest.approx(spearman([s for _, s in pairs],
                                                                                [m for m, _ in pairs]))
    # above bootstrap_max_n: Fisher's z from rho and n, any row order
    big = agreement.dimension_agreement(list(reversed(grouped)), min_n=5, bootstrap_max_n=3)[0]
    assert (big["low"], big["high"]) == pytest.approx(agreement.fisher_interval(one_by_one["rho"], 8))


def test_rank_interval_switches_to_fisher_z_for_large_n():
    low, high = agreement.rank_interval([10, 20, 30, 40, 50], [1, 3, 2, 4, 5], bootstrap_max_n=3)
    # tanh(atanh(0.9) -/+ 1.96 * sqrt((1 + 0.9^2 / 2) / (5 - 3)))
    assert (low, high) == (pytest.approx(-0.168896, abs=1e-6), pytest.approx(0.996069, abs=1e-6))
    assert agreement.fisher_interval(0.9, 5) == (pytest.approx(low), pytest.approx(high))
    assert all(math.isnan(v) for v in agreement.rank_interval([1, 2, 3], [1, 2, 3]))


def test_recommendation_agreement_per_scorecard():
    # AI total >= 60 vs recommending, per scorecard: totals 70 (yes, no), 50 (no, strong_yes), 60 (strong_yes)
    table = [(True, True, 2), (True, False, 1), (False, False, 1), (False, True, 1)]
    out = agreement.recommendation_agreement(table, 60.0, min_n=1)
    assert out["n"] == 5 and out["agree"] == 3 and out["share"] == 0.6
    assert out["ai_yes"] == 3 and out["human_yes"] == 3 and out["chance"] == pytest.approx(0.52)
    assert (out["low"], out["high"]) == (pytest.approx(0.230724, abs=1e-6), pytest.approx(0.882379, abs=1e-6))
    as_ints = agreement.recommendation_agreement([(int(a), int(h), n) for a, h, n in table], 60.0, min_n=1)
    assert as_ints == out                                   # SQLite's booleans are 1 / 0
    short = agreement.recommendation_agreement(table, 60.0)
    assert short["insufficient"] and short["share"] is None and short["n"] == 5
    assert agreement.recommendation_agreement(table, None)["n"] == 0  # nobody reached the second round


def test_interviewer_calibration_panel_difference_and_rho():
    # scorecards (application, interviewer, card mean, recommendation): (1, a, 3, yes), (1, b, 5, strong_yes),
    # (2, a, 2, no), (3, a, 4, yes), (3, b, 3, no), (3, c, no scores, no); AI totals 80, 50, 70.
    # a differs from the rest of the panel by 3 - 5 and 4 - 3, b by 5 - 3 and 3 - 4
    counts = [("b", 2, 2, 8.0, 1, 2, 1.0), ("a", 3, 3, 9.0, 2, 2, -1.0), ("c", 1, 0, None, 0, 0, None)]
    pairs = [("a", 80.0, 3.0, 1), ("a", 50.0, 2.0, 1), ("a", 70.0, 4.0, 1), ("b", 80.0, 5.0, 1), ("b", 70.0, 3.0, 1)]
    rows = {r["interviewer"]: r for r in agreement.interviewer_calibration(counts, pairs, min_cards=3)}
    assert [r["interviewer"] for r in agreement.interviewer_calibration(counts, pairs)] == ["a", "b", "c"]
    assert rows["a"] == {"interviewer": "a", "cards": 3, "mean_rating": 3.0, "recommend_share": pytest.approx(2 / 3),
                         "panel_diff": -0.5, "panel_n": 2, "rho": pytest.approx(0.5), "rho_n": 3,
                         "insufficient": False}
    assert rows["b"] == {"interviewer": "b", "cards": 2, "mean_rating": 4.0, "recommend_share": 0.5,
                         "panel_diff": 0.5, "panel_n": 2, "rho": None, "rho_n": 2, "insufficient": True}
    assert rows["c"] == {"interviewer": "c", "cards": 1, "mean_rating": None, "recommend_share": 0.0,
                         "panel_diff": None, "panel_n": 0, "rho": None, "rho_n": 0, "insufficient": True}
    assert agreement.overall(counts) == {"cards": 6, "mean_rating": pytest.approx(3.4), "recommend_share": 0.5}


# --- a hand-built cohort through the database ------------------------------------------------------------------

def test_sections_on_a_hand_built_cohort(any_db_app):
    job, other = hand_built_cohort()
    rollup.refresh()
    cohort = Cohort(job_ids=(job.id,), start=T0 - DAY, end=T0 + DAY)
    data = agreement.compute(cohort)
    assert data["applications"] == 20
    dims = {d["dimension"]: d for d in data["dimensions"]}
    assert set(dims) == {"专业能力", "沟通表达"}       # 学习能力: AI only; 团队协作: scorecards only
    assert dims["专业能力"]["n"] == 20 and dims["专业能力"]["rho"] == pytest.approx(1.0)
    assert dims["沟通表达"]["rho"] == pytest.approx(-1.0)
    rec = data["recommendation"]
    # the median of the 21 totals that reached the second round (50..69 and 100) is 60; 31 scorecards: iv_a
    # agrees on 10 (no below 60 four times, yes from 60 six times), iv_b's ten strong_yes are all below, iv_c's no
    # is above
    assert rec["threshold"] == 60.0 and rec["n"] == 31 and rec["agree"] == 10
    assert rec["ai_yes"] == 11 and rec["human_yes"] == 22 and rec["chance"] == pytest.approx(422 / 961)

    sec = dashboard.agreement_section(cohort, data)
    assert sec["rows"][0] == ["专业能力：AI 维度分 vs 面试官平均分（按候选人）", 20, "斯皮尔曼 ρ", "1.00", "1.00–1.00"]
    assert sec["rows"][1][3:] == ["-1.00", "-1.00–-1.00"]
    assert sec["rows"][2] == ["推荐意见：AI 总分 ≥ 60.0（进入复试者的中位数）vs 面试官推荐（按评分表）", 31, "一致比例",
                              "32%", "19%–50%"]
    assert sec["rows"][3] == ["推荐意见：只按双方各自的推荐比例随机搭配时的一致比例", 31, "随机一致水平", "44%", "—"]
    assert sec["chart"]["yAxis"]["data"] == ["专业能力", "沟通表达"] and "ρ（斯皮尔曼等级相关）" in sec["explain"]

    people = dashboard.interviewers_section(cohort, data)
    assert people["rows"] == [
        # iv_a sat with iv_b on 10 applications (-1 on 8 of them, 0 on 2) and with iv_c on one (+3): -5 / 11
        ["iv_b", 10, "3.80", "100%", "+0.80（10 份）", "0.48"],
        ["iv_c", 1, "2.00", "0%", "数据不足（1 份）", "数据不足"],   # one card with a panel: no difference shown
        ["王面试官", 20, "3.00", "60%", "-0.45（11 份）", "0.25"],
        ["全部面试官", 31, "3.23", "71%", "—", "—"]]
    assert [r["interviewer"] for r in data["interviewers"]] == ["iv_b", "iv_c", "iv_a"]  # by name, not by score

    everyone = agreement.compute(Cohort())                 # the other job and the earlier application join in
    assert everyone["applications"] == 22
    assert {d["dimension"]: d["n"] for d in everyone["dimensions"]} == {"专业能力": 22, "沟通表达": 22}
    assert everyone["dimensions"][0]["rho"] < 1
    # the channel filter of the cohort applies too (no Intake rows here: every application is HR's invitation)
    assert agreement.compute(Cohort(channels=(rollup.HR_INVITE,)))["applications"] == 22
    assert agreement.compute(Cohort(channels=("referral",)))["applications"] == 0
    few = agreement.compute(Cohort(job_ids=(other.id,)))
    assert few["dimensions"][0]["insufficient"] and few["dimensions"][0]["n"] == 1
    row = dashboard.agreement_section(Cohort(job_ids=(other.id,)))["rows"][0]
    assert row[3:] == ["数据不足", "—"]


def test_a_scorecard_submitted_after_a_refresh_shows_up_after_the_next_one(any_db_app):
    job = Job.create(title="后端开发工程师")
    early, tied, late = (candidacy(job, TO_SECOND_ROUND, total, {"专业能力": total}) for total in (67.1, 68.2, 69.3))
    panel(early, [("iv_a", 4, "yes")])
    panel(late, [("iv_a", 4, "yes")])
    rollup.refresh()
    before = agreement.compute(Cohort())
    assert before["applications"] == 2 and before["recommendation"]["n"] == 2
    panel(tied, [("iv_b", 2, "no"), ("iv_a", 3, "yes")])  # no stage event, no report, no new application
    assert rollup.refresh(overlap=0) == 1                 # no re-reading: only the new scorecards' mark finds it
    data = agreement.compute(Cohort())
    assert data["applications"] == 3
    rec = data["recommendation"]
    # the median of 67.1, 68.2 and 69.3 is 68.2: the two new cards at exactly 68.2 are AI "yes" (a float4 copy of
    # the total would fall just below the threshold on PostgreSQL)
    assert (rec["threshold"], rec["n"], rec["ai_yes"], rec["human_yes"], rec["agree"]) == (68.2, 4, 3, 3, 2)
    people = {r["interviewer"]: r for r in data["interviewers"]}
    assert (people["iv_b"]["cards"], people["iv_b"]["panel_diff"], people["iv_b"]["panel_n"]) == (1, -1.0, 1)
    assert (people["iv_a"]["cards"], people["iv_a"]["panel_diff"], people["iv_a"]["panel_n"]) == (3, 1.0, 1)
    assert rollup.refresh() == 0                       # the marks caught up


def test_no_scorecards_yet(app):
    rollup.refresh()
    data = agreement.compute(Cohort())
    assert data["dimensions"] == [] and data["interviewers"] == [] and data["recommendation"]["n"] == 0
    sec = dashboard.agreement_section(Cohort(), data)
    assert sec["chart"] is None and sec["rows"][0][3] == "数据不足"
    assert dashboard.interviewers_section(Cohort(), data)["rows"] == []


# --- demo data -------------------------------------------------------------------------------------------------


def test_demo_data_shows_the_planted_agreement_and_the_lenient_interviewer(app):
    made = demo.generate(3000, seed=7)
    rollup.refresh()
    assert made["scorecards"] == Scorecard.select().count() > 1000
    data = agreement.compute(Cohort())
    dims = {d["dimension"]: d for d in data["dimensions"]}
    assert set(dims) == {name for name, _ in demo.DIMENSIONS}
    for strong in ("专业能力", "逻辑思维"):
        assert dims[strong]["rho"] > 0.7 and dims[strong]["low"] > dims["学习能力"]["high"]
    assert 0.35 < dims["学习能力"]["rho"] < 0.6
    assert dims["沟通表达"]["rho"] < 0.3 and dims["沟通表达"]["high"] < dims["学习能力"]["low"]
    people = {r["interviewer"]: r for r in data["interviewers"]}
    assert set(people) == {u for u, _ in demo.INTERVIEWERS} and people[demo.LENIENT]["name"] == "孙老师（演示）"
    assert people[demo.LENIENT]["panel_diff"] > 0.6
    assert all(r["panel_diff"] < 0 for u, r in people.items() if u != demo.LENIENT)
    assert people[demo.LENIENT]["recommend_share"] > max(r["recommend_share"] for u, r in people.items()
                                                        if u != demo.LENIENT) + 0.15
    assert data["recommendation"]["share"] > data["recommendation"]["chance"] + 0.05


def test_demo_data_without_the_plant_shows_no_pattern(app):
    demo.generate(3000, seed=7, plant=())
    rollup.refresh()
    data = agreement.compute(Cohort())
    rhos = [d["rho"] for d in data["dimensions"]]
    assert max(rhos) - min(rhos) < 0.15
    assert all(abs(r["panel_diff"]) < 0.2 for r in data["interviewers"])


def test_real_interviewers_are_never_pooled_with_the_demo_ones_and_few_cards_are_no_bar(app):
    """Demo data and real data in one database: HR sees the real interviewers by default, the demo ones only when
    choosing the demo data; an interviewer with fewer than MIN_CARDS same-panel cards is a row saying 数据不足, not a
    leniency bar."""
    demo.generate(400, seed=7)
    hand_built_cohort()
    rollup.refresh()
    around_t0 = {"start": str((T0 - DAY).date()), "end": str((T0 + DAY).date())}
    real, _, _ = dashboard.parse_filters(around_t0)
    assert real.demo is False                                   # there is real data: it is what HR sees first
    people = dashboard.interviewers_section(real)
    names = [row[0] for row in people["rows"]]
    assert names == ["iv_b", "iv_c", "王面试官", "全部面试官"]   # no 赵老师（演示） among them
    assert dict((row[0], row[4]) for row in people["rows"])["iv_c"] == "数据不足（1 份）"
    assert people["chart"]["yAxis"]["data"] == ["iv_b", "王面试官"]  # iv_c's single card is no bar

    synthetic, _, _ = dashboard.parse_filters({"data": "demo"})
    demo_names = [row[0] for row in dashboard.interviewers_section(synthetic)["rows"]][:-1]
    assert demo_names and all(name.endswith("（演示）") for name in demo_names)
    assert dashboard.funnel_section(real)["data"][0]["reached"] == 23       # hand-built, applied around T0
    demo_job = Job.get(Job.title.startswith(demo.PREFIX))
    assert dashboard.parse_filters({"job": str(demo_job.id)})[0].demo is True    # a demo job is demo data


# --- the page --------------------------------------------------------------------------------------------------


def test_scores_view_shows_both_sections_and_downloads_them(client):
    job, _ = hand_built_cohort()
    sign_in_as(client, "hr_lina", "李娜")
    page = client.get(f"/admin/analytics/?view=scores&job={job.id}&start=2026-03-01&end=2026-03-02")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for sec in ("scores", "agreement", "interviewers"):
        assert f'data-testid="section-{sec}"' in html
    assert 'id="chart-agreement"' in html and "不是排名" in html and "王面试官" in html
    assert "/admin/analytics/export/agreement.csv" in html and "/admin/analytics/export/interviewers.xlsx" in html

    csv = client.get(f"/admin/analytics/export/agreement.csv?job={job.id}&start=2026-03-01&end=2026-03-02")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    lines = csv.get_data().decode("utf-8-sig").splitlines()
    assert lines[0] == "比较,人数 / 评分表数,指标,数值,95% 区间"
    assert lines[1] == "专业能力：AI 维度分 vs 面试官平均分（按候选人）,20,斯皮尔曼 ρ,1.00,1.00–1.00"
    people = client.get(f"/admin/analytics/export/interviewers.csv?job={job.id}&start=2026-03-01&end=2026-03-02")
    assert people.get_data().decode("utf-8-sig").splitlines()[3] == "王面试官,20,3.00,60%,-0.45（11 份）,0.25"
    assert client.get("/admin/analytics/export/interviewers.xlsx").status_code == 200


def test_kept_figures_follow_every_rewrite_of_the_facts_and_the_names_are_always_fresh(any_db_app):
    """compute() keeps its figures under the rollup's generation: a rewrite that adds no id (a deletion) still
    changes them, a new name shows at once, and a caller changing the result does not change the next one."""
    from app.core.models import StaffUser
    job = Job.create(title="后端开发工程师")
    apps = [candidacy(job, TO_SECOND_ROUND, total, {"专业能力": total}) for total in (61.0, 65.0, 70.0)]
    for app_ in apps:
        panel(app_, [("iv_a", 4, "yes")])
    rollup.refresh()
    first = agreement.compute(Cohort())
    assert first["applications"] == 3 and first["interviewers"][0]["name"] == "iv_a"
    first["interviewers"][0]["cards"] = 99                     # a caller's change stays with the caller
    again = agreement.compute(Cohort())
    assert again["interviewers"][0]["cards"] == 3 and again["applications"] == 3

    StaffUser.create(userid="iv_a", name="王面试官")            # names are looked up on every call
    assert agreement.compute(Cohort())["interviewers"][0]["name"] == "王面试官"

    gone = apps[0]                                             # a deletion: no new id for refresh() to see
    Scorecard.delete().where(Scorecard.round.in_([r.id for r in gone.rounds])).execute()
    assert rollup.refresh() == 0
    rollup.rewrite([gone.id])
    after = agreement.compute(Cohort())
    assert after["applications"] == 2 and after["interviewers"][0]["cards"] == 2
    assert after["recommendation"]["n"] == 2


def test_the_demo_split_is_part_of_what_is_kept(any_db_app):
    """A job renamed into or out of the demo data moves its scorecards between the real and demo views at once."""
    job = Job.create(title="后端开发工程师")
    for total in (61.0, 65.0):
        panel(candidacy(job, TO_SECOND_ROUND, total, {"专业能力": total}), [("iv_a", 4, "yes")])
    rollup.refresh()
    assert agreement.compute(Cohort(demo=False))["applications"] == 2
    assert agreement.compute(Cohort(demo=True))["applications"] == 0
    Job.update(title=demo.PREFIX + job.title).where(Job.id == job.id).execute()
    assert agreement.compute(Cohort(demo=False))["applications"] == 0
    assert agreement.compute(Cohort(demo=True))["applications"] == 2
