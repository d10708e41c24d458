"""HR's 「对比」 of two job versions in Chromium at 1280 px and 390 px: opened from the version list, long lines
wrap inside the page (no sideways scrolling), screenshots of both widths."""
import pytest

from app.screening import job_versions
from tests.support.app import import_job
from tests.support.browser import ARTIFACTS, chromium_page, shot, sign_in_page

pytestmark = [pytest.mark.browser]
LONG_LINE = ("6. 有大型分布式系统的设计和落地经验,能独立负责从需求分析、方案评审、编码实现、灰度发布到线上监控告警的"
             "完整闭环,熟悉服务治理、限流降级、熔断、链路追踪和容量规划,能在高峰期保障核心交易链路的稳定性;")
NO_BREAKS = "参考资料:https://example.com/" + "very-long-path-segment-without-any-spaces-" * 6


def edited_job():
    """The backend job with a second version that touches every part the page shows, with long unbroken lines."""
    job = import_job("backend-engineer.yaml")
    tpl = job_versions.current_template(job)
    tpl["requirements"] = tpl["requirements"].replace("3年以上", "5年以上") + f"\n{LONG_LINE}\n{NO_BREAKS}"
    tpl["managers"] = ["zhangwei", "hr_lina"]
    tpl["screening"]["criteria"] = tpl["screening"]["criteria"][1:]
    tpl["screening"]["auto_invite_at"] = 85
    talk, logic, fit = tpl["dimensions"]
    talk["keywords"] = [*talk["keywords"], "复盘"]
    logic["name"], logic["weight"], fit["weight"] = "分析能力", 35, 45
    for q in tpl["questions"]:
        q["dimensions"] = ["分析能力" if d == "逻辑思维" else d for d in q["dimensions"]]
        q["anchors"] = {("分析能力" if d == "逻辑思维" else d): a for d, a in q.get("anchors", {}).items()}
    q = tpl["questions"][1]
    q["text"] = q["text"].replace("线上性能问题", "线上性能或稳定性问题(例如一次大促期间的接口超时或数据库连接池耗尽)")
    q["think_seconds"], q["retakes"] = 60, 0
    for levels in q["anchors"].values():
        levels[3] = ("有一次订单接口变慢,我先看监控发现数据库连接数打满,再查慢查询日志,"
                     "加了索引并把热点数据放进缓存,接口恢复正常。")
    tpl["questions"].append({"text": "如果产品经理临时要求在发布前一天加一个需求,你会怎么沟通和处理?",
                             "dimensions": ["语言表达"], "think_seconds": 30, "answer_seconds": 120, "retakes": 1,
                             "anchors": {}})
    job_versions.update_job(job.id, tpl, "hr_lina", "按面试官反馈调整题目和权重",
                            question_ids=[q.id for q in job.ordered_questions()] + [None])
    return job


@pytest.mark.parametrize("width", [1280, 390])
def test_hr_compares_versions_from_the_version_list(live_app, width):
    app, base_url = live_app
    with app.app_context():
        job = edited_job()
    with chromium_page(viewport={"width": width, "height": 900}, is_mobile=width < 500) as page:
        sign_in_page(page, app, base_url, "hr_lina")
        page.goto(f"{base_url}/admin/jobs/{job.id}")
        versions = page.locator("#versions")
        table, panel = versions.locator("table").bounding_box(), versions.bounding_box()
        assert table["x"] + table["width"] <= panel["x"] + panel["width"] + 1   # the list fits, 对比 links and all
        lines = versions.locator("th").evaluate_all("els => els.map(e => { const r = document.createRange(); "
                                                    "r.selectNodeContents(e); return r.getClientRects().length; })")
        assert lines == [1] * 6, lines                      # headers stay whole (用于 broke as 用/于)
        versions.scroll_into_view_if_needed()
        versions.screenshot(path=str(ARTIFACTS / "browser" / f"job-versions-{width}.png"))
        page.locator('[data-testid="compare-previous"]').first.click()
        page.wait_for_url(f"**/admin/jobs/{job.id}/versions/1/compare/2")
        assert "维度「逻辑思维」改名为「分析能力」" in page.locator("#dimensions").inner_text()
        questions = page.locator("#questions").inner_text()
        assert "第 2 题改了措辞" in questions and "新增第 5 题" in questions and "示例答案 3 级" in questions
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"the page scrolls sideways by {overflow}px"
        for text in (LONG_LINE[:20], NO_BREAKS[:20]):   # the long lines wrap inside their panel
            line = page.locator(".line.added", has_text=text)
            panel = line.locator("xpath=ancestor::div[contains(@class,'panel')]").bounding_box()
            box = line.bounding_box()
            assert box["x"] + box["width"] <= panel["x"] + panel["width"] + 1 and box["height"] > 30
        assert "用人经理" in page.locator("#fields").inner_text()
        assert "筛选分 ≥ 85" in page.locator("#screening").inner_text()
        shot(page, f"job-compare-{width}")
        page.goto(f"{base_url}/admin/jobs/{job.id}/versions/2/compare/2")
        assert page.locator("#no-change").inner_text().startswith("没有变化")
        shot(page, f"job-compare-none-{width}")
