"""The posting's apply form is rate limited per client address and per phone number (issue 20, item 7).

Before the fix anyone could post applications (each with a resume to parse) as fast as they liked. A refused
application gets 429 and the posting page again, in Chinese, with what was typed still in the form.
"""
import io
import re

from app.core.models import Application
from tests.support.funnel import pdf_resume


def _settings(**values):
    from app.core.extensions import settings
    settings.update(values)


def _apply(client, link, name, phone, ip):
    return client.post(f"/p/{link.code}", data={
        "name": name, "phone": phone, "consent": "yes", "answer_q1": "能",
        "resume": (io.BytesIO(pdf_resume(name=name, phone=phone)), "cv.pdf")},
        content_type="multipart/form-data", environ_base={"REMOTE_ADDR": ip})


def _refused(res, name, phone):
    page = res.get_data(as_text=True)
    assert res.status_code == 429, res.status_code
    assert "提交太频繁" in page and f'value="{name}"' in page and f'value="{phone}"' in page
    assert re.search(r'value="能" required\s+checked', page)   # the knockout answer kept
    assert int(res.headers["Retry-After"]) > 0


def test_the_apply_form_is_limited_per_client_and_per_phone(client, link, redis_conn):
    _settings(RATE_LIMIT_APPLY="3 per minute", RATE_LIMIT_APPLY_PHONE="2 per hour")
    # Per phone: the same number from three addresses.
    for ip in ("10.0.0.1", "10.0.0.2"):
        assert _apply(client, link, "张伟", "13800001234", ip).status_code == 302
    _refused(_apply(client, link, "张伟", "+86 138 0000 1234", "10.0.0.3"), "张伟", "+86 138 0000 1234")
    assert Application.select().count() == 2

    # Per client address: three applications, then the fourth (another phone) is refused.
    for i in range(3):
        assert _apply(client, link, f"候选人{i}", f"1390000000{i}", "10.0.0.9").status_code == 302
    _refused(_apply(client, link, "李娜", "13900000009", "10.0.0.9"), "李娜", "13900000009")
    assert Application.select().count() == 5

    # Somebody else, elsewhere, still applies.
    assert _apply(client, link, "王芳", "13700000001", "10.0.0.10").status_code == 302
