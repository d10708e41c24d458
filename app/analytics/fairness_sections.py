"""The fairness view's sections (adverse impact per stage, per AI-score threshold, the weekly trend): title, plain
Chinese, table and chart, as the other sections of app/analytics/dashboard.py."""
from app.analytics import impact
from app.analytics.charts import GRID, PALETTE, num, pct


def impact_section(cohort, attrs):
    tables = impact.stage_impact(cohort, attrs)
    name = " × ".join(impact.ATTRIBUTES[a] for a in attrs)
    rows, chart_steps, groups = [], [], {}
    for t in tables:
        for r in t["rows"]:
            rows.append(_impact_row(t["label"], r, t["unknown"]))
            if r["ratio"] is not None and not r["reference"]:
                groups.setdefault(r["group"], {})[t["label"]] = round(r["ratio"], 2)
        if any(r["ratio"] is not None for r in t["rows"]):
            chart_steps.append(t["label"])
    return {
        "id": "impact", "title": f"不利影响检查（按{name}，各环节）",
        "explain": "每一步各群体进入下一步的比例（入选率），和入选率最高的群体相比得到“影响比”。"
                   "影响比低于 0.8（四分之五规则）标红；再看显著性（双比例 z 检验与 Fisher 精确检验，p<0.05）"
                   f"和 95% 置信区间，人数少于 {impact.stats.MIN_GROUP} 的群体显示“数据不足”。"
                   "数据来自候选人自愿填写，未填写的单独计数，不做推测。同时看很多格子时，约每 20 格就会有 1 格"
                   "纯属偶然地 p<0.05，要结合人数、置信区间和每周趋势判断。",
        "columns": ["环节", "群体", "入选/人数", "入选率", "影响比", "95% 置信区间", "低于 4/5", "p 值", "未填写人数"],
        "rows": rows,
        "chart": None if not chart_steps else {
            "tooltip": {"trigger": "axis"}, "legend": {"bottom": 0},
            "grid": GRID,
            "xAxis": {"type": "category", "data": [s.split(" → ")[0] for s in chart_steps],
                      "axisLabel": {"rotate": 45, "interval": 0}},
            "yAxis": {"type": "value", "name": "影响比", "max": 1.2},
            "series": [{"name": g, "type": "bar", "data": [by_step.get(s) for s in chart_steps],
                        "itemStyle": {"color": PALETTE[(i + 2) % len(PALETTE)]},
                        **({"markLine": {"symbol": "none", "data": [{"yAxis": 0.8}],
                                         "lineStyle": {"color": "#d83931", "type": "dashed"},
                                         "label": {"formatter": "0.8"}}} if i == 0 else {})}
                       for i, (g, by_step) in enumerate(sorted(groups.items()))]},
        "empty": not any(r["total"] for t in tables for r in t["rows"]), "data": tables,
    }


def _impact_row(label, r, unknown):
    if r["insufficient"]:
        return [label, r["group"], f"{r['selected']}/{r['total']}", pct(r["rate"]), "数据不足", "—", "—", "—", unknown]
    if r["reference"]:
        return [label, r["group"], f"{r['selected']}/{r['total']}", pct(r["rate"]), "1.00（参照组）", "—", "—", "—",
                unknown]
    if r["ratio"] is None:
        return [label, r["group"], f"{r['selected']}/{r['total']}", pct(r["rate"]), "—", "—", "—", "—", unknown]
    p = min(r["z_p"], r["fisher_p"])
    return [label, r["group"], f"{r['selected']}/{r['total']}", pct(r["rate"]), f"{r['ratio']:.2f}",
            f"{r['low']:.2f}–{r['high']:.2f}", "是" if r["four_fifths"] else "否",
            f"{p:.3f}" + ("（显著）" if r["significant"] else ""), unknown]


def threshold_section(cohort, attrs):
    tables = impact.threshold_impact(cohort, attrs)
    return {
        "id": "thresholds", "title": "按 AI 总分门槛的不利影响",
        "explain": "如果只让 AI 总分达到某个门槛的人进入下一步，各群体的入选率和影响比会是多少。",
        "columns": ["门槛", "群体", "入选/人数", "入选率", "影响比", "95% 置信区间", "低于 4/5", "p 值", "未填写人数"],
        "rows": [_impact_row(t["label"], r, t["unknown"]) for t in tables for r in t["rows"]],
        "data": tables,
    }


def trend_section(job_id, attrs):
    attribute = attrs[0]
    points = impact.trend(job_id, attribute, "second_round")
    groups = sorted({g for _, ratios in points for g in ratios})
    return {
        "id": "trend", "title": f"每周快照：复试 → 发Offer 的影响比趋势（按{impact.ATTRIBUTES[attribute]}）",
        "explain": "每周一保存一次当时近一年的不利影响表，这里看影响比怎么变化（0.8 以下需要关注）。",
        "columns": ["周", *groups],
        "rows": [[str(week), *[num(ratios.get(g), 2) for g in groups]] for week, ratios in points],
        "chart": {
            "tooltip": {"trigger": "axis"}, "legend": {"data": groups, "bottom": 0},
            "grid": GRID,
            "xAxis": {"type": "category", "data": [str(w) for w, _ in points]},
            "yAxis": {"type": "value", "name": "影响比", "min": 0, "max": 1.2},
            "series": [{"name": g, "type": "line", "data": [r.get(g) for _, r in points],
                        "itemStyle": {"color": PALETTE[(i + 2) % len(PALETTE)]}} for i, g in enumerate(groups)]}
        if points else None,
        "data": points,
    }
