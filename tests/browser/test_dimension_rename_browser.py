"""HR renames a competency dimension in the job editor (Chromium, 1280 px): every question's 考察维度 follows the
new name, so the save goes through as one version that renames it (the questions kept the old name and the save was
refused with 「第 1 题 考察维度: 不存在的维度」 until each was edited by hand). Screenshot under
test-artifacts/browser/."""
import pytest

from app.core.models import Job
from tests.support.app import import_job
from tests.support.browser import chromium_page, shot, sign_in_page

pytestmark = [pytest.mark.browser]


def test_renaming_a_dimension_renames_it_in_the_questions(live_app):
    app, base_url = live_app
    with app.app_context():
        job = import_job("backend-engineer.yaml")
        asked = [q.dimension_names for q in job.ordered_questions()]
    assert any("逻辑思维" in names for names in asked)
    with chromium_page(viewport={"width": 1280, "height": 900}) as page:
        sign_in_page(page, app, base_url, "hr_lina")
        page.goto(f"{base_url}/admin/jobs/{job.id}/edit")
        name = page.locator('input[name="dim_name"]').nth(1)
        assert name.input_value() == "逻辑思维"
        name.click()
        name.press("Control+a")
        name.type("分析能力")
        page.locator('input[name="title"]').click()          # leaving the field: its change
        fields = page.locator('input[name="q_dims"]')
        typed = [fields.nth(i).input_value() for i in range(fields.count())]
        assert all("逻辑思维" not in t for t in typed)
        assert [t.split(", ") for t in typed] == [["分析能力" if d == "逻辑思维" else d for d in names]
                                                for names in asked]
        page.get_by_role("button", name="保存").click()
        page.wait_for_url(f"**/admin/jobs/{job.id}")
        shot(page, "job-dimension-renamed-1280")
    with app.app_context():
        saved = Job.get_by_id(job.id)
        assert [d.name for d in saved.ordered_dimensions()][1] == "分析能力" and saved.version == 2
        assert [q.dimension_names for q in saved.ordered_questions()] == [
            ["分析能力" if d == "逻辑思维" else d for d in names] for names in asked]
