"""Request validation the way WeCom's docs describe it (document/path/90236, 94888)."""
import re

TASK_ID_RE = re.compile(r"^[0-9A-Za-z_\-@]+$")
CARD_TYPES = {"text_notice", "news_notice", "button_interaction", "vote_interaction", "multiple_interaction"}

INVALID_PARAM = 40058


class Invalid(Exception):
    """A request WeCom would refuse: errcode + errmsg."""

    def __init__(self, errcode, errmsg):
        super().__init__(errmsg)
        self.errcode = errcode
        self.errmsg = errmsg


def _require(cond, message, errcode=INVALID_PARAM):
    if not cond:
        raise Invalid(errcode, message)


def _text(value, name, limit, required=False):
    if value is None or value == "":
        _require(not required, f"{name} is required")
        return
    _require(isinstance(value, str), f"{name} must be a string")
    _require(len(value) <= limit, f"{name} exceeds {limit} characters")


def template_card(card):
    """Check a template_card; return its task_id (None for cards without one)."""
    _require(isinstance(card, dict), "template_card must be an object")
    card_type = card.get("card_type")
    _require(card_type in CARD_TYPES, f"invalid card_type {card_type!r}")
    main = card.get("main_title") or {}
    _require(isinstance(main, dict), "main_title must be an object")
    _text(main.get("title"), "main_title.title", 36, required=card_type != "text_notice")
    _text(main.get("desc"), "main_title.desc", 44)
    _text(card.get("sub_title_text"), "sub_title_text", 160)
    source = card.get("source") or {}
    _text(source.get("desc"), "source.desc", 13)
    task_id = card.get("task_id")
    if card_type != "text_notice" or task_id:
        _require(isinstance(task_id, str) and task_id, "task_id is required")
        _require(len(task_id.encode()) <= 128, "task_id exceeds 128 bytes")
        _require(TASK_ID_RE.match(task_id), "task_id may only contain 0-9 A-Z a-z _ - @")
    horizontal = card.get("horizontal_content_list") or []
    _require(isinstance(horizontal, list), "horizontal_content_list must be a list")
    _require(len(horizontal) <= 6, "horizontal_content_list allows at most 6 items")
    for i, item in enumerate(horizontal):
        _text(item.get("keyname"), f"horizontal_content_list[{i}].keyname", 5, required=True)
        _text(item.get("value"), f"horizontal_content_list[{i}].value", 26)
        _require(item.get("type", 0) in (0, 1, 2, 3), f"horizontal_content_list[{i}].type is invalid")
        if item.get("type") == 1:
            _require(item.get("url"), f"horizontal_content_list[{i}].url is required for type 1")
    quote = card.get("quote_area")
    if quote is not None:
        _require(isinstance(quote, dict), "quote_area must be an object")
        _require(quote.get("type", 0) in (0, 1, 2), "quote_area.type must be 0, 1 or 2")
        if quote.get("type") == 1:
            _require(str(quote.get("url", "")).startswith(("http://", "https://")), "quote_area.url is invalid")
        for name in ("title", "quote_text"):   # the docs give no length limit for these
            _require(isinstance(quote.get(name, ""), str), f"quote_area.{name} must be a string")
    action = card.get("card_action")
    if action is not None:
        _require(action.get("type") in (0, 1, 2), "card_action.type must be 0, 1 or 2")
        if action.get("type") == 1:
            _require(str(action.get("url", "")).startswith(("http://", "https://")), "card_action.url is invalid")
    if card_type == "button_interaction":
        buttons = card.get("button_list") or []
        _require(isinstance(buttons, list) and 1 <= len(buttons) <= 6, "button_list needs 1 to 6 buttons")
        keys = set()
        for i, button in enumerate(buttons):
            _text(button.get("text"), f"button_list[{i}].text", 10, required=True)
            _require(button.get("style", 1) in (1, 2, 3, 4), f"button_list[{i}].style must be 1 to 4")
            key = button.get("key")
            _require(isinstance(key, str) and key, f"button_list[{i}].key is required")
            _require(len(key.encode()) <= 1024, f"button_list[{i}].key exceeds 1024 bytes")
            _require(key not in keys, f"button_list[{i}].key is duplicated")
            keys.add(key)
    if "replace_text" in card:   # greys the buttons out, showing this text (like button.replace_name)
        _require(card_type in ("button_interaction", "vote_interaction", "multiple_interaction"),
                 f"replace_text is not a field of {card_type}")
        _text(card["replace_text"], "replace_text", 10, required=True)
    return task_id


def node_list(process, known_users):
    """Check oa/applyevent's process.node_list; return (approvers, cc)."""
    nodes = (process or {}).get("node_list")
    _require(isinstance(nodes, list) and nodes, "process.node_list is required", 301025)
    approvers, cc = [], []
    for i, node in enumerate(nodes):
        _require(node.get("type") in (1, 2, 3), f"node_list[{i}].type must be 1, 2 or 3", 301025)
        users = node.get("userid") or []
        _require(isinstance(users, list) and users, f"node_list[{i}].userid is required", 301025)
        for userid in users:
            _require(userid in known_users, f"node_list[{i}] has an unknown userid {userid}", 301025)
        if node["type"] == 1:
            _require(node.get("apv_rel", 1) in (1, 2, 3), f"node_list[{i}].apv_rel must be 1, 2 or 3", 301025)
            approvers.extend(users)
        else:
            cc.extend(users)
    _require(approvers, "node_list needs an approver node (type 1)", 301025)
    return approvers, cc
