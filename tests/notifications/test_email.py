"""Email through a local SMTP server that requires STARTTLS: the certificate is verified, a 5xx is permanent."""
import pytest

from app.notifications.providers import smtp_email


def test_the_message_goes_over_tls_with_both_parts(smtp_server):
    mailbox, settings = smtp_server
    message_id = smtp_email.send(settings, "liming@example.com", "「后端开发工程师」AI面试邀请", "文本 http://x/i/1",
                                 "<p>网页 <a href=\"http://x/i/1\">开始</a></p>")
    [mail] = mailbox.messages
    assert mail["tls"] and mail["to"] == ["liming@example.com"]
    assert message_id.encode() in mail["data"] and b"multipart/alternative" in mail["data"]


def test_a_refused_mailbox_is_permanent(smtp_server):
    mailbox, settings = smtp_server
    with pytest.raises(smtp_email.EmailRefused) as info:
        smtp_email.send(settings, "nobody@example.com", "主题", "文本", "<p>网页</p>")
    assert "550" in str(info.value) and mailbox.messages == []


def test_an_untrusted_certificate_is_not_accepted(smtp_server):
    mailbox, settings = smtp_server
    with pytest.raises(smtp_email.EmailRetryableError):
        smtp_email.send({**settings, "SMTP_CA_FILE": ""}, "liming@example.com", "主题", "文本", "<p>网页</p>")
    assert mailbox.messages == []
