"""TencentCloud API 3.0 request signing (TC3-HMAC-SHA256), written once instead of pulling in the SDK.

The algorithm (cloud.tencent.com "签名方法 v3"): CanonicalRequest = method, path, query, the signed headers as
"name:value\\n" (lower-case, sorted), their names joined by ";", and the SHA-256 of the body; StringToSign =
algorithm, timestamp, "date/service/tc3_request", SHA-256 of the CanonicalRequest; the key is derived by HMAC from
"TC3" + SecretKey over the UTC date, the service and "tc3_request". tests/notifications/test_tc3.py checks this
against the worked example Tencent publishes.
"""
import datetime as dt
import hashlib
import hmac

ALGORITHM = "TC3-HMAC-SHA256"
CONTENT_TYPE = "application/json; charset=utf-8"


def _hmac(key, message):
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).digest()


def utc_date(timestamp):
    return dt.datetime.fromtimestamp(int(timestamp), dt.UTC).strftime("%Y-%m-%d")


def canonical_request(method, path, query, headers, payload):
    """`headers`: {name: value} of the signed headers (both lower-cased and trimmed, as the algorithm says)."""
    headers = {name.lower(): value.strip().lower() for name, value in headers.items()}
    names = sorted(headers)
    canonical_headers = "".join(f"{name}:{headers[name]}\n" for name in names)
    body_hash = hashlib.sha256(payload if isinstance(payload, bytes) else payload.encode("utf-8")).hexdigest()
    return "\n".join([method, path, query, canonical_headers, ";".join(names), body_hash])


def signature(secret_key, service, timestamp, canonical):
    """The hex signature of a canonical request made at `timestamp` for `service`."""
    date = utc_date(timestamp)
    string_to_sign = "\n".join([ALGORITHM, str(int(timestamp)), f"{date}/{service}/tc3_request",
                                hashlib.sha256(canonical.encode("utf-8")).hexdigest()])
    key = _hmac(_hmac(_hmac(("TC3" + secret_key).encode("utf-8"), date), service), "tc3_request")
    return hmac.new(key, string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def authorization(secret_id, secret_key, service, timestamp, host, payload, path="/", content_type=CONTENT_TYPE):
    """The Authorization header of a POST of `payload` (JSON) to `host` signing content-type and host."""
    canonical = canonical_request("POST", path, "", {"content-type": content_type, "host": host}, payload)
    sig = signature(secret_key, service, timestamp, canonical)
    return (f"{ALGORITHM} Credential={secret_id}/{utc_date(timestamp)}/{service}/tc3_request, "
            f"SignedHeaders=content-type;host, Signature={sig}")
