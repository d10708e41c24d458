"""The candidate's optional self-identification: its own form and consent, stored apart, and never shown to
reviewers or passed to scoring (searched in rendered pages and in the scoring call)."""
import re
from pathlib import Path

import pytest

from app.analytics import rollup, self_id
from app.analytics.models import ApplicationFact, SelfIdentification
from app.core.db import database
from app.core.models import Application
from app.interview import answer_analysis
from app.interview.answer_analysis import job_profile
from app.interview.invitations import invite_candidate
from app.interview.models import Answer
from tests.support.app import ROOT, make_app
from tests.support.reports import sign_in_as

MARKER = "标记值ZX91"


@pytest.fixture
def app(tmp_path, redis_conn):
    """A company's own extra question (SELF_ID_EXTRA_QUESTIONS) whose only option is a marker that appears nowhere
    else."""
    app = make_app(tmp_path, SELF_ID_EXTRA_QUESTIONS=[("probe", "测试问题", [MARKER])])
    with app.app_context(), database.connection_context():
        yield app


def test_form_has_its_own_consent_and_can_be_withdrawn(client, demo_job):
    interview, token = invite_candidate(demo_job.id, "王芳", "13900001111")
    rollup.refresh()
    status = client.get(f"/i/{token}/status").get_data(as_text=True)
    assert f'href="/i/{token}/self-id"' in status
    form = client.get(f"/i/{token}/self-id").get_data(as_text=True)
    assert self_id.CONSENT_TEXT in form and "不愿透露" in form
    missing = client.post(f"/i/{token}/self-id", data={"gender": "女", "action": "save"})
    assert missing.status_code == 400 and "请先勾选同意说明" in missing.get_data(as_text=True)
    invalid = client.post(f"/i/{token}/self-id", data={"gender": "x", "consent": "yes", "action": "save"})
    assert invalid.status_code == 400 and "选项无效" in invalid.get_data(as_text=True)
    assert SelfIdentification.select().count() == 0
    ok = client.post(f"/i/{token}/self-id", data={"gender": "女", "age_band": "", "probe": MARKER, "consent": "yes",
                                                   "action": "save"})
    assert ok.status_code == 302
    row = SelfIdentification.get()
    assert (row.application_id, row.gender, row.age_band, row.extra) == (interview.application_id, "女", "",
                                                                         {"probe": MARKER})
    assert row.consent_version == self_id.CONSENT_VERSION
    fact = ApplicationFact.get_by_id(interview.application_id)     # the rollup's copy for the fairness tables
    assert (fact.gender, fact.age_band) == ("女", "")
    client.post(f"/i/{token}/self-id", data={"action": "withdraw"})
    assert SelfIdentification.select().count() == 0
    assert ApplicationFact.get_by_id(interview.application_id).gender == ""   # withdrawn: the copy goes too
    assert client.get("/i/not-a-token/self-id").status_code in (404, 410)


def test_self_id_never_reaches_reviewer_pages_or_scoring(client, report):
    app_id = report.interview.application_id
    self_id.save(app_id, {"gender": "其他", "age_band": "45+", "probe": MARKER}, consented=True)
    sign_in_as(client, "hr_lina")   # HR sees every reviewer page there is
    pages = [f"/m/reports/{report.id}", f"/m/applications/{app_id}", "/m/", "/admin/"]
    for path in pages:
        resp = client.get(path)
        assert resp.status_code == 200, path
        html = resp.get_data(as_text=True)
        for value in (MARKER, "45+", "测试问题"):  # ("其他" is an ordinary word on these pages)
            assert value not in html, (path, value)

    answer = Answer.create(interview=report.interview, question=report.interview.application.job.ordered_questions()[0],
                           media_key="answers/test/x.webm", status="analysed", attempt=1,
                           transcript={"text": "我负责支付系统", "segments": []}, features={})
    scored = answer_analysis.score(answer.id)   # the real scorer, on what answer_analysis.score hands it:
    given = (scored.transcript, scored.features, scored.video, answer_analysis.scoring_inputs(scored),
             job_profile(scored.question.job_id))
    assert scored.scores is not None
    assert not re.search(f"{MARKER}|45\\+|self_id|SelfIdentification", repr(given) + repr(scored.scores))
    assert MARKER not in repr(answer_analysis.scoring_inputs(answer))
    assert not hasattr(Application.get_by_id(app_id), "selfidentification_set")


def test_only_the_analytics_package_reads_the_self_id_table():
    """SelfIdentification is read by the form and the rollup (which copies it for impact.py) and deleted by the
    erasure of a candidate's data; the copied columns of ApplicationFact are read only by impact.py and
    calibration's impact check."""
    readers = set()
    for path in (ROOT / "app").rglob("*.py"):
        if "migrations" in path.parts:
            continue  # the frozen copies of the tables in migration steps are schema, not readers
        if re.search(r"SelfIdentification|self_id\b", path.read_text(encoding="utf-8")):
            readers.add(str(path.relative_to(ROOT)))
    allowed = {"app/analytics/models.py", "app/analytics/self_id.py", "app/analytics/candidate_views.py",
               "app/analytics/rollup.py", "app/analytics/demo.py", "app/analytics/personal_data.py", "app/__init__.py"}
    assert readers <= allowed, readers - allowed
    copy_readers = {str(p.relative_to(ROOT)) for p in (ROOT / "app").rglob("*.py")
                    if re.search(r"\.gender\b|\.age_band\b", p.read_text(encoding="utf-8"))}
    assert copy_readers <= {"app/analytics/models.py", "app/analytics/self_id.py", "app/analytics/impact.py",
                            "app/analytics/calibration.py", "app/analytics/rollup.py"}, copy_readers
    for template in (ROOT / "app/templates").rglob("*.html"):
        if "self_id" in template.read_text(encoding="utf-8"):
            assert template.parts[-2] in ("analytics", "conversation"), template
    assert Path(ROOT / "app/templates/analytics/_self_id_link.html").exists()
