"""verify -> decrypt -> parse -> dedupe -> persist -> enqueue. Everything a callback request needs."""
import hashlib
import hmac
import logging
import time
import xml.etree.ElementTree as ET

import xmltodict
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as safe_fromstring
from peewee import IntegrityError, InterfaceError, OperationalError
from wechatpy.enterprise.crypto import WeChatCrypto
from wechatpy.enterprise.exceptions import InvalidCorpIdException
from wechatpy.exceptions import InvalidSignatureException
from wechatpy.utils import WeChatSigner

from app.core import jobs
from app.core.converters import parse_int
from app.core.errors import AppError, BadRequest, Forbidden
from app.core.models import EventStatus, WeComEvent
from app.core.tx import transaction
from app.interview.models import CardMessage
from wecom_callbacks.events import identity, typed
from wecom_callbacks.handlers import HANDLE_WECOM_EVENT

log = logging.getLogger(__name__)

# Events whose handler is a job; everything else is stored and acknowledged.
HANDLED = {"template_card_event", "sys_approval_change", "kf_msg_or_event"}
# Top-level fields read by this module, the parsers and the jobs: each must be plain text when present.
TEXT_FIELDS = ("ToUserName", "FromUserName", "CreateTime", "MsgType", "Event", "EventKey", "TaskId", "CardType",
               "ResponseCode", "AgentID", "MsgId", "Content", "ChangeType", "UserID")
# Fields that reach a column, at most as long as it: PostgreSQL refuses a longer string (SQLite stored it).
FIELD_LENGTHS = {"MsgType": WeComEvent.msg_type.max_length, "Event": WeComEvent.event_type.max_length,
                 "FromUserName": WeComEvent.from_user.max_length, "TaskId": CardMessage.task_id.max_length,
                 "ResponseCode": CardMessage.response_code.max_length}
# WeCom's events are at most six elements deep (xml > ApprovalInfo > SpRecord > Details > Approver > UserId).
MAX_XML_DEPTH = 16


class RetryLater(AppError):
    status = 503
    code = "retry_later"


def crypto_for(config):
    return WeChatCrypto(config["WECOM_TOKEN"], config["WECOM_AES_KEY"], config["WECOM_CORP_ID"])


def check_xml(text):
    """Parse with defusedxml (no DTDs, no entities, at most MAX_XML_DEPTH deep); return the root or raise
    BadRequest. Deeper nesting is refused before anything recursive (the JSON payload column) sees it."""
    try:
        root = safe_fromstring(text, forbid_dtd=True)
    except (ET.ParseError, DefusedXmlException, ValueError) as exc:
        raise BadRequest("XML 格式无效 Malformed or unsafe XML", code="bad_xml") from exc
    level = [root]
    for _ in range(MAX_XML_DEPTH):
        level = [child for element in level for child in element]
        if not level:
            return root
    raise BadRequest(f"XML 嵌套过深(最多 {MAX_XML_DEPTH} 层) XML nested too deeply", code="bad_xml")


def signed(config, signature, timestamp, nonce, encrypted):
    """Whether a callback carries WeCom's signature over (token, timestamp, nonce, the encrypted text: the echostr
    of a URL check, the envelope's Encrypt of an event). Only the hash, nothing decrypted: the rate limit asks it
    before the view runs and counts only the callbacks that fail it."""
    if not (signature and timestamp and nonce and encrypted):
        return False
    signer = WeChatSigner()
    signer.add_data(config["WECOM_TOKEN"], timestamp, nonce, encrypted)
    return hmac.compare_digest(signer.signature.encode(), signature.encode())


def envelope_text(body):
    """The Encrypt text of a POSTed envelope, or None when the body is not one."""
    try:
        return check_xml(body).findtext("Encrypt")
    except BadRequest:
        return None


def verify_url(config, signature, timestamp, nonce, echostr):
    """URL verification: the decrypted echostr, or Forbidden."""
    if not (signature and timestamp and nonce and echostr):
        raise BadRequest("缺少参数 msg_signature, timestamp, nonce, echostr are required", code="missing_params")
    try:
        plain = crypto_for(config).check_signature(signature, timestamp, nonce, echostr)
    except (InvalidSignatureException, InvalidCorpIdException) as exc:
        raise Forbidden("签名无效 Invalid signature", code="bad_signature") from exc
    except Exception as exc:  # noqa: BLE001 - undecryptable echostr is bad input, not our failure
        raise BadRequest("echostr 无法解密 echostr cannot be decrypted", code="bad_echostr") from exc
    return plain.decode() if isinstance(plain, bytes) else plain


def decrypt(config, body, signature, timestamp, nonce):
    """Verify and decrypt a POSTed envelope; return the plain XML text."""
    if not (signature and timestamp and nonce):
        raise BadRequest("缺少参数 msg_signature, timestamp, nonce are required", code="missing_params")
    root = check_xml(body)
    encrypt = root.findtext("Encrypt")
    if not encrypt:
        raise BadRequest("缺少 Encrypt 字段 Encrypt is missing", code="bad_xml")
    try:
        plain = crypto_for(config).decrypt_message(body, signature, timestamp, nonce)
    except InvalidSignatureException as exc:
        raise Forbidden("签名无效 Invalid signature", code="bad_signature") from exc
    except InvalidCorpIdException as exc:
        raise Forbidden("CorpID 不匹配 Wrong CorpID", code="wrong_corp") from exc
    except Exception as exc:  # noqa: BLE001 - bad base64 / padding is bad input
        raise BadRequest("消息无法解密 The message cannot be decrypted", code="bad_ciphertext") from exc
    return plain.decode("utf-8") if isinstance(plain, bytes) else plain


def parse(plain):
    """The decrypted XML as a dict (safe parsing first)."""
    check_xml(plain)
    try:
        message = xmltodict.parse(plain, disable_entities=True)["xml"]
    except Exception as exc:  # noqa: BLE001
        raise BadRequest("消息格式无效 Malformed message", code="bad_xml") from exc
    if not isinstance(message, dict) or not message.get("MsgType"):
        raise BadRequest("消息缺少 MsgType Message has no MsgType", code="bad_xml")
    wrong = [name for name in TEXT_FIELDS if message.get(name) is not None and not isinstance(message[name], str)]
    if wrong:
        raise bad_event(f"{', '.join(wrong)} must be text")
    long = [name for name, most in FIELD_LENGTHS.items() if len(message.get(name) or "") > most]
    if long:
        raise bad_event(f"{', '.join(long)} longer than {', '.join(str(FIELD_LENGTHS[n]) for n in long)}")
    return message


def agent_id_of(message):
    """The AgentID as stored (None when absent); bad_event when it is not an id the column holds."""
    if not message.get("AgentID"):
        return None
    try:
        return parse_int(message["AgentID"])
    except ValueError:
        raise bad_event("AgentID is not an id") from None


def bad_event(detail):
    """A validly signed callback we will not store: refused with 400 (WeCom retries, then gives up) and logged."""
    log.warning("refused a signed WeCom callback: %s", detail)
    return BadRequest(f"事件格式无效 Malformed event: {detail}", code="bad_event")


def event_payload(message, event_type):
    """The stored payload: the message, plus the approval or card answer normalised (BadRequest when malformed)."""
    payload = {"message": message}
    try:
        obj = typed(message)
        if event_type == "sys_approval_change":
            payload["approval"] = obj.approval
        elif event_type == "template_card_event":
            payload["selected_items"] = obj.selected_items
    except (TypeError, ValueError, AttributeError) as exc:
        # A validly signed event of an unexpected shape (a number field with text, text where children belong).
        raise bad_event(exc.__class__.__name__) from exc
    return payload


def dedupe_key(message):
    if message.get("MsgId"):
        key = f"msg:{message['MsgId']}"
    else:
        key = (f"evt:{message.get('FromUserName', '')}:{message.get('CreateTime', '')}:"
               f"{(message.get('Event') or '').lower()}:{identity(message)}")
    return key if len(key) <= 200 else "sha:" + hashlib.sha256(key.encode()).hexdigest()


def check_age(config, timestamp):
    """Refuse a signed callback whose timestamp is further than WECOM_CALLBACK_MAX_AGE from our clock: a capture
    replayed later (WeCom signs each delivery; its retries keep the first one's timestamp, seconds apart)."""
    window = config.get("WECOM_CALLBACK_MAX_AGE") or 0
    if not window:
        return
    try:
        age = time.time() - parse_int(timestamp)
    except ValueError:
        raise BadRequest("timestamp 无效 timestamp is not a number", code="bad_timestamp") from None
    if abs(age) > window:
        log.warning("refused a signed WeCom callback %+.0f s off our clock (window %s s)", age, window)
        raise Forbidden(f"回调时间戳超出 {window} 秒的有效期 Callback timestamp outside the {window} s window",
                        code="stale_timestamp")


# WeCom's 审批 app: a sys_approval_change reaches the apps allowed to call the approval API with this AgentID (the
# docs' example, document/path/91815 and 96508), whichever app sent the approval; the offer handler matches SpNoStr
# against our own approvals, so another app's approval changes nothing here.
APPROVAL_APP_AGENT_ID = 3010040


def check_agent(config, message, event_type):
    """Every callback that names an AgentID must name ours: another app of the corp configured with this URL, token
    and key (its events come signed with the same key) gets 403 `unknown_agent` and nothing is stored or done,
    whatever the message or event (a text, enter_agent, a card tap, an approval). Events WeCom sends without an
    AgentID by design (change_contact, change_external_contact, kf_msg_or_event, batch_job_result) pass, and an
    approval change may name the 审批 app. Returns the AgentID as stored (None when absent)."""
    agent_id = agent_id_of(message)
    ours = int(config["WECOM_AGENT_ID"])
    allowed = {ours, APPROVAL_APP_AGENT_ID} if event_type == "sys_approval_change" else {ours}
    if agent_id is not None and agent_id not in allowed:
        kind = f"event {event_type}" if message["MsgType"] == "event" else f"message {message['MsgType']}"
        log.warning("refused a signed WeCom %s from %r for AgentID %s (ours: %s): another app of the corp posts to "
                    "this callback URL with our token and key", kind, message.get("FromUserName") or "", agent_id,
                    ours)
        raise Forbidden(f"未知的应用 AgentID {agent_id}(本应用为 {ours}) Unknown AgentID", code="unknown_agent")
    return agent_id


def receive(config, body, signature, timestamp, nonce):
    """Store one callback (once) and enqueue its handler; return (event, created)."""
    plain = decrypt(config, body, signature, timestamp, nonce)
    check_age(config, timestamp)
    message = parse(plain)
    event_type = (message.get("Event") or "").lower() if message["MsgType"] == "event" else ""
    agent_id = check_agent(config, message, event_type)
    payload = event_payload(message, event_type)
    try:
        with transaction():
            event = WeComEvent.create(
                dedupe_key=dedupe_key(message), msg_type=message["MsgType"], event_type=event_type,
                from_user=message.get("FromUserName") or "", agent_id=agent_id, raw_xml=plain,
                payload=payload, status=EventStatus.RECEIVED if event_type in HANDLED else EventStatus.IGNORED)
    except IntegrityError:
        log.debug("duplicate WeCom callback %s acknowledged", dedupe_key(message))
        return None, False
    except (OperationalError, InterfaceError) as exc:
        # The database is down or locked: a 503 makes WeCom retry instead of losing the event.
        log.warning("cannot store WeCom callback: %s", exc)
        raise RetryLater("暂时无法处理,请稍后重试 Try again later", code="retry_later") from exc
    if event_type in HANDLED:
        try:
            jobs.enqueue(HANDLE_WECOM_EVENT, event.id)
        except Exception as exc:
            # Without the job the event would be acknowledged and lost: forget it so WeCom's retry is taken.
            WeComEvent.delete().where(WeComEvent.id == event.id).execute()
            raise RetryLater("暂时无法处理,请稍后重试 Try again later", code="retry_later") from exc
    return event, True
