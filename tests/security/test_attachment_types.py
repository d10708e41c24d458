"""A text attachment is plain text: markup a browser would run or render is refused wherever it sits in the file
(issue 20: `<html>`, `<script>` and an SVG behind a comment were accepted as text/plain)."""
import pytest

from app.conversation.models import Attachment
from tests.conversation.helpers import invite, upload

MARKUP = {
    "html after a first line": b"my notes\n<html><body><script>alert(1)</script></body></html>",
    "script after a first line": "项目说明\n<script>fetch('/m/')</script>".encode(),
    "svg behind a comment": b'<!-- resume --><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    "svg after a byte-order mark": '\ufeff<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>'.encode(),
    "an event handler on any tag": b"hello <div onmouseover=alert(1)>x</div>",
    "a doctype": b"\n\n  <!DOCTYPE html><p>hi</p>",
    "markup after the first 4096 bytes": b"a" * 5000 + b"<iframe src=//evil.example>",
    "markup split across the reader's chunks": b"x" * (1024 * 1024 - 3) + b"<script>alert(1)</script>",
}


@pytest.mark.parametrize("name", list(MARKUP))
def test_text_with_markup_is_refused(app, client, demo_job, name):
    _, token = invite(demo_job)
    res = upload(client, token, "notes.txt", MARKUP[name])
    assert res.status_code == 422, name
    error = res.get_json()["error"]
    assert error["code"] == "attachment_type_refused" and "网页代码" in error["message"]
    assert Attachment.select().count() == 0


def test_plain_text_with_angle_brackets_in_prose_is_still_text(app, client, demo_job):
    _, token = invite(demo_job)
    text = "自我介绍\n成绩:数学 95 分(满分 100),排名 <前 5%>,邮箱 <li.ming@example.com>,3 < 5 且 7 > 2。\n".encode()
    res = upload(client, token, "自我介绍.txt", text * 400)
    assert res.status_code == 201 and res.get_json()["attachment"]["mime_type"] == "text/plain"
