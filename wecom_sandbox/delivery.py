"""Post events to the app's callback URL the way WeCom does: encrypted, signed, retried on failure."""
import logging
import secrets
import threading
import time
from urllib.parse import urlencode

import requests
import xmltodict
from wechatpy.enterprise.crypto import WeChatCrypto

log = logging.getLogger(__name__)

# WeCom waits 5 s for a 200, then retries, up to 3 times.
RETRIES = 3
# The AgentID a sys_approval_change carries: WeCom's 审批 app's, not the receiving app's (the docs' example,
# document/path/91815 and 96508).
APPROVAL_APP_AGENT_ID = 3010040


def cdata(value):
    return "<![CDATA[" + str(value).replace("]]>", "]]]]><![CDATA[>") + "]]>"


def to_xml(fields):
    """Render a flat-or-nested dict as WeCom's callback XML; lists repeat the element."""
    def render(name, value):
        if isinstance(value, dict):
            return f"<{name}>" + "".join(render(k, v) for k, v in value.items()) + f"</{name}>"
        if isinstance(value, list):
            return "".join(render(name, v) for v in value)
        if isinstance(value, int):
            return f"<{name}>{value}</{name}>"
        return f"<{name}>{cdata(value)}</{name}>"
    return "<xml>" + "".join(render(k, v) for k, v in fields.items()) + "</xml>"


def card_event_xml(cfg, userid, task_id, key, response_code, create_time=None):
    return to_xml({
        "ToUserName": cfg["corp_id"], "FromUserName": userid, "CreateTime": int(create_time or time.time()),
        "MsgType": "event", "Event": "template_card_event", "EventKey": key, "TaskId": task_id,
        "CardType": "button_interaction", "ResponseCode": response_code, "AgentID": int(cfg["agent_id"]),
    })


def approval_event_xml(cfg, approval, change_event, create_time=None):
    records = [{"SpStatus": r["status"], "ApproverAttr": 2,
                "Details": {"Approver": {"UserId": r["userid"]}, "Speech": r.get("speech", ""),
                            "SpStatus": r["status"], "SpTime": r.get("time", 0)}}
               for r in approval["records"]]
    info = {"SpNo": int(approval["sp_no"]), "SpNoStr": approval["sp_no"], "SpName": "录用审批",
            "SpStatus": approval["status"], "TemplateId": approval["template_id"],
            "ApplyTime": int(approval["created_at"]), "Applyer": {"UserId": approval["creator"], "Party": 1},
            "SpRecord": records, "Notifyer": [{"UserId": u} for u in approval["cc"]],
            "StatuChangeEvent": change_event}
    return to_xml({"ToUserName": cfg["corp_id"], "FromUserName": "sys",
                   "CreateTime": int(create_time or time.time()), "MsgType": "event",
                   "Event": "sys_approval_change", "AgentID": APPROVAL_APP_AGENT_ID, "ApprovalInfo": info})


def encrypt(cfg, plain_xml, timestamp=None):
    """Return (query, body) of the POST WeCom would make for `plain_xml` (signed now, or at `timestamp`)."""
    crypto = WeChatCrypto(cfg["token"], cfg["aes_key"], cfg["corp_id"])
    nonce = secrets.token_hex(8)
    timestamp = str(int(time.time() if timestamp is None else timestamp))
    envelope = xmltodict.parse(crypto.encrypt_message(plain_xml, nonce, timestamp))["xml"]
    body = (f"<xml><ToUserName>{cdata(cfg['corp_id'])}</ToUserName><Encrypt>{cdata(envelope['Encrypt'])}"
            f"</Encrypt><AgentID>{cdata(cfg['agent_id'])}</AgentID></xml>")
    query = urlencode({"msg_signature": envelope["MsgSignature"], "timestamp": timestamp, "nonce": nonce})
    return query, body


class Deliverer:
    """Posts events in background threads and records every attempt."""

    def __init__(self, store, cfg):
        self.store = store
        self.cfg = cfg

    def deliver(self, kind, userid, plain_xml, copies=1):
        """Queue `copies` deliveries of the same encrypted event; return their ids."""
        query, body = encrypt(self.cfg, plain_xml)
        ids = []
        for _ in range(max(1, copies)):
            ids.append(self.store.run(
                "INSERT INTO deliveries (kind, userid, plain, status, created_at) VALUES (?, ?, ?, 'pending', ?)",
                kind, userid, plain_xml, time.time()))
        thread = threading.Thread(target=self._send_all, args=(ids, query, body), daemon=True)
        thread.start()
        return ids

    def _send_all(self, ids, query, body):
        for delivery_id in ids:
            self._send(delivery_id, query, body)

    def _send(self, delivery_id, query, body):
        url = self.cfg["callback_url"]
        if not url:
            self.store.run("UPDATE deliveries SET status = 'no_callback_url', done_at = ? WHERE id = ?",
                           time.time(), delivery_id)
            return
        sep = "&" if "?" in url else "?"
        for attempt in range(1, RETRIES + 2):
            status, error = None, ""
            try:
                res = requests.post(url + sep + query, data=body.encode(), timeout=self.cfg["callback_timeout"],
                                    headers={"Content-Type": "text/xml"})
                status = res.status_code
            except requests.RequestException as exc:
                error = exc.__class__.__name__
            done = status == 200
            self.store.run("UPDATE deliveries SET attempts = ?, last_status = ?, last_error = ?, status = ?, "
                           "done_at = ? WHERE id = ?", attempt, status, error,
                           "delivered" if done else ("retrying" if attempt <= RETRIES else "failed"),
                           time.time() if done or attempt > RETRIES else None, delivery_id)
            if done:
                return
            log.info("callback delivery %s attempt %s failed: %s %s", delivery_id, attempt, status, error)
            if attempt <= RETRIES:
                time.sleep(self.cfg["retry_delay"])
