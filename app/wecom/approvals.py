"""OA approvals: start one (oa/applyevent, process.node_list schema) and read its detail."""
from app.wecom import get_client

APPROVER, CC, HANDLER = 1, 2, 3
ALL_MUST, ANY_ONE, IN_ORDER = 1, 2, 3


def apply_event(*, creator_userid, template_id, approvers, contents, summary, cc=(), in_order=False,
                client=None):
    """Start an approval with explicit approvers; `contents` is apply_data.contents; return the sp_no."""
    client = client or get_client()
    node_list = [{"type": APPROVER, "apv_rel": IN_ORDER if in_order else ANY_ONE, "userid": list(approvers)}]
    if cc:
        node_list.append({"type": CC, "userid": list(cc)})
    result = client.call("post", "oa/applyevent", data={
        "creator_userid": creator_userid, "template_id": template_id, "use_template_approver": 0,
        "process": {"node_list": node_list},
        "apply_data": {"contents": list(contents)},
        "summary_list": [{"summary_info": [{"text": line[:20], "lang": "zh_CN"}]} for line in summary[:3]],
    })
    return result["sp_no"]


def text_control(control_id, text):
    """One Text control value of apply_data.contents."""
    return {"control": "Text", "id": control_id, "value": {"text": text}}

