"""The TC3-HMAC-SHA256 signer reproduces the worked example of Tencent's "签名方法 v3" document."""
from app.notifications.providers import tc3

# The document's example: DescribeInstances on cvm, timestamp 1551113065, SecretKey Gu5t9xGARNpq86cd98joQYCN3EXAMPLE.
PAYLOAD = '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}'
CANONICAL = ("POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\n"
             "content-type;host\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064")


def test_canonical_request_matches_the_document():
    headers = {"content-type": "application/json; charset=utf-8", "host": "cvm.tencentcloudapi.com"}
    assert tc3.canonical_request("POST", "/", "", headers, PAYLOAD) == CANONICAL


def test_signature_and_authorization_match_the_document():
    assert tc3.signature("Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", "cvm", 1551113065, CANONICAL) == (
        "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168")
    auth = tc3.authorization("AKIDEXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", "cvm", 1551113065,
                             "cvm.tencentcloudapi.com", PAYLOAD)
    assert auth == ("TC3-HMAC-SHA256 Credential=AKIDEXAMPLE/2019-02-25/cvm/tc3_request, "
                    "SignedHeaders=content-type;host, "
                    "Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168")
