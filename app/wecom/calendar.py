"""Schedules (oa/schedule/*, document/path/93703) and WeCom meetings (meeting/*, document/path/97454).

wechatpy 1.8.18's `schedule.add` still sends the removed `organizer` field, so these call the API directly.
Attendees and invitees are members (userids); a candidate joins a meeting by its link.
"""
from app.wecom import get_client

# oa/schedule reminders.remind_before_event_secs accepts only these values.
REMIND_BEFORE = (0, 300, 900, 3600, 86400)
MEETING_TITLE_MAX = 20
MEETING_MIN_S, MEETING_MAX_S = 300, 86399


def _schedule(*, start, end, attendees, summary, description, location, remind_before, admins=()):
    body = {"start_time": int(start), "end_time": int(end), "is_whole_day": 0,
            "attendees": [{"userid": u} for u in attendees], "summary": summary[:128],
            "description": description[:1000], "location": location[:128],
            "reminders": {"is_remind": 1, "remind_before_event_secs": remind_before, "is_repeat": 0}}
    if admins:
        body["admins"] = list(admins)[:3]
    return body


def add_schedule(*, start, end, attendees, summary, description="", location="", remind_before=3600,
                 admins=(), client=None):
    """oa/schedule/add; `start`/`end` are Unix seconds; returns the schedule_id."""
    client = client or get_client()
    result = client.call("post", "oa/schedule/add", data={
        "schedule": _schedule(start=start, end=end, attendees=attendees, summary=summary, description=description,
                              location=location, remind_before=remind_before, admins=admins),
        "agentid": client.agent_id})
    return result["schedule_id"]


def update_schedule(schedule_id, *, start, end, attendees, summary, description="", location="",
                    remind_before=3600, client=None):
    """oa/schedule/update: the whole schedule again (a moved interview)."""
    client = client or get_client()
    body = _schedule(start=start, end=end, attendees=attendees, summary=summary, description=description,
                     location=location, remind_before=remind_before)
    body["schedule_id"] = schedule_id
    return client.call("post", "oa/schedule/update", data={"schedule": body})


def delete_schedule(schedule_id, client=None):
    client = client or get_client()
    return client.call("post", "oa/schedule/del", data={"schedule_id": schedule_id})


def create_meeting(*, admin_userid, title, start, duration_s, invitees, description="", client=None):
    """meeting/create; returns the meetingid (title at most 20 characters, 300 to 86,399 seconds)."""
    client = client or get_client()
    result = client.call("post", "meeting/create", data={
        "admin_userid": admin_userid, "title": title[:MEETING_TITLE_MAX], "meeting_start": int(start),
        "meeting_duration": max(MEETING_MIN_S, min(int(duration_s), MEETING_MAX_S)),
        "description": description[:300], "invitees": {"userid": list(invitees)}, "agentid": client.agent_id})
    return result["meetingid"]


def meeting_info(meetingid, client=None):
    """meeting/get_info: includes `meeting_code` and `meeting_link` (what the candidate opens)."""
    client = client or get_client()
    return client.call("post", "meeting/get_info", data={"meetingid": meetingid})


def update_meeting(meetingid, *, start, duration_s, client=None):
    client = client or get_client()
    return client.call("post", "meeting/update", data={
        "meetingid": meetingid, "meeting_start": int(start),
        "meeting_duration": max(MEETING_MIN_S, min(int(duration_s), MEETING_MAX_S))})


def cancel_meeting(meetingid, client=None):
    client = client or get_client()
    return client.call("post", "meeting/cancel", data={"meetingid": meetingid})
