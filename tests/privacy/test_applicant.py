"""An applicant who was never invited (only the posting's link, /p/applied/<token>) has the same rights as an
interviewed candidate: their page offers the export and the deletion request, both open with that link and only
for that application, and once the deletion is done the link says so and nothing else."""
from app.core.access_log import AccessLog
from app.core.models import Application, Candidate
from app.core.storage import get_storage
from app.privacy import deletion
from app.privacy.models import DeletionRequest
from app.screening import intake
from app.screening.models import Intake, Resume
from tests.support.funnel import pdf_resume, run_workers
from tests.support.reports import sign_in_as


def _apply(link, name, phone):
    application, token, _ = intake.apply(link.code, name, phone, pdf_resume(name=name, phone=phone), "cv.pdf",
                                         {"q1": "能"})
    return application, token


def test_the_applicants_page_offers_their_data(client, link, redis_conn):
    application, token = _apply(link, "张伟", "13800001234")
    _apply(link, "王芳", "13900005678")
    run_workers(redis_conn)
    page = client.get(f"/p/applied/{token}").get_data(as_text=True)
    assert "我的数据 My data" in page
    for href in (f"/i/{token}/my-data.json", f"/i/{token}/my-data.html", f"/i/{token}/my-data/delete"):
        assert href in page

    res = client.get(f"/i/{token}/my-data.json")
    assert res.status_code == 200 and res.headers["Content-Disposition"].startswith("attachment;")
    data = res.get_json()
    assert data["candidate"]["name"] == "张伟" and data["candidate"]["phone"] == "13800001234"
    [mine] = data["applications"]
    assert mine["id"] == application.id
    assert "王芳" not in res.get_data(as_text=True) and "13900005678" not in res.get_data(as_text=True)
    assert {s["key"] for s in mine["sections"]} >= {"intake", "resume", "screening"}
    html = client.get(f"/i/{token}/my-data.html")
    assert html.status_code == 200 and "张伟" in html.get_data(as_text=True)
    logged = AccessLog.select().where((AccessLog.candidate == application.candidate_id)
                                      & (AccessLog.actor == "candidate"))
    assert {row.action for row in logged} == {"export_json", "export_html"}


def test_an_unknown_link_opens_nothing(client, link):
    _apply(link, "张伟", "13800001234")
    for path in ("/i/not-a-token/my-data.json", "/i/not-a-token/my-data/delete"):
        res = client.get(path)
        assert res.status_code == 404 and "链接无效" in res.get_data(as_text=True)
    assert client.post("/i/not-a-token/my-data/delete").status_code == 404
    assert not DeletionRequest.select().exists()


def test_the_applicant_asks_for_deletion_and_the_link_then_says_it_is_done(client, link, redis_conn):
    application, token = _apply(link, "张伟", "13800001234")
    other, other_token = _apply(link, "王芳", "13900005678")
    run_workers(redis_conn)
    confirm = client.get(f"/i/{token}/my-data/delete").get_data(as_text=True)
    assert "申请删除" in confirm and f'href="/p/applied/{token}#my-data"' in confirm   # the way back is their page

    res = client.post(f"/i/{token}/my-data/delete")
    assert res.status_code == 302 and res.headers["Location"].endswith(f"/p/applied/{token}#my-data")
    request = DeletionRequest.get()
    assert (request.candidate_id, request.application_id, request.requested_by) == (
        application.candidate_id, application.id, "candidate")
    page = client.get(f"/p/applied/{token}").get_data(as_text=True)
    assert 'data-status="pending"' in page and "HR 将在" in page

    sign_in_as(client, "hr_lina")
    client.post(f"/admin/privacy/requests/{request.id}/confirm", data={"confirm": "yes"})
    resume_key = Resume.get(Resume.application == application.id).file_key
    deletion.execute_deletion(request.id)
    assert not get_storage().exists(resume_key)
    assert not Resume.select().where(Resume.application == application.id).exists()
    assert Candidate.get_by_id(application.candidate_id).phone == ""
    assert Application.get_by_id(application.id).stage == "withdrawn"
    assert Intake.get(Intake.application == other.id).answers   # the other applicant keeps everything
    assert Resume.select().where(Resume.application == other.id).exists()

    page = client.get(f"/p/applied/{token}").get_data(as_text=True)
    assert 'data-testid="deleted-state"' in page and "你的数据已按你的要求删除" in page
    assert "张伟" not in page and "我的数据 My data" not in page
    assert client.get(f"/i/{token}/my-data/delete").headers["Location"].endswith(f"/p/applied/{token}#my-data")
    assert "我的数据 My data" in client.get(f"/p/applied/{other_token}").get_data(as_text=True)
