"""What the analytics pages show: each section is a title, a sentence in plain Chinese, a table (columns, rows)
and optionally an ECharts option built here, so the chart, the table and the CSV/XLSX download never disagree.
"""
import datetime as dt

from app.analytics import agreement, demo, flag_section, impact, rollup
from app.analytics.charts import COUNT_AXIS, GRID, PALETTE, interval_chart, num, pct
from app.analytics.fairness_sections import impact_section, threshold_section, trend_section
from app.analytics.funnel import (
    HIRE_PAIR,
    STAGE_PAIRS,
    Cohort,
    durations,
    funnel,
    funnel_by_channel,
    offer_acceptance,
    participation,
    score_distribution,
    time_in_stage,
    time_to_hire,
)
from app.analytics.models import ApplicationFact
from app.analytics.steps import STEP_KEYS
from app.core import spreadsheets
from app.core.converters import parse_day, parse_int
from app.core.errors import BadRequest
from app.core.job_labels import LABEL_COLUMNS
from app.core.localtime import to_utc, today
from app.core.models import Job
from app.screening.intake import CHANNELS

DAYS_RANGE = "完成期限(天)应为 1-60 之间的整数 days must be a whole number from 1 to 60"


def _read(args, name, read, message=None):
    """The query string's `name` read by `read`, None when absent; BadRequest invalid_filter with `message` (by
    default the refusal's own, which names the field)."""
    value = (args.get(name) or "").strip()
    try:
        return read(value) if value else None
    except ValueError as exc:
        raise BadRequest(message or str(exc), code="invalid_filter") from exc


def _day_start(args, name, label, days_after=0):
    """The start (stored UTC) of the day `name` names as HR reads it (the display zone), `days_after` later."""
    day = _read(args, name, lambda value: parse_day(value, label))
    return to_utc(dt.datetime.combine(day + dt.timedelta(days=days_after), dt.time())) if day else None


def parse_filters(args):
    """Cohort and options from the query string; bad values get a clear error, never a 500."""
    job = _read(args, "job", parse_int, "岗位参数不对,请从列表中选择岗位 Invalid job")
    job_ids = (job,) if job is not None else None
    # from the start of the first day to the start of the day after the last
    start, end = _day_start(args, "start", "投递日期(从)"), _day_start(args, "end", "投递日期(到)", days_after=1)
    days = _read(args, "days", lambda value: parse_int(value, 1, 60), DAYS_RANGE) or 7
    if start is not None and end is not None and start >= end:
        raise BadRequest("开始日期晚于结束日期,请调换后再查看 The start date is after the end date",
                         code="invalid_filter")
    if start is None and end is None:
        start = to_utc(dt.datetime.combine(today() - dt.timedelta(days=365), dt.time()))
    channel = (args.get("channel") or "").strip()
    if channel and channel not in CHANNELS:
        raise BadRequest("没有这个渠道 Unknown channel", code="invalid_filter")
    attrs = tuple(a for a in (args.get("attr") or "gender").split(",") if a in impact.ATTRIBUTES) or ("gender",)
    data = (args.get("data") or "").strip()
    if data and data not in DATA_KINDS:
        raise BadRequest("数据只能是 real 或 demo data must be real or demo", code="invalid_filter")
    if job_ids:  # one job: its own kind (demo jobs are titled "[演示数据] …")
        job = Job.get_or_none(Job.id == job_ids[0])
        kind = job is not None and demo.is_demo_job(job.title)
    else:
        kind = DATA_KINDS[data] if data else default_demo()
    return Cohort(job_ids=job_ids, start=start, end=end, channels=(channel,) if channel else None,
                  demo=kind), days, attrs


DATA_KINDS = {"real": False, "demo": True}


def default_demo():
    """Which data a page shows when HR did not choose: the real data whenever there is any, the synthetic demo data
    when it is all there is (a fresh install with the demo). The two are never pooled."""
    if not demo.demo_present():
        return False
    return not ApplicationFact.select().where(Cohort(demo=False).where()).exists()


def channel_section(cohort):
    """The funnel per channel (source effectiveness), pass-through counted on finished candidacies as above."""
    per_channel = funnel_by_channel(cohort)
    steps = [("ai_invited", "收到AI面试邀请"), ("completed", "完成AI面试"), ("second_round", "进入复试"),
             ("hired", "入职")]
    index = {key: k for k, key in enumerate(STEP_KEYS)}
    rows, data = [], []
    for channel, funnel_rows in sorted(per_channel.items(), key=lambda kv: -kv[1][0]["reached"]):
        applied = funnel_rows[0]["reached"]
        finished = funnel_rows[0]["finished"]
        hired = funnel_rows[index["hired"]]["reached"]
        shares = {key: funnel_rows[index[key]]["reached"] / applied if applied else None for key, _ in steps}
        hire_rate = hired / finished if finished else None
        rows.append([CHANNELS.get(channel, channel), applied, *[pct(shares[key]) for key, _ in steps],
                     finished, pct(hire_rate)])
        data.append({"channel": channel, "label": CHANNELS.get(channel, channel), "applied": applied,
                     "finished": finished, "hired": hired, "hire_rate": hire_rate, "shares": shares})
    labels = [d["label"] for d in data]
    return {
        "id": "channels", "title": "渠道效果",
        "explain": "每个投递渠道来了多少人，其中多少人走到了后面的环节（占该渠道投递人数）。"
                   "入职率只算已有结果的候选人。“HR邀请”是 HR 直接发面试邀请、没有经过职位链接的候选人。",
        "columns": ["渠道", "投递", *[label for _, label in steps], "已有结果", "入职率（已有结果）"],
        "rows": rows,
        "chart": {
            "tooltip": {"trigger": "axis"}, "legend": {"data": [label for _, label in steps], "bottom": 0},
            "grid": {**GRID, "bottom": 60},
            "xAxis": {"type": "category", "data": labels, "axisLabel": {"rotate": 40, "interval": 0}},
            "yAxis": {"type": "value", "name": "占投递 %", "max": 100},
            "series": [{"name": label, "type": "bar", "itemStyle": {"color": PALETTE[i]},
                        "data": [None if d["shares"][key] is None else round(100 * d["shares"][key], 1)
                                 for d in data]} for i, (key, label) in enumerate(steps)]} if data else None,
        "data": data,
    }


def funnel_section(cohort):
    rows = funnel(cohort)
    labels = [r["label"] for r in rows]
    empty = not rows or not rows[0]["reached"]
    return {
        "id": "funnel", "title": "招聘漏斗",
        "explain": "从投递到入职，每一步有多少人到达。通过率只算已经有结果的候选人（已入职，或已淘汰、撤回、过期），"
                   "还在流程中的人不计入，免得把“还没轮到”算成“没通过”。",
        "columns": ["阶段", "到达人数", "其中进行中", "已有结果", "进入下一步", "通过率"],
        "rows": [[r["label"], r["reached"], r["in_progress"], r["finished"],
                  "—" if r["passed"] is None else r["passed"], pct(r["pass_rate"])] for r in rows],
        "chart": None if empty else {
            "tooltip": {"trigger": "axis"}, "legend": {"data": ["到达人数", "通过率"], "bottom": 0},
            "grid": GRID,
            "xAxis": {"type": "category", "data": labels, "axisLabel": {"rotate": 40, "interval": 0}},
            "yAxis": [COUNT_AXIS, {"type": "value", "name": "通过率 %", "max": 100}],
            "series": [{"name": "到达人数", "type": "bar", "data": [r["reached"] for r in rows],
                        "itemStyle": {"color": PALETTE[0]}},
                       {"name": "通过率", "type": "line", "yAxisIndex": 1, "itemStyle": {"color": PALETTE[2]},
                        "data": [None if r["pass_rate"] is None else round(100 * r["pass_rate"], 1) for r in rows]}]},
        "empty": empty, "data": rows,
    }


def participation_section(cohort, days):
    p = participation(cohort, days)
    return {
        "id": "participation", "title": "AI 面试参与率",
        "explain": f"收到 AI 面试邀请的人里，有多少开始了面试，有多少在邀请后 {days} 天内完成。",
        "columns": ["指标", "人数", "占已邀请"],
        "rows": [["已邀请", p["invited"], "100%" if p["invited"] else "—"],
                 ["开始面试", p["started"], pct(p["start_rate"])],
                 [f"{days} 天内完成", p["completed_within"], pct(p["complete_rate"])],
                 ["完成(不限天数)", p["completed"], pct(p["completed"] / p["invited"] if p["invited"] else None)]],
        "data": p,
    }


def timing_section(cohort):
    measured = durations(cohort, [*STAGE_PAIRS, HIRE_PAIR])
    rows = time_in_stage(cohort, measured)
    hire = time_to_hire(cohort, measured)
    empty = not any(r["n"] for r in rows)
    return {
        "id": "time_in_stage", "title": "各阶段停留时间",
        "explain": "从到达这一步到进入下一步花了多少天（中位数：一半人比它快；P90：九成人比它快）。"
                   f"投递到入职：中位 {num(hire['median_days'])} 天，"
                   f"P90 {num(hire['p90_days'])} 天（n={hire['n']}）。",
        "columns": ["阶段", "中位天数", "P90 天数", "人数"],
        "rows": [[r["label"], num(r["median_days"]), num(r["p90_days"]), r["n"]] for r in rows]
        + [["投递 → 入职（招聘周期）", num(hire["median_days"]), num(hire["p90_days"]), hire["n"]]],
        "chart": None if empty else {
            "tooltip": {"trigger": "axis"}, "legend": {"data": ["中位天数", "P90 天数"], "bottom": 0},
            "grid": GRID,
            "xAxis": {"type": "category", "data": [r["label"].split(" → ")[0] for r in rows],
                      "axisLabel": {"rotate": 45, "interval": 0}},
            "yAxis": {"type": "value", "name": "天"},
            "series": [{"name": "中位天数", "type": "bar", "data": [r["median_days"] for r in rows],
                        "itemStyle": {"color": PALETTE[0]}},
                       {"name": "P90 天数", "type": "bar", "data": [r["p90_days"] for r in rows],
                        "itemStyle": {"color": PALETTE[6]}}]},
        "empty": empty, "data": {"stages": rows, "time_to_hire": hire},
    }


def offer_section(cohort, funnel_rows):
    o = offer_acceptance(funnel_rows)
    return {
        "id": "offers", "title": "Offer 接受率",
        "explain": "发出的 Offer 中已有结果的，有多少被接受。",
        "columns": ["已发 Offer（有结果）", "接受", "接受率"],
        "rows": [[o["offers"], o["accepted"], pct(o["rate"])]], "data": o,
    }


def scores_section(cohort):
    dist = score_distribution(cohort)
    buckets = [f"{10 * i}-{10 * i + 9}" if i < 9 else "90-100" for i in range(10)]
    dims = sorted(dist, key=lambda d: (d == "总分", d))
    empty = not any(dist[d]["n"] for d in dims)
    return {
        "id": "scores", "title": "AI 评分分布（按维度）",
        "explain": "每个维度的 AI 分数落在各分数段的人数。某个维度的分数挤在一起，说明它很难区分候选人。",
        "columns": ["维度", "人数", "平均分", *buckets],
        "rows": [[d, dist[d]["n"], dist[d]["mean"], *dist[d]["buckets"]] for d in dims],
        "chart": None if empty else {
            "tooltip": {"trigger": "axis"}, "legend": {"data": dims, "bottom": 0},
            "grid": GRID,
            # ten bands: slanted, as the other bar charts, so they stay readable on a phone
            "xAxis": {"type": "category", "data": buckets, "axisLabel": {"rotate": 40, "interval": 0}},
            "yAxis": COUNT_AXIS,
            "series": [{"name": d, "type": "bar", "data": dist[d]["buckets"],
                        "itemStyle": {"color": PALETTE[i % len(PALETTE)]}} for i, d in enumerate(dims)]},
        "empty": empty, "data": dist,
    }


def _interval(low, high):
    return "—" if low is None or high is None else f"{low:.2f}–{high:.2f}"


def agreement_section(cohort, data=None):
    data = data or agreement.compute(cohort)
    rec = data["recommendation"]
    rows = []
    for d in data["dimensions"]:
        value = "数据不足" if d["insufficient"] else num(d["rho"], 2)
        rows.append([f"{d['dimension']}：AI 维度分 vs 面试官平均分（按候选人）", d["n"], "斯皮尔曼 ρ", value,
                     _interval(d["low"], d["high"])])
    bar = "—" if rec["threshold"] is None else f"{rec['threshold']:.1f}"
    rows.append([f"推荐意见：AI 总分 ≥ {bar}（进入复试者的中位数）vs 面试官推荐（按评分表）", rec["n"], "一致比例",
                  "数据不足" if rec["insufficient"] else pct(rec["share"]),
                  "—" if rec["low"] is None else f"{pct(rec['low'])}–{pct(rec['high'])}"])
    if not rec["insufficient"]:
        rows.append(["推荐意见：只按双方各自的推荐比例随机搭配时的一致比例", rec["n"], "随机一致水平",
                     pct(rec["chance"]), "—"])
    shown = [d for d in data["dimensions"] if d["rho"] is not None]
    return {
        "id": "agreement", "title": "AI 评分与面试官评分表的一致性",
        "explain": "把 AI 对每个能力维度的打分，和复试面试官评分表上同一维度的打分（几位面试官取平均）放在一起比。"
                   "ρ（斯皮尔曼等级相关）看两边给候选人排的先后是否一致：1 是完全一致，0 是毫无关系，负数是相反。"
                   "两边都是判断（一边是 AI，一边是人），都不是“标准答案”：一致说明看法相近，不说明谁对；"
                   "面试官面试前能看到 AI 报告的提示，两边也不是完全独立的。"
                   "只有通过 AI 评分进入复试的人才有评分表，分数范围被截窄，ρ 会比在全部候选人上低一些。"
                   f"少于 {data['min_n']} 人的维度显示“数据不足”。"
                   "推荐意见一行：AI 总分不低于进入复试者的中位数算“AI 推荐”，和面试官的“推荐/强烈推荐”比，"
                   "一致比例要和下面的随机一致水平对照着看。",
        "columns": ["比较", "人数 / 评分表数", "指标", "数值", "95% 区间"],
        "rows": rows,
        "chart": interval_chart([(d["dimension"], d["rho"], d["low"], d["high"]) for d in shown], "ρ",
                                inverse=True)
        if shown else None,
        "data": data,
    }


def interviewers_section(cohort, data=None):
    data = data or agreement.compute(cohort)
    everyone = data["overall"]
    rows = []
    enough = data["min_cards"]  # a same-panel difference from fewer cards is noise: a row, not a bar
    for r in data["interviewers"]:
        if r["panel_diff"] is None:
            diff = "—"
        elif r["panel_n"] < enough:
            diff = f"数据不足（{r['panel_n']} 份）"
        else:
            diff = f"{r['panel_diff']:+.2f}（{r['panel_n']} 份）"
        rows.append([r["name"], r["cards"], num(r["mean_rating"], 2), pct(r["recommend_share"]), diff,
                     "数据不足" if r["insufficient"] else num(r["rho"], 2)])
    if data["interviewers"]:
        rows.append(["全部面试官", everyone["cards"], num(everyone["mean_rating"], 2),
                     pct(everyone["recommend_share"]), "—", "—"])
    points = [r for r in data["interviewers"] if r["panel_diff"] is not None and r["panel_n"] >= enough]
    return {
        "id": "interviewers", "title": "面试官打分习惯（校准参考）",
        "explain": "每位面试官交了多少份复试评分表、平均打几分（1-5 分）、多大比例给了“推荐/强烈推荐”。"
                   "平均分高低也可能只是因为面试的候选人不同，所以图里看的是“同场差值”：和同一位候选人的其他面试官相比，"
                   "平均高（正数，偏宽松）或低（负数，偏严格）多少分，只算有别人同场打分的评分表。"
                   "ρ 是他给的平均分和 AI 总分排序的一致程度（AI 也只是一种判断），"
                   f"同场评分表或评分表少于 {data['min_cards']} 份显示“数据不足”，图里也不画。"
                   "这是帮助面试官对齐标准的参考，不是排名，按姓名排列。",
        "columns": ["面试官", "评分表数", "平均打分（1-5）", "推荐比例", "同场差值", "与 AI 总分的 ρ"],
        "rows": rows,
        "chart": {
            "tooltip": {"trigger": "axis"}, "grid": GRID,
            "yAxis": {"type": "category", "data": [r["name"] for r in points], "inverse": True},
            "xAxis": {"type": "value", "name": "分"},
            "series": [{"name": "同场差值", "type": "bar", "itemStyle": {"color": PALETTE[0]},
                        "data": [round(r["panel_diff"], 2) for r in points],
                        "markLine": {"symbol": "none", "data": [{"xAxis": 0}], "label": {"show": False},
                                     "lineStyle": {"color": "#8f959e"}}}]}
        if points else None,
        "data": data["interviewers"],
    }


VIEWS = {
    "funnel": ("漏斗与时间", ["flags", "funnel", "channels", "participation", "time_in_stage", "offers"]),
    "scores": ("评分分布", ["scores", "agreement", "interviewers"]),
    "fairness": ("公平性", ["impact", "thresholds", "trend"]),
}
WIDE = ("flags", "funnel", "channels", "scores", "agreement", "impact", "thresholds")


def build(cohort, days=7, attrs=("gender",), view="funnel"):
    """The sections of one dashboard view (a tab), after bringing the rollup up to date."""
    if view not in VIEWS:
        raise BadRequest("没有这个页面 Unknown view", code="unknown_view")
    rollup.refresh()
    sections, done = [], {}
    for name in VIEWS[view][1]:
        if name == "offers" and "funnel" in done:
            done[name] = offer_section(cohort, done["funnel"]["data"])  # the same funnel, not queried twice
        elif name == "interviewers" and "agreement" in done:
            done[name] = interviewers_section(cohort, done["agreement"]["data"])  # the same scorecards
        else:
            done[name] = SECTIONS[name](cohort, days, attrs)
        sections.append(done[name])
    for sec in sections:
        sec["wide"] = sec["id"] in WIDE
    return sections


SECTIONS = {
    "funnel": lambda c, d, a: funnel_section(c),
    "channels": lambda c, d, a: channel_section(c),
    "participation": lambda c, d, a: participation_section(c, d),
    "time_in_stage": lambda c, d, a: timing_section(c),
    "offers": lambda c, d, a: offer_section(c, funnel(c)),
    "scores": lambda c, d, a: scores_section(c),
    "flags": lambda c, d, a: flag_section.flags_section(c),
    "impact": lambda c, d, a: impact_section(c, a),
    "thresholds": lambda c, d, a: threshold_section(c, a),
    "trend": lambda c, d, a: trend_section(c.job_ids[0] if c.job_ids else (impact.ALL_DEMO if c.demo else
                                                                           impact.ALL_REAL), a),
    "agreement": lambda c, d, a: agreement_section(c),
    "interviewers": lambda c, d, a: interviewers_section(c),
}


def section(name, cohort, days, attrs):
    if name not in SECTIONS:
        raise BadRequest("没有这个图表 Unknown section", code="unknown_section")
    rollup.refresh()
    return SECTIONS[name](cohort, days, attrs)


def to_csv(sec):
    return spreadsheets.csv_bytes(sec["columns"], sec["rows"])


def to_xlsx(sec):
    return spreadsheets.xlsx_bytes(sec["id"], sec["columns"], sec["rows"])


def jobs():
    return list(Job.select(*LABEL_COLUMNS).order_by(Job.id))


__all__ = ["CHANNELS", "STEP_KEYS", "build", "jobs", "parse_filters", "section", "to_csv", "to_xlsx"]
