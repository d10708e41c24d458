"""Numbers and charts as the analytics pages show them: percentages and decimals for tables, ECharts options shared
by sections (the interval chart of the calibration page's r and the agreement section's ρ)."""

GRID = {"left": 8, "right": 28, "top": 30, "bottom": 36, "containLabel": True}
# A count of people: whole numbers on the axis (echarts would put 0.2, 0.4 ... on a scale up to 1)
COUNT_AXIS = {"type": "value", "name": "人数", "minInterval": 1}
PALETTE = ["#2b6fd6", "#1f8a4c", "#e37318", "#8e44ad", "#d83931", "#0e9aa7", "#8f959e"]


def pct(x):
    return "—" if x is None else f"{100 * x:.0f}%"


def num(x, digits=1):
    return "—" if x is None else f"{x:.{digits}f}"


def interval_chart(points, name, inverse=False):
    """A coefficient per row (a dot) and its 95 % interval (a line) on -1..1; points [(label, value, low, high)],
    a missing value or bound None. The calibration page's r and the agreement section's ρ."""
    return {
        "tooltip": {"trigger": "item"}, "grid": GRID,
        "yAxis": {"type": "category", "data": [p[0] for p in points], **({"inverse": True} if inverse else {})},
        "xAxis": {"type": "value", "min": -1, "max": 1, "name": name},
        "series": [
            {"name": "95% 区间", "type": "lines", "coordinateSystem": "cartesian2d",
             "lineStyle": {"width": 6, "color": "#c6d8f5", "opacity": 1},
             "data": [{"coords": [[round(low, 2), label], [round(high, 2), label]]} for label, _, low, high in points
                      if low is not None and high is not None]},
            {"name": name, "type": "scatter", "symbolSize": 12, "itemStyle": {"color": PALETTE[0]},
             "data": [[round(value, 2), label] for label, value, _, _ in points if value is not None],
             "markLine": {"symbol": "none", "data": [{"xAxis": 0}], "lineStyle": {"color": "#8f959e"}}}]}


def correlation_chart(rec):
    """Each dimension's r and its bootstrap interval, for the calibration page (NaN: not computable)."""
    def known(x):
        return None if x != x else x
    return interval_chart([(d, known(c["r"]), *((known(c["low"]), known(c["high"])) if c["n"] >= 3 else (None, None)))
                           for d, c in rec["correlations"].items()], "r")
