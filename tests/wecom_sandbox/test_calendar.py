"""The sandbox's schedules, meetings and user/create follow the documented limits, answer the fault switches,
and refuse what wechatpy 1.8.18's own schedule.add sends (the removed `organizer` field)."""
import time

import pytest
import requests
from wechatpy.enterprise import WeChatClient

from tests.support.wecom import CORP


class Api:
    def __init__(self, box, secret=CORP["WECOM_SECRET"]):
        self.box = box
        self.token = requests.get(f"{box.url}/cgi-bin/gettoken", params={
            "corpid": CORP["WECOM_CORP_ID"], "corpsecret": secret}, timeout=10).json()["access_token"]

    def post(self, endpoint, body):
        return requests.post(f"{self.box.url}/cgi-bin/{endpoint}", params={"access_token": self.token}, json=body,
                             timeout=10).json()


@pytest.fixture
def api(sandbox):
    return Api(sandbox)


def schedule(**changes):
    start = int(time.time()) + 86400
    body = {"start_time": start, "end_time": start + 3600, "attendees": [{"userid": "zhangwei"}],
            "summary": "复试", "reminders": {"is_remind": 1, "remind_before_event_secs": 3600}}
    body.update(changes)
    return {"schedule": body, "agentid": 1000002}


def test_schedule_rules(api, sandbox):
    added = api.post("oa/schedule/add", schedule())
    assert added["errcode"] == 0 and added["schedule_id"]
    refusals = {
        "organizer": schedule(organizer="zhangwei"),
        "before": schedule(end_time=int(time.time())),
        "unknown": schedule(attendees=[{"userid": "ghost"}]),
        "admins": schedule(admins=["a", "b", "c", "d"]),
        "summary": schedule(summary="长" * 129),
        "remind": schedule(reminders={"is_remind": 1, "remind_before_event_secs": 1234}),
    }
    answers = {name: api.post("oa/schedule/add", body) for name, body in refusals.items()}
    assert all(a["errcode"] != 0 for a in answers.values()), answers
    assert "organizer" in answers["organizer"]["errmsg"] and answers["unknown"]["errcode"] == 60111
    assert api.post("oa/schedule/add", {**schedule(), "agentid": 1})["errcode"] == 40056
    moved = schedule(start_time=int(time.time()) + 7200, end_time=int(time.time()) + 9000)
    moved["schedule"]["schedule_id"] = added["schedule_id"]
    assert api.post("oa/schedule/update", moved)["errcode"] == 0
    assert api.post("oa/schedule/del", {"schedule_id": added["schedule_id"]})["errcode"] == 0
    assert api.post("oa/schedule/del", {"schedule_id": added["schedule_id"]})["errcode"] != 0
    (row,) = sandbox.api("get", "/sandbox/api/calendar/zhangwei")["schedules"]
    assert row["status"] == "cancelled"


def test_wechatpys_own_schedule_add_is_refused_for_its_organizer_field(sandbox):
    client = WeChatClient(CORP["WECOM_CORP_ID"], CORP["WECOM_SECRET"])
    client.API_BASE_URL = sandbox.url + "/cgi-bin/"
    client._token = requests.get(f"{sandbox.url}/cgi-bin/gettoken", params={
        "corpid": CORP["WECOM_CORP_ID"], "corpsecret": CORP["WECOM_SECRET"]}, timeout=10).json()["access_token"]
    client.session.set(client.access_token_key, client._token, 7200)
    from wechatpy.exceptions import WeChatClientException
    with pytest.raises(WeChatClientException) as info:
        client.schedule.add(organizer="zhangwei", start_time=int(time.time()) + 3600,
                            end_time=int(time.time()) + 7200, attendees=["zhangwei"], summary="复试")
    assert "organizer" in str(info.value.errmsg)


def test_meeting_rules_and_link(api, sandbox):
    start = int(time.time()) + 3600
    ok = {"admin_userid": "zhangwei", "title": "复试 李明", "meeting_start": start, "meeting_duration": 3600,
          "invitees": {"userid": ["zhangwei", "wangfang"]}, "agentid": 1000002}
    created = api.post("meeting/create", ok)
    assert created["errcode"] == 0
    info = api.post("meeting/get_info", {"meetingid": created["meetingid"]})
    assert len(info["meeting_code"]) == 9 and info["meeting_link"].endswith("/meeting/" + info["meeting_code"])
    assert requests.get(info["meeting_link"], timeout=10).status_code == 200
    for change in ({"title": "长" * 21}, {"meeting_duration": 299}, {"meeting_duration": 86400},
                   {"meeting_start": int(time.time()) - 60}, {"invitees": {"userid": ["wmExternalCandidate"]}}):
        assert api.post("meeting/create", {**ok, **change})["errcode"] != 0, change
    assert api.post("meeting/cancel", {"meetingid": created["meetingid"]})["errcode"] == 0
    assert api.post("meeting/update", {"meetingid": created["meetingid"], "meeting_start": start,
                                       "meeting_duration": 3600})["errcode"] != 0


def test_user_create_rules(api, sandbox):
    body = {"userid": "liming", "name": "李明", "mobile": "13800001234", "department": [1]}
    assert api.post("user/create", body)["errcode"] == 48009          # the app's own secret may only read
    api = Api(sandbox, secret="sandbox-contact-secret")                 # 通讯录同步's secret writes
    assert api.post("user/create", body)["errcode"] == 0
    assert api.post("user/create", body)["errcode"] == 60102
    assert api.post("user/create", {**body, "userid": "liming2"})["errcode"] == 60104
    assert api.post("user/create", {**body, "userid": "x y"})["errcode"] != 0
    assert api.post("user/create", {"userid": "a1", "name": "甲", "department": [1]})["errcode"] != 0
    assert requests.get(f"{sandbox.url}/phone/liming", timeout=10).status_code == 200


@pytest.mark.parametrize("mobile", ["+442079460958", "+44-2079460958", "+44  2079460958", "44 2079460958",
                                    "1380000123", "138000012345", "+86 1380000123", "+0 2079460958",
                                    "+44 207946095x"])
def test_user_create_refuses_a_malformed_mobile_as_wecom_does(sandbox, mobile):
    """A mobile is a mainland number's 11 digits or "+<country code> <number>" with one space (the documented
    example "+86 13800000000"); anything else is 60103, as WeCom answers an invalid mobile."""
    api = Api(sandbox, secret="sandbox-contact-secret")
    answer = api.post("user/create", {"userid": "tom", "name": "Tom", "mobile": mobile, "department": [1]})
    assert answer["errcode"] == 60103, answer
    assert api.post("user/create", {"userid": "tom", "name": "Tom", "mobile": "+44 2079460958",
                                    "department": [1]})["errcode"] == 0
    assert requests.get(f"{sandbox.url}/sandbox/api/members/tom", timeout=10).json()["mobile"] == "+44 2079460958"


def test_user_create_counts_a_mainland_mobile_once_with_or_without_its_country_code(sandbox):
    api = Api(sandbox, secret="sandbox-contact-secret")
    body = {"userid": "liming", "name": "李明", "mobile": "+86 13800001234", "department": [1]}
    assert api.post("user/create", body)["errcode"] == 0
    assert api.post("user/create", {**body, "userid": "liming2", "mobile": "13800001234"})["errcode"] == 60104


def test_fault_switches_hit_the_new_endpoints(api, sandbox):
    sandbox.arm("45009", endpoint="oa/schedule/add")
    assert api.post("oa/schedule/add", schedule())["errcode"] == 45009
    assert api.post("oa/schedule/add", schedule())["errcode"] == 0
