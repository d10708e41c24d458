"""Aliyun (Alibaba Cloud) RPC-style API request signing, signature version 1.0 (HMAC-SHA1), written once instead of
pulling in the SDK (see docs/notifications.md "Providers").

The algorithm (help.aliyun.com 短信服务 "签名机制", document 101343): every parameter but Signature, sorted by name,
each name and value percent-encoded by RFC 3986 (A-Z a-z 0-9 - _ . ~ kept, a space as %20, UTF-8 bytes as %XY) and
joined as name=value&...; StringToSign = method + "&" + encode("/") + "&" + encode(that query); the signature is
Base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign)). tests/notifications/test_acs_rpc.py checks this against the
worked SendSms example of that document.
"""
import base64
import datetime as dt
import hashlib
import hmac
import uuid
from urllib.parse import quote

SIGNATURE_METHOD = "HMAC-SHA1"
SIGNATURE_VERSION = "1.0"


def encode(value):
    """RFC 3986 percent-encoding as the algorithm wants it (nothing but A-Z a-z 0-9 - _ . ~ left as is)."""
    return quote(str(value), safe="-_.~")


def canonical_query(params):
    return "&".join(f"{encode(name)}={encode(params[name])}" for name in sorted(params) if name != "Signature")


def string_to_sign(method, params):
    return f"{method}&{encode('/')}&{encode(canonical_query(params))}"


def signature(secret, method, params):
    digest = hmac.new(f"{secret}&".encode(), string_to_sign(method, params).encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def timestamp(when=None):
    """ISO 8601 UTC, as the API wants it: 2017-07-12T02:42:19Z."""
    return (when or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")


def signed(access_key_id, secret, action, version, params, method="POST", nonce=None, when=None):
    """The request's parameters with the common ones (JSON answers, a fresh nonce) and Signature added."""
    full = {"AccessKeyId": access_key_id, "Action": action, "Format": "JSON", "SignatureMethod": SIGNATURE_METHOD,
            "SignatureNonce": nonce or uuid.uuid4().hex, "SignatureVersion": SIGNATURE_VERSION,
            "Timestamp": timestamp(when), "Version": version, **{k: str(v) for k, v in params.items()}}
    full["Signature"] = signature(secret, method, full)
    return full
