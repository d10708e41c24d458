"""Applying through WeChat customer service (微信客服): the candidate opens the job's kf contact link (its
`scene_param` is the code of a posting link of channel "kf"), sends a resume file, and the resume is read with
kf/sync_msg + media/get. Name and phone come from the resume itself; without them the candidate is sent the
posting page instead. Runs as the handler of the `kf_msg_or_event` callback (HANDLE_WECOM_EVENT)."""
import logging

from app.core import links
from app.core.errors import AppError
from app.core.extensions import redis_client, settings
from app.screening import intake, resume_fields, resume_files
from app.wecom import kf

log = logging.getLogger(__name__)
SCENE_TTL = 3 * 86400   # sync_msg only returns the last 3 days anyway


def contact_url(code):
    open_kfid = settings.get("WECOM_KF_OPEN_KFID") or ""
    if not open_kfid:
        return None
    return kf.contact_url(open_kfid, code)


def handle_message(open_kfid, msg):
    """Act on one synced kf message of a customer not yet linked to an application; returns (note, application id
    or None). The dispatcher (wecom_callbacks/kf_events.py) reads the kf account once for every domain."""
    conn = redis_client.get()
    user = msg.get("external_userid") or ""
    scene_key = f"wecom:kf:scene:{open_kfid}:{user}"
    if msg.get("msgtype") == "event" and (msg.get("event") or {}).get("event_type") == "enter_session":
        code = (msg["event"].get("scene_param") or "")[:24]
        if code:
            conn.set(scene_key, code, ex=SCENE_TTL)
        return f"{user} entered ({code or 'no scene'})", None
    if msg.get("msgtype") not in ("file", "image") or msg.get("origin") != kf.ORIGIN_CUSTOMER:
        return "", None
    code = (conn.get(scene_key) or b"").decode()
    if not code:
        kf.send_text(open_kfid, user, "请先点击岗位页面上的「微信客服投递」链接,再发送简历。")
        return f"{user}: file without a job", None
    data = kf.get_media(msg[msg["msgtype"]]["media_id"], resume_files.MAX_BYTES)
    return _apply(open_kfid, user, code, data, msg["msgtype"])


def _apply(open_kfid, user, code, data, kind):
    posting_url = links.posting_url(code)
    try:
        if data is None:
            raise resume_files.ResumeFileError("file_too_large", "文件超过 5 MB")
        text, _, _ = resume_files.extract_text(data)
        fields = resume_fields.parse(text)
        if not fields["name"] or not fields["phone"]:
            kf.send_text(open_kfid, user, f"简历中没有读到姓名和手机号,请在这里填写并投递:{posting_url}")
            return f"{user}: no name/phone in the resume", None
        application, token, same_phone = intake.apply(code, fields["name"], fields["phone"], data, f"kf-{kind}", None)
    except resume_files.ResumeFileError as exc:
        kf.send_text(open_kfid, user, f"{exc.message}。也可以在这里投递:{posting_url}")
        return f"{user}: {exc.code}", None
    except AppError as exc:
        kf.send_text(open_kfid, user, f"{exc.message} {posting_url}")
        return f"{user}: {exc.code}", None
    kf.send_text(open_kfid, user, f"已收到你的简历({fields['name']})。查看进度:{links.applied_url(token)}")
    return f"{user}: applied{' (phone also on another record)' if same_phone else ''}", application.id
