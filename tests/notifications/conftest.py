"""The app on SQLite and PostgreSQL wired to the sandbox's SMS (and WeCom) and to a local SMTP server with STARTTLS."""
import datetime as dt
import ipaddress
import ssl

import pytest
from aiosmtpd.controller import Controller
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from app.core.db import database
from tests.support.app import make_app
from tests.support.servers import free_port
from tests.support.wecom import CORP, start_sandbox

BASE = "http://testserver"


def quiet_hours_away_from_now():
    """SMS_QUIET_HOURS that do not cover the next hour (China time), so a test's sends are never held at night."""
    now = dt.datetime.now(dt.timezone(dt.timedelta(hours=8)))
    start, end = now + dt.timedelta(hours=2), now + dt.timedelta(hours=3)
    return f"{start:%H:%M}-{end:%H:%M}"


def self_signed(tmp_path):
    """A certificate for 127.0.0.1 and its key, as files; returns (cert_path, key_path)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = tmp_path / "smtp-cert.pem", tmp_path / "smtp-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


class Mailbox:
    """aiosmtpd handler: keeps every message with whether it came over TLS."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append({"to": envelope.rcpt_tos, "data": envelope.content, "tls": session.ssl is not None})
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("nobody@"):
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def smtp_server(tmp_path):
    """A local SMTP server that requires STARTTLS (self-signed certificate); yields (mailbox, settings)."""
    cert, key = self_signed(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True)
    controller.start()
    try:
        yield mailbox, {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": port, "SMTP_FROM": "招聘 <jobs@example.com>",
                        "SMTP_STARTTLS": True, "SMTP_CA_FILE": str(cert), "SMTP_USER": "", "SMTP_PASSWORD": "",
                        "SMTP_TIMEOUT": 10.0}
    finally:
        controller.stop()


def _app_and_sandbox(db, tmp_path, smtp_server, sms, **box_overrides):
    """(app, sandbox, mailbox) with the app's SMS settings `sms(box)`; closes the sandbox afterwards."""
    mailbox, smtp = smtp_server
    box = start_sandbox(tmp_path, sms_link_base=BASE, **box_overrides)
    app = make_app(tmp_path, db=db, SMS_QUIET_HOURS=quiet_hours_away_from_now(),
                   WECOM_API_BASE=f"{box.url}/cgi-bin/", WECOM_SANDBOX=True, **sms(box), **CORP, **smtp)
    try:
        with app.app_context(), database.connection_context():
            yield app, box, mailbox
    finally:
        box.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def notify_env(request, tmp_path, redis_conn, smtp_server):
    """(app, sandbox, mailbox): the app on SQLite or PostgreSQL, its SMS (Tencent) and WeCom going to the sandbox
    (over HTTP, signatures checked), its email to the local SMTP server."""
    yield from _app_and_sandbox(request.param, tmp_path, smtp_server,
                                lambda box: {"SMS_PROVIDER": "tencent", "SMS_ENDPOINT": box.url})


@pytest.fixture(params=["sqlite", "postgresql"])
def aliyun_env(request, tmp_path, redis_conn, smtp_server):
    """The same with SMS_PROVIDER=aliyun (the sandbox's /aliyun-sms/); the sandbox allows 1 notice per template and
    number in 24 h (Aliyun's default is 50) so a second one meets Aliyun's limit."""
    yield from _app_and_sandbox(request.param, tmp_path, smtp_server,
                                lambda box: {"SMS_PROVIDER": "aliyun", "ALIYUN_SMS_ENDPOINT": f"{box.url}/aliyun-sms"},
                                aliyun_notices_per_day=1)
