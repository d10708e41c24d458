"""The candidate pages through the test client: steps, redirects, CSRF forms and friendly error pages."""
import datetime as dt

from app.interview.models import Interview
from tests.support.interviews import NAME, PHONE, face_data_url, invite, make_short_job


def test_walk_through_pages_with_redirects(client, app):
    job = make_short_job(questions=2)
    _, token = invite(job)
    res = client.get(f"/i/{token}")
    html = res.get_data(as_text=True)
    assert res.status_code == 200 and job.title in html and app.config["COMPANY_NAME"] in html
    assert "约 1 分钟" in html
    # Skipping ahead sends the candidate back to where they are.
    assert client.get(f"/i/{token}/question").headers["Location"].endswith(f"/i/{token}")
    assert "同意书版本" in client.get(f"/i/{token}/consent").get_data(as_text=True)
    res = client.post(f"/i/{token}/consent", data={"text_version": "2026-11-v1"})
    assert res.status_code == 200 and "需要同意录制" in res.get_data(as_text=True)
    res = client.post(f"/i/{token}/consent", data={"recording": "yes", "biometric": "yes",
                                                   "text_version": "2026-11-v1"})
    assert res.headers["Location"].endswith(f"/i/{token}/identity")
    assert client.get(f"/i/{token}").headers["Location"].endswith("/identity")
    page = client.get(f"/i/{token}/identity").get_data(as_text=True)
    assert 'id="face-take"' in page
    res = client.post(f"/i/{token}/identity", data={"name": NAME, "phone_last4": "0000"})
    assert "还可尝试 4 次" in res.get_data(as_text=True)
    res = client.post(f"/i/{token}/identity", data={"name": NAME, "phone_last4": PHONE[-4:],
                                                    "face_jpeg": face_data_url()})
    assert res.headers["Location"].endswith("/device")
    assert client.post(f"/i/{token}/device").status_code == 302
    page = client.get(f"/i/{token}/question").get_data(as_text=True)
    assert "第 1 / 2 题" in page and job.ordered_questions()[0].text in page


def test_identity_lockout_page(client, app):
    from app.core.extensions import settings
    settings["IDENTITY_MAX_ATTEMPTS"] = 2
    _, token = invite(make_short_job())
    client.post(f"/i/{token}/consent", data={"recording": "yes", "biometric": "no", "text_version": "2026-11-v1"})
    client.post(f"/i/{token}/identity", data={"name": "x", "phone_last4": "0000"})
    res = client.post(f"/i/{token}/identity", data={"name": "x", "phone_last4": "0000"})
    # Locked: the candidate lands on their status page, which says so and that HR was told (no 429 page).
    assert res.status_code == 302 and res.headers["Location"].endswith(f"/i/{token}/status")
    assert client.get(f"/i/{token}").headers["Location"].endswith(f"/i/{token}/status")
    status = client.get(f"/i/{token}/status").get_data(as_text=True)
    assert "我们已通知 HR" in status and "继续 AI 面试</a>" not in status


def test_the_audio_only_device_check_speaks_of_the_microphone_only(client, app):
    """Without biometric consent nothing films the candidate: the device check asked them to make sure they could
    see the picture, and to turn on the camera when the microphone was refused."""
    _, token = invite(make_short_job())
    client.post(f"/i/{token}/consent", data={"recording": "yes", "biometric": "no", "text_version": "2026-11-v1"})
    client.post(f"/i/{token}/identity", data={"name": NAME, "phone_last4": PHONE[-4:]})
    page = client.get(f"/i/{token}/device").get_data(as_text=True)
    assert "仅录音面试" in page and "听到声音" in page
    assert "画面" not in page and "相机" not in page and "camera" not in page


def test_unknown_and_expired_links_get_a_friendly_page(client, app):
    res = client.get("/i/nonsense-token")
    assert res.status_code == 404 and "链接无效" in res.get_data(as_text=True)
    interview, token = invite(make_short_job())
    Interview.update(expires_at=dt.datetime(2020, 1, 1)).where(Interview.id == interview.id).execute()
    res = client.get(f"/i/{token}/consent")
    assert res.status_code == 410 and "已过期" in res.get_data(as_text=True) and "Traceback" not in res.get_data(
        as_text=True)


def test_forms_need_csrf(tmp_path, redis_conn):
    from app.core.db import database
    from tests.support.app import make_app
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    with app.app_context(), database.connection_context():
        _, token = invite(make_short_job())
        client = app.test_client()
        res = client.post(f"/i/{token}/consent", data={"recording": "yes", "text_version": "2026-11-v1"})
        assert res.status_code == 400 and "页面已过期" in res.get_data(as_text=True)
        assert 'name="csrf_token"' in client.get(f"/i/{token}/consent").get_data(as_text=True)


def test_a_step_form_sent_again_by_the_page_lands_where_the_candidate_is_and_counts_once(client, app):
    """The page sends a step's form itself (header X-H5-Step, static/h5/common.js) and again when the answer was lost
    on the way: the redirect comes as JSON {location} for the page to open, a form sent twice counts once and lands
    on the step the candidate is at, and a refusal is the page again with its message (no JSON)."""
    from app.interview.models import ConsentRecord
    _, token = invite(make_short_job(questions=1))
    step = {"X-H5-Step": "1"}
    consent = {"recording": "yes", "biometric": "no", "text_version": "2026-11-v1"}
    records = []
    for _ in range(2):
        res = client.post(f"/i/{token}/consent", data=consent, headers=step)
        assert res.status_code == 200 and res.json["location"].endswith(f"/i/{token}/identity")
        records.append(ConsentRecord.select().count())
    assert records[0] == records[1] == 2  # recording and biometrics, once
    res = client.post(f"/i/{token}/identity", data={"name": NAME, "phone_last4": "0000"}, headers=step)
    assert res.status_code == 200 and res.json is None and "还可尝试 4 次" in res.get_data(as_text=True)
    for following in ("/device", "/device"):
        res = client.post(f"/i/{token}/identity", data={"name": NAME, "phone_last4": PHONE[-4:]}, headers=step)
        assert res.json["location"].endswith(following)
    for following in (f"/i/{token}", f"/i/{token}/question"):  # the landing page sends on to the question
        assert client.post(f"/i/{token}/device", headers=step).json["location"].endswith(following)
    interview = Interview.get()
    assert interview.identity_verified_at is not None and interview.device_checked_at is not None
    # Sent by the browser itself (no script): the redirect as before.
    assert client.post(f"/i/{token}/device").headers["Location"].endswith("/question")
