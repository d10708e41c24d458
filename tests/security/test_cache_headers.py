"""Pages, JSON answers and files about a person are never kept by a browser's disk cache or a proxy: every Flask
response that is not explicitly public says `Cache-Control: private, no-store` (static files, served by WhiteNoise
before Flask, keep their own long cache). Before, a candidate's status page, the interview API, the staff
application and report pages carried no Cache-Control at all, and recordings, resumes and attachments only
`no-cache` (which lets a shared cache keep a copy)."""
import pytest

from app.screening import intake
from tests.privacy.helpers import candidate_with_data, candidate_with_domain_data
from tests.security.helpers import auth
from tests.support.reports import sign_in_as


def _private(res):
    value = res.headers.get("Cache-Control", "")
    return "no-store" in value and "private" in value and "public" not in value


@pytest.fixture
def liming(demo_job):
    return candidate_with_data(demo_job, "李明", "13800001234", "LIMING")


def test_a_candidates_pages_and_api_answers_are_not_cached(client, liming):
    token = liming.token
    for url in (f"/i/{token}/status", f"/i/{token}/self-id", f"/i/{token}/my-data.json"):
        res = client.get(url)
        assert res.status_code == 200, url
        assert _private(res), (url, res.headers.get("Cache-Control"))
    for url in ("/mp/api/v1/status", "/mp/api/v1/conversation"):
        res = client.get(url, headers=auth(token))
        assert res.status_code == 200, url
        assert _private(res), (url, res.headers.get("Cache-Control"))
    res = client.get(f"/i/{token}/attachments/{liming.attachment.id}")
    assert res.status_code == 200 and _private(res), res.headers.get("Cache-Control")


def test_staff_pages_recordings_and_files_are_not_cached(client, liming):
    sign_in_as(client, "zhangwei")
    app_id = liming.application_id
    for url in (f"/m/applications/{app_id}", f"/m/reports/{liming.report.id}", f"/m/reports/media/{liming.answer.id}",
                f"/m/reports/media/{liming.answer.id}/poster.jpg", f"/m/applications/{app_id}/attachments/"
                f"{liming.attachment.id}", "/m/"):
        res = client.get(url)
        assert res.status_code == 200, url
        assert _private(res), (url, res.headers.get("Cache-Control"))
    ranged = client.get(f"/m/reports/media/{liming.answer.id}", headers={"Range": "bytes=0-1"})
    assert ranged.status_code == 206 and _private(ranged)


def test_the_resume_file_is_not_cached(client, demo_job):
    import datetime as dt

    from app.core.base import utcnow
    link = intake.create_link(demo_job.id, "wechat_group", "hr_lina")
    data = candidate_with_domain_data(demo_job, link, "王芳", "13900005678", "WANGFANG",
                                      booked_at=utcnow() + dt.timedelta(days=2))
    sign_in_as(client, "hr_lina")
    res = client.get(f"/m/applications/{data.application_id}/resume")
    assert res.status_code == 200
    assert _private(res), res.headers.get("Cache-Control")
