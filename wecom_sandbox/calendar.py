"""Schedules (oa/schedule/add|update|del), meetings (meeting/create|get_info|update|cancel) and user/create,
with the limits the docs state (document/path/93703, 97454, 90331; see docs/wecom-sandbox.md):

- schedule: attendees are members, at most 1000; admins at most 3; summary ≤ 128, description ≤ 1000, location ≤ 128
  characters; start before end; reminders.remind_before_event_secs one of 0/300/900/3600/86400; at most
  SCHEDULES_PER_DAY per app per day; the removed `organizer` field is refused (wechatpy 1.8.18 still sends it).
- meeting: admin and invitees are members; title 1-20 characters; duration 300-86,399 s; start in the future.
- user/create: userid 1-64 of [0-9A-Za-z_-@.], unique (60102); name 1-64; department required; mobile or email
  required; mobile a mainland number's 11 digits or "+<country code> <number>" with one space (the documented
  example "+86 13800000000"), else 60103 (手机号码不合法); mobile unique (60104), "+86 138…" and "138…" being one.
The errcodes WeCom uses for each schedule/meeting rule are not all documented: like the card rules, the sandbox
answers 40058 with an errmsg naming the rule.
"""
import datetime as dt
import re
import secrets
import time

from flask import Blueprint, current_app, render_template

from wecom_sandbox import api
from wecom_sandbox.store import dumps, loads
from wecom_sandbox.validate import INVALID_PARAM

bp = Blueprint("calendar", __name__)  # the candidate's meeting page, the calendar API, the cn_time filter

SCHEMA = """
CREATE TABLE IF NOT EXISTS schedules (schedule_id TEXT PRIMARY KEY, agent_id INTEGER, body TEXT, attendees TEXT,
    start_time INTEGER, end_time INTEGER, status TEXT, created_at REAL, updated_at REAL);
CREATE TABLE IF NOT EXISTS meetings (meetingid TEXT PRIMARY KEY, admin TEXT, title TEXT, start INTEGER,
    duration INTEGER, invitees TEXT, code TEXT, status TEXT, created_at REAL, updated_at REAL);
"""
SCHEDULES_PER_DAY = 10000
MAX_ATTENDEES = 1000
REMIND_VALUES = (0, 300, 900, 3600, 86400)
USERID_RE = re.compile(r"^[0-9A-Za-z_\-@.]{1,64}$")
MOBILE_RE = re.compile(r"^(?:\+86 )?1[0-9]{10}$|^\+(?!86 )[1-9][0-9]{0,2} [0-9]{4,14}$")


def store():
    return current_app.extensions["sandbox_store"]


def ensure_schema(store_):
    with store_.connect() as db:
        db.executescript(SCHEMA)
        if "mobile" not in {r[1] for r in db.execute("PRAGMA table_info(users)")}:
            db.execute("ALTER TABLE users ADD COLUMN mobile TEXT DEFAULT ''")


def _need(cond, message, errcode=INVALID_PARAM):
    if not cond:
        raise api.ApiError(errcode, message)


def _known(userids):
    return [u for u in userids if store().user(u)]


def _check_schedule(body, partial=False):
    _need(isinstance(body, dict), "schedule is required")
    _need("organizer" not in body, "schedule.organizer is no longer supported")
    start, end = body.get("start_time"), body.get("end_time")
    _need(isinstance(start, int) and isinstance(end, int), "start_time and end_time must be integers")
    _need(start < end, "start_time must be before end_time")
    attendees = [a.get("userid") for a in body.get("attendees") or [] if isinstance(a, dict)]
    _need(len(attendees) <= MAX_ATTENDEES, f"attendees allows at most {MAX_ATTENDEES} members")
    unknown = [u for u in attendees if not store().user(u or "")]
    _need(not unknown, f"attendees has unknown userids {unknown}", 60111)
    _need(len(body.get("admins") or []) <= 3, "admins allows at most 3 members")
    for name, limit in (("summary", 128), ("description", 1000), ("location", 128)):
        value = body.get(name) or ""
        _need(isinstance(value, str) and len(value) <= limit, f"{name} exceeds {limit} characters")
    reminders = body.get("reminders") or {}
    if reminders.get("is_remind"):
        _need(reminders.get("remind_before_event_secs", 0) in REMIND_VALUES,
              f"reminders.remind_before_event_secs must be one of {REMIND_VALUES}")
    return attendees


@api.bp.post("/oa/schedule/add")
def schedule_add():
    data = api._body()
    # agentid is optional here (the docs: only old third-party suites must give it); if given it must be ours.
    agent_id = api._agent(data) if "agentid" in data else int(api.cfg()["agent_id"])
    body = data.get("schedule")
    attendees = _check_schedule(body)
    with store().lock:
        today = store().one("SELECT COUNT(*) AS n FROM schedules WHERE agent_id = ? AND created_at > ?", agent_id,
                            time.time() - 24 * 3600)["n"]
        _need(today < SCHEDULES_PER_DAY, f"at most {SCHEDULES_PER_DAY} schedules per app per day", 45009)
        schedule_id = "sch" + secrets.token_hex(12)
        store().run("INSERT INTO schedules VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?)", schedule_id, agent_id,
                    dumps(body), dumps(attendees), body["start_time"], body["end_time"], time.time(), time.time())
    return api.ok(schedule_id=schedule_id)


@api.bp.post("/oa/schedule/update")
def schedule_update():
    body = api._body().get("schedule") or {}
    row = store().one("SELECT * FROM schedules WHERE schedule_id = ?", body.get("schedule_id") or "")
    _need(row is not None and row["status"] == "active", "schedule_id not found")
    attendees = _check_schedule(body)
    store().run("UPDATE schedules SET body = ?, attendees = ?, start_time = ?, end_time = ?, updated_at = ? "
                "WHERE schedule_id = ?", dumps(body), dumps(attendees), body["start_time"], body["end_time"],
                time.time(), row["schedule_id"])
    return api.ok()


@api.bp.post("/oa/schedule/del")
def schedule_del():
    schedule_id = api._body().get("schedule_id") or ""
    row = store().one("SELECT * FROM schedules WHERE schedule_id = ?", schedule_id)
    _need(row is not None and row["status"] == "active", "schedule_id not found")
    store().run("UPDATE schedules SET status = 'cancelled', updated_at = ? WHERE schedule_id = ?", time.time(),
                schedule_id)
    return api.ok()


def _check_meeting_time(start, duration):
    _need(isinstance(start, int) and start > time.time(), "meeting_start must be a future Unix time")
    _need(isinstance(duration, int) and 300 <= duration <= 86399, "meeting_duration must be 300 to 86399 seconds")


@api.bp.post("/meeting/create")
def meeting_create():
    data = api._body()
    api._agent(data)
    admin = data.get("admin_userid") or ""
    _need(store().user(admin), "invalid admin_userid", 60111)
    title = data.get("title") or ""
    _need(isinstance(title, str) and 1 <= len(title) <= 20, "title needs 1 to 20 characters")
    _check_meeting_time(data.get("meeting_start"), data.get("meeting_duration"))
    invitees = (data.get("invitees") or {}).get("userid") or []
    unknown = [u for u in invitees if not store().user(u or "")]
    _need(not unknown, f"invitees has unknown userids {unknown} (invitees are members)", 60111)
    meetingid = "mt" + secrets.token_hex(10)
    code = f"{secrets.randbelow(10**9):09d}"
    store().run("INSERT INTO meetings VALUES (?, ?, ?, ?, ?, ?, ?, 'scheduled', ?, ?)", meetingid, admin, title,
                data["meeting_start"], data["meeting_duration"], dumps(invitees), code, time.time(), time.time())
    return api.ok(meetingid=meetingid, excess_users=[])


def _meeting(meetingid):
    row = store().one("SELECT * FROM meetings WHERE meetingid = ?", meetingid or "")
    _need(row is not None, "meetingid not found")
    return row


def meeting_link(row):
    return f"{current_app.config['SANDBOX'].get('public_url') or _root()}/meeting/{row['code']}"


def _root():
    from flask import request
    return request.host_url.rstrip("/")


@api.bp.post("/meeting/get_info")
def meeting_get_info():
    row = _meeting(api._body().get("meetingid"))
    return api.ok(meetingid=row["meetingid"], admin_userid=row["admin"], title=row["title"],
                  meeting_start=row["start"], meeting_duration=row["duration"], meeting_code=row["code"],
                  meeting_link=meeting_link(row), status={"scheduled": 1, "cancelled": 4}.get(row["status"], 1),
                  invitees={"userid": loads(row["invitees"], [])})


@api.bp.post("/meeting/update")
def meeting_update():
    data = api._body()
    row = _meeting(data.get("meetingid"))
    _need(row["status"] == "scheduled", "the meeting was cancelled")
    _check_meeting_time(data.get("meeting_start"), data.get("meeting_duration"))
    store().run("UPDATE meetings SET start = ?, duration = ?, updated_at = ? WHERE meetingid = ?",
                data["meeting_start"], data["meeting_duration"], time.time(), row["meetingid"])
    return api.ok()


@api.bp.post("/meeting/cancel")
def meeting_cancel():
    row = _meeting(api._body().get("meetingid"))
    store().run("UPDATE meetings SET status = 'cancelled', updated_at = ? WHERE meetingid = ?", time.time(),
                row["meetingid"])
    return api.ok()


@api.bp.post("/user/create")
def user_create():
    api.require_contacts_token()
    data = api._body()
    userid, name = data.get("userid") or "", data.get("name") or ""
    _need(isinstance(userid, str) and USERID_RE.match(userid), "userid needs 1-64 of 0-9 A-Z a-z _ - @ .")
    _need(isinstance(name, str) and 1 <= len(name) <= 64, "name needs 1 to 64 characters")
    _need(isinstance(data.get("department"), list) and data["department"], "department is required")
    mobile = data.get("mobile") or ""
    _need(mobile or data.get("email"), "mobile or email is required")
    _need(not mobile or (isinstance(mobile, str) and MOBILE_RE.match(mobile)),
          'mobile invalid: 11 digits, or "+<country code> <number>"', 60103)
    with store().lock:
        _need(store().user(userid) is None, "userid existed", 60102)
        if mobile:
            taken = {_same_number(row["mobile"]) for row in store().all("SELECT mobile FROM users WHERE mobile != ''")}
            _need(_same_number(mobile) not in taken, "mobile existed", 60104)
        store().run("INSERT INTO users (userid, name, role, mobile) VALUES (?, ?, 'member', ?)", userid, name,
                    data.get("mobile") or "")
    return api.ok(created_userid=userid)


def _same_number(mobile):
    return mobile.removeprefix("+86 ")


@bp.get("/sandbox/api/members/<userid>")
def api_member(userid):
    """A member as the sandbox stores it, with the mobile user/create was given (for tests and the demo)."""
    user = store().user(userid)
    if user is None:
        return {"error": "no such member"}, 404
    return {"userid": user["userid"], "name": user["name"], "mobile": user["mobile"]}


# -- what a member sees on the phone page, and the candidate's meeting page --------------------------------
CN = dt.timezone(dt.timedelta(hours=8))


@bp.app_template_filter("cn_time")
def cn_time(unix_seconds, fmt="%m-%d %H:%M"):
    """A Unix time as the WeCom client shows it to a member in China (UTC+8), whatever the server's zone."""
    return dt.datetime.fromtimestamp(unix_seconds, CN).strftime(fmt)

def for_user(userid):
    """The member's schedules and meeting invitations, soonest first."""
    schedules = [dict(r, body=loads(r["body"], {})) for r in store().all(
        "SELECT * FROM schedules WHERE attendees LIKE ? ORDER BY start_time", f'%"{userid}"%')]
    meetings = [dict(r, link=meeting_link(r)) for r in store().all(
        "SELECT * FROM meetings WHERE invitees LIKE ? OR admin = ? ORDER BY start", f'%"{userid}"%', userid)]
    return {"schedules": [s for s in schedules if userid in loads(s["attendees"], [])], "meetings": meetings}


@bp.get("/meeting/<code>")
def meeting_page(code):
    row = store().one("SELECT * FROM meetings WHERE code = ?", code)
    return render_template("sandbox/meeting.html", meeting=row, time=time), (200 if row else 404)


@bp.get("/sandbox/api/calendar/<userid>")
def api_calendar(userid):
    return {"schedules": for_user(userid)["schedules"], "meetings": for_user(userid)["meetings"]}
