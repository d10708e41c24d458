"""Email through SMTP with STARTTLS (smtplib): one message with a plain-text and an HTML part.

The server's certificate is verified (the system's CAs, or SMTP_CA_FILE); production refuses SMTP_STARTTLS=0.
A 5xx answer (unknown mailbox, refused sender) is permanent: the notice falls back to its next channel; a 4xx or a
lost connection is transient: the job retries.
"""
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid


class EmailRefused(Exception):
    """The server refused the message for good (5xx)."""


class EmailRetryableError(Exception):
    """The server or the network failed for now (4xx, timeout, connection lost)."""


def build_message(sender, to, subject, text, html):
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2].strip("> ") or None)
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


def send(settings, to, subject, text, html):
    """Send one message; returns its Message-ID."""
    message = build_message(settings["SMTP_FROM"], to, subject, text, html)
    try:
        with smtplib.SMTP(settings["SMTP_HOST"], settings["SMTP_PORT"], timeout=settings["SMTP_TIMEOUT"]) as smtp:
            smtp.ehlo()
            if settings["SMTP_STARTTLS"]:
                smtp.starttls(context=ssl.create_default_context(cafile=settings["SMTP_CA_FILE"] or None))
                smtp.ehlo()
            if settings["SMTP_USER"]:
                smtp.login(settings["SMTP_USER"], settings["SMTP_PASSWORD"])
            smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        if all(code >= 500 for code in codes):
            raise EmailRefused(f"收件地址被拒绝 ({codes[0]})") from exc
        raise EmailRetryableError(f"收件服务器暂时拒绝 ({codes[0]})") from exc
    except smtplib.SMTPResponseException as exc:
        if exc.smtp_code >= 500:
            raise EmailRefused(f"邮件服务器拒绝 ({exc.smtp_code})") from exc
        raise EmailRetryableError(f"邮件服务器暂时不可用 ({exc.smtp_code})") from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise EmailRetryableError(f"连接邮件服务器失败 ({exc.__class__.__name__})") from exc
    return message["Message-ID"]
