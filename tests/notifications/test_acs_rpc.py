"""The Aliyun RPC signer reproduces the worked SendSms example of Aliyun's 短信服务 "签名机制" document
(help.aliyun.com/document_detail/101343.htm: AccessKeyId testId, AccessKeySecret testSecret)."""
import datetime as dt

from app.notifications.providers import acs_rpc

PARAMS = {"SignatureMethod": "HMAC-SHA1", "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
          "AccessKeyId": "testId", "SignatureVersion": "1.0", "Timestamp": "2017-07-12T02:42:19Z", "Format": "XML",
          "Action": "SendSms", "Version": "2017-05-25", "RegionId": "cn-hangzhou", "PhoneNumbers": "15300000001",
          "SignName": "阿里云短信测试专用", "TemplateParam": '{"customer":"test"}', "TemplateCode": "SMS_71390007",
          "OutId": "123"}
STRING_TO_SIGN = (
    "GET&%2F&AccessKeyId%3DtestId%26Action%3DSendSms%26Format%3DXML%26OutId%3D123%26PhoneNumbers%3D15300000001"
    "%26RegionId%3Dcn-hangzhou%26SignName%3D%25E9%2598%25BF%25E9%2587%258C%25E4%25BA%2591%25E7%259F%25AD%25E4%25BF"
    "%25A1%25E6%25B5%258B%25E8%25AF%2595%25E4%25B8%2593%25E7%2594%25A8%26SignatureMethod%3DHMAC-SHA1"
    "%26SignatureNonce%3D45e25e9b-0a6f-4070-8c85-2956eda1b466%26SignatureVersion%3D1.0%26TemplateCode%3DSMS_71390007"
    "%26TemplateParam%3D%257B%2522customer%2522%253A%2522test%2522%257D%26Timestamp%3D2017-07-12T02%253A42%253A19Z"
    "%26Version%3D2017-05-25")


def test_string_to_sign_matches_the_document():
    assert acs_rpc.string_to_sign("GET", PARAMS) == STRING_TO_SIGN


def test_signature_matches_the_document():
    # The document's request carries Signature=zJDF%2BLrzhj%2FThnlvIToysFRq6t4%3D.
    assert acs_rpc.signature("testSecret", "GET", PARAMS) == "zJDF+Lrzhj/ThnlvIToysFRq6t4="
    assert acs_rpc.encode("zJDF+Lrzhj/ThnlvIToysFRq6t4=") == "zJDF%2BLrzhj%2FThnlvIToysFRq6t4%3D"


def test_signed_adds_the_common_parameters_and_a_signature_over_them():
    when = dt.datetime(2017, 7, 12, 2, 42, 19, tzinfo=dt.UTC)
    params = {k: PARAMS[k] for k in ("RegionId", "PhoneNumbers", "SignName", "TemplateParam", "TemplateCode",
                                     "OutId")}
    full = acs_rpc.signed("testId", "testSecret", "SendSms", "2017-05-25", params, method="GET",
                          nonce=PARAMS["SignatureNonce"], when=when)
    assert full["Timestamp"] == "2017-07-12T02:42:19Z" and full["Format"] == "JSON"
    # Format differs from the document's (JSON, not XML), so the signature differs; with XML it is the document's.
    assert full["Signature"] != "zJDF+Lrzhj/ThnlvIToysFRq6t4="
    assert acs_rpc.signature("testSecret", "GET", {**full, "Format": "XML"}) == "zJDF+Lrzhj/ThnlvIToysFRq6t4="
