"""The WeChat customer-service channel against the WeCom sandbox: the contact link carries the posting code as
scene_param, the resume file is read with kf/sync_msg + media/get, the candidate gets their status link back."""
import requests

from app.core.extensions import settings
from app.core.models import Application, WeComEvent
from app.screening import intake
from app.screening.job_templates import import_template
from app.screening.kf_intake import contact_url
from app.screening.models import Intake, Resume
from tests.support.funnel import backend_template, pdf_resume, run_workers

KFID = "wkjobs0000000001"


def customer(box, scene_param=None, file=None, user="wmcandidate01"):
    data = {"open_kfid": KFID, "external_userid": user}
    if scene_param is not None:
        data["scene_param"] = scene_param
    files = {"file": file} if file else None
    ids = requests.post(f"{box.url}/sandbox/api/kf/customer", data=data, files=files, timeout=10).json()["deliveries"]
    assert [d["status"] for d in box.wait_deliveries(ids)] == ["delivered"]


def sent_to(box, user="wmcandidate01"):
    return [m["body"] for m in requests.get(f"{box.url}/sandbox/api/kf/sent/{user}", timeout=10).json()["messages"]]


def test_resume_sent_in_kf_chat_becomes_an_application(wecom_env, redis_conn, monkeypatch):  # noqa: F811
    app, app_url, box = wecom_env
    monkeypatch.setitem(settings, "WECOM_KF_OPEN_KFID", KFID)
    job = import_template(backend_template())
    link = intake.create_link(job.id, "kf", "hr_lina")
    url = contact_url(link.code)
    assert url.startswith(f"{box.url}/kf/chat/{KFID}?scene=jobs") and url.endswith(f"scene_param={link.code}")

    customer(box, scene_param=link.code)                     # opening the link enters the session
    run_workers(redis_conn)
    customer(box, file=("简历.pdf", pdf_resume(name="王芳", phone="13711112222"), "application/pdf"))
    run_workers(redis_conn)                                  # kf event -> sync_msg -> media/get -> apply -> parse

    application = Application.get()
    assert (application.candidate.name, application.candidate.phone) == ("王芳", "13711112222")
    assert Intake.get(Intake.application == application.id).channel == "kf"
    assert Resume.get(Resume.application == application.id).status == "parsed"
    replies = sent_to(box)
    assert len(replies) == 1 and "已收到你的简历(王芳)" in replies[0] and f"{app_url}/p/applied/" in replies[0]
    token = replies[0].rsplit("/p/applied/", 1)[1]
    assert intake.find_intake(token).application_id == application.id
    assert WeComEvent.select().where(WeComEvent.event_type == "kf_msg_or_event").count() == 2

    customer(box, file=("photo.pdf", pdf_resume(name="王芳", phone="13711112222"), "application/pdf"))
    run_workers(redis_conn)                                  # the same person again: merged, not duplicated
    assert Application.select().count() == 1 and "已收到你的简历" in sent_to(box)[-1]


def test_kf_file_without_a_job_or_without_a_phone(wecom_env, redis_conn, monkeypatch):  # noqa: F811
    app, app_url, box = wecom_env
    monkeypatch.setitem(settings, "WECOM_KF_OPEN_KFID", KFID)
    job = import_template(backend_template())
    link = intake.create_link(job.id, "kf")
    customer(box, file=("cv.pdf", pdf_resume(), "application/pdf"), user="wmstranger")
    run_workers(redis_conn)
    assert "请先点击岗位页面上的" in sent_to(box, "wmstranger")[0]
    from bench import resume_samples
    no_phone = resume_samples.to_pdf(["个人简历", "求职意向 后端开发", "熟悉 Python 和 PostgreSQL,五年经验。"])
    customer(box, scene_param=link.code, file=("cv.pdf", no_phone, "application/pdf"))
    run_workers(redis_conn)
    reply = sent_to(box)[0]
    assert "没有读到姓名和手机号" in reply and f"/p/{link.code}" in reply
    customer(box, file=("cv.exe", b"MZ not a resume", "application/octet-stream"))
    run_workers(redis_conn)
    assert "仅支持 PDF" in sent_to(box)[-1] and Application.select().count() == 0


def test_kf_links_need_a_configured_account(app, job):
    import pytest

    from app.core.errors import BadRequest
    with pytest.raises(BadRequest) as info:
        intake.create_link(job.id, "kf")
    assert info.value.code == "kf_not_configured"
