"""Accessibility: axe-core (npm `axe-core`, read from node_modules/, never served) run in Chromium on the product's
pages against WCAG 2 A/AA; no violation of impact "serious" or "critical" is allowed. Candidate pages on the 390 px
phone; HR's pages at 1280 px, the manager's (home, rounds, scorecard) at 390 px. Every violation found (any impact)
is printed with its nodes, so a failure says what and where. The pages bypass the Content-Security-Policy (the phone
fixture's default) so that axe can be injected as an inline script."""
import datetime as dt

import pytest

from app.core import pipeline
from app.interview import decisions
from app.interview.models import Interview, Report
from app.process import checks, offers
from app.screening import intake, job_versions
from app.screening.job_templates import import_template
from tests.process.helpers import (
    at_second_round,
    available,
    cleared_for_offer,
    held_round,
    hour,
    round_with_slots,
    scored_with_report,
)
from tests.support.app import ROOT, import_job
from tests.support.browser import shot, signed_in_page
from tests.support.funnel import backend_template, pdf_resume
from tests.support.interviews import NAME, PHONE, invite, make_ready, make_short_job
from tests.support.reports import scored_interview

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
RUN_AXE = """async () => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 200),
                               why: (n.failureSummary || '').replace(/\\s+/g, ' ')}))}));
}"""


class Audit:
    """axe's violations per page name; `blocking()` the serious and critical ones."""

    def __init__(self):
        if not AXE.exists():
            pytest.fail(f"{AXE} is missing: run scripts/build_assets.sh (it installs axe-core with npm ci)")
        self.found = {}

    def __call__(self, page, name):
        page.wait_for_load_state("load")
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(RUN_AXE)
        self.found[name] = violations
        shot(page, f"a11y-{name}", "a11y")
        for v in violations:
            print(f"[{name}] {v['impact']} {v['id']}: {v['help']}")
            for node in v["nodes"]:
                print(f"    {node['target']}  {node['html']}\n      {node['why']}")

    def blocking(self):
        """One line per page with its serious and critical violations ("" when there are none)."""
        return "\n".join(f"{name}: " + ", ".join(f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes)" for v in found
                                                 if v["impact"] in BLOCKING)
                         for name, found in self.found.items() if any(v["impact"] in BLOCKING for v in found))


def test_candidate_pages(live_app, phone, tmp_path):
    _, base = live_app
    audit = Audit()

    # The posting's apply form, then the applied page and the candidate's data pages.
    link = intake.create_link(import_template(backend_template()).id, "wechat_group")
    phone.goto(f"{base}/p/{link.code}")
    audit(phone, "apply")
    phone.fill("input[name=name]", "张伟")
    phone.fill("input[name=phone]", "13800001234")
    resume = tmp_path / "resume.pdf"
    resume.write_bytes(pdf_resume())
    phone.set_input_files("#resume", str(resume))
    phone.click("label:has(input[value=能])")
    phone.check("input[name=consent]")
    phone.click("#submit")
    phone.wait_for_selector("[data-testid=stage]")
    audit(phone, "applied")
    applied_token = phone.url.rstrip("/").rsplit("/", 1)[1]
    phone.goto(f"{base}/i/{applied_token}/my-data/delete")
    audit(phone, "my-data-delete")
    phone.goto(f"{base}/i/{applied_token}/my-data.html")
    audit(phone, "my-data-export")

    # The AI interview's steps.
    interview, token = invite(make_short_job(), NAME, "13812340000")
    phone.goto(f"{base}/i/{token}")
    phone.wait_for_selector("#start")
    audit(phone, "interview-landing")
    phone.click("#start")
    phone.wait_for_selector("#consent-form")
    audit(phone, "interview-consent")
    phone.check("#recording")
    phone.click("label[for=bio-yes]")
    phone.click("#consent-submit")
    phone.wait_for_selector("#identity-form")
    phone.wait_for_selector("#face-take:not([disabled])")
    audit(phone, "interview-identity")
    phone.fill("#name", NAME)
    phone.fill("#phone_last4", "0000")
    phone.wait_for_function("document.getElementById('face-video').videoWidth > 0")
    phone.click("#face-take")
    phone.click("#identity-submit")
    phone.wait_for_selector("#test-record:not([disabled])")
    audit(phone, "interview-device")
    ready, ready_token = invite(make_short_job(title="数据工程师"), NAME, PHONE)
    make_ready(ready)
    phone.goto(f"{base}/i/{ready_token}/question")
    phone.wait_for_selector("#recorder[data-state=thinking]")
    audit(phone, "interview-question")
    phone.goto(f"{base}/i/{ready_token}/status")
    audit(phone, "status")
    phone.goto(f"{base}/i/{ready_token}/self-id")
    audit(phone, "self-id")
    Interview.update(status="completed").where(Interview.id == ready.id).execute()
    phone.goto(f"{base}/i/{ready_token}/done")
    audit(phone, "interview-done")

    # The second round's booking and the offer letter.
    job = import_job("backend-engineer.yaml")
    application, token = at_second_round(job, "王芳", "13900001111")
    start = hour(days=3)
    available(["zhangwei", "wangfang"], start)
    round_with_slots(application, [start, start + dt.timedelta(hours=2)])
    phone.goto(f"{base}/i/{token}/second-round")
    audit(phone, "second-round")

    application, token = at_second_round(job, "钱多", "13900003333")
    checks.start_check(pipeline.advance_stage(application.id, "background_check", actor="zhangwei", source="web").id)
    phone.goto(f"{base}/i/{token}/check")
    audit(phone, "background-check")

    application, token = cleared_for_offer(job, "赵雷", "13900002222")
    offers.save_policy(job, "hr_lina", {"salary_min": "20000", "salary_max": "30000", "min_notice_days": "7",
                                        "probation_months": "3", "valid_days": "5", "place": "上海"})
    offers.create_offer(application.id, "hr_lina",
                        {"salary": "26000", "start_date": (offers.today() + dt.timedelta(days=20)).isoformat()})
    phone.goto(f"{base}/i/{token}/offer")
    phone.wait_for_selector("input[name=typed_name]")
    audit(phone, "offer")

    blocking = audit.blocking()
    assert not blocking, f"serious or critical accessibility violations (details printed above):\n{blocking}"


def test_staff_pages(live_app, phone):
    app, base = live_app
    audit = Audit()
    job = import_job("backend-engineer.yaml")
    application, _ = scored_with_report(job)
    decisions.decide(application.id, "second_round", "zhangwei", "web")
    report_id = Report.get(Report.interview == application.interviews.get()).id
    tpl = job_versions.current_template(job)   # a second version, for the 「对比」 page
    tpl["dimensions"][0]["weight"], tpl["dimensions"][1]["weight"] = 25, 25
    tpl["requirements"] += "\n6. 有 Kubernetes 经验优先;"
    job_versions.update_job(job.id, tpl, "hr_lina", question_ids=[q.id for q in job.ordered_questions()])

    hr = signed_in_page(phone, app, base, "hr_lina")
    for name, path in (("admin-home", "/admin/"), ("job-editor", "/admin/jobs/new"),
                       ("job-editor-filled", f"/admin/jobs/{job.id}/edit"),
                       ("job-page", f"/admin/jobs/{job.id}"), ("workbench", "/admin/applications"),
                       ("job-compare", f"/admin/jobs/{job.id}/versions/1/compare/2"),
                       ("application", f"/m/applications/{application.id}"), ("report", f"/m/reports/{report_id}"),
                       ("analytics", "/admin/analytics/"), ("privacy", "/admin/privacy/")):
        hr.goto(base + path)
        audit(hr, f"hr-{name}-1280")
    round_, _ = held_round(application)   # its scorecards are open
    hr.goto(f"{base}/m/availability")
    audit(hr, "hr-availability-1280")
    manager = signed_in_page(phone, app, base, "zhangwei", width=390, height=844)
    for name, path in (("home", "/m/"), ("my-rounds", "/m/my-rounds"), ("scorecard", f"/m/rounds/{round_.id}")):
        manager.goto(base + path)
        audit(manager, f"manager-{name}-390")

    blocking = audit.blocking()
    assert not blocking, f"serious or critical accessibility violations (details printed above):\n{blocking}"


@pytest.mark.slow
def test_report_with_scored_answers(live_app, phone):
    """The report of a really scored interview (players, seek links, evidence, rating forms) on the manager's phone
    and at 1280 px."""
    app, base = live_app
    audit = Audit()
    report = scored_interview()
    for name, width, height in (("report-scored-390", 390, 844), ("report-scored-1280", 1280, 800)):
        page = signed_in_page(phone, app, base, "zhangwei", width=width, height=height)
        page.goto(f"{base}/m/reports/{report.id}")
        page.wait_for_selector("video")
        audit(page, name)

    blocking = audit.blocking()
    assert not blocking, f"serious or critical accessibility violations (details printed above):\n{blocking}"
