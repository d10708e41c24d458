"""Typed WeCom events wechatpy 1.8.18 lacks, registered with wechatpy, and child-list normalisation."""
from wechatpy.enterprise.events import EVENT_TYPES, register_event
from wechatpy.enterprise.messages import MESSAGE_TYPES
from wechatpy.fields import BaseField, IntegerField, StringField
from wechatpy.messages import BaseMessage, UnknownMessage

from app.core.converters import parse_int


def as_list(value):
    """xmltodict gives a dict for one child and a list for several: always a list."""
    if value is None or value == "":
        return []
    return value if isinstance(value, list) else [value]


def _number(value):
    """A status number (0 when absent); ValueError unless ASCII digits within the database's integer."""
    return parse_int(value or 0)


class DictField(BaseField):
    """A nested element kept as a dict."""

    def __init__(self, name, default=None):
        super().__init__(name, default if default is not None else {})

    def to_xml(self, value):
        raise TypeError("DictField is read-only: callback events are parsed, never rendered back")


@register_event("template_card_event")
class TemplateCardEvent(BaseMessage):
    """A member tapped a button of a template card."""
    type = "event"
    event = "template_card_event"
    key = StringField("EventKey")
    task_id = StringField("TaskId")
    card_type = StringField("CardType")
    response_code = StringField("ResponseCode")
    agent = IntegerField("AgentID", 0)

    @property
    def selected_items(self):
        items = as_list((self._data.get("SelectedItems") or {}).get("SelectedItem"))
        return [{"question_key": i.get("QuestionKey"), "option_ids": as_list((i.get("OptionIds") or {})
                                                                             .get("OptionId"))} for i in items]


@register_event("sys_approval_change")
class ApprovalChangeEvent(BaseMessage):
    """An approval changed (submitted, approved, rejected, revoked, commented, urged)."""
    type = "event"
    event = "sys_approval_change"
    agent = IntegerField("AgentID", 0)
    info = DictField("ApprovalInfo")

    @property
    def approval(self):
        info = self._data.get("ApprovalInfo") or {}
        records = []
        for record in as_list(info.get("SpRecord")):
            details = [{"userid": (d.get("Approver") or {}).get("UserId", ""), "speech": d.get("Speech") or "",
                        "sp_status": _number(d.get("SpStatus"))} for d in as_list(record.get("Details"))]
            records.append({"sp_status": _number(record.get("SpStatus")), "details": details})
        return {
            "sp_no": str(info.get("SpNoStr") or info.get("SpNo") or ""),
            "sp_name": info.get("SpName") or "",
            "sp_status": _number(info.get("SpStatus")),
            "template_id": info.get("TemplateId") or "",
            "applyer": (info.get("Applyer") or {}).get("UserId", ""),
            "records": records,
            "notifyer": [n.get("UserId") for n in as_list(info.get("Notifyer"))],
            "change_event": _number(info.get("StatuChangeEvent")),
        }


def typed(message):
    """The wechatpy class instance for a parsed <xml> dict (UnknownMessage for types we do not know)."""
    msg_type = (message.get("MsgType") or "").lower()
    if msg_type == "event":
        cls = EVENT_TYPES.get((message.get("Event") or "").lower(), UnknownMessage)
    else:
        cls = MESSAGE_TYPES.get(msg_type, UnknownMessage)
    return cls(message)


def identity(message):
    """The event's own identity for deduplication (WeCom's events have no MsgId)."""
    event = (message.get("Event") or "").lower()
    if event == "template_card_event":
        return f"{message.get('TaskId', '')}:{message.get('EventKey', '')}"
    if event == "sys_approval_change":
        info = message.get("ApprovalInfo") or {}
        return f"{info.get('SpNoStr') or info.get('SpNo', '')}:{info.get('StatuChangeEvent', '')}" \
               f":{info.get('SpStatus', '')}"
    if event == "kf_msg_or_event":
        return f"{message.get('OpenKfId', '')}:{message.get('Token', '')}"
    return str(message.get("EventKey") or "")
