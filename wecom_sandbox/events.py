"""What a person does on the sandbox phone: tap a card button, approve or reject an approval."""
import time

from wecom_sandbox.delivery import approval_event_xml, card_event_xml
from wecom_sandbox.store import dumps, loads


class ActionRefused(Exception):
    """The phone would not let the person do this (card already handled, not their approval ...)."""


class SandboxEvents:
    def __init__(self, store, deliverer, cfg):
        self.store, self.deliverer, self.cfg = store, deliverer, cfg

    def card_for(self, userid, task_id):
        """The card as `userid` sees it: sent card, replaced card, or None."""
        agent_id = int(self.cfg["agent_id"])
        sent = self.store.one("SELECT * FROM cards WHERE agent_id = ? AND task_id = ?", agent_id, task_id)
        if sent is None or userid not in loads(sent["userids"], []):
            return None
        view = self.store.one("SELECT * FROM card_views WHERE agent_id = ? AND task_id = ? AND userid = ?",
                              agent_id, task_id, userid)
        card = loads(view["card"]) if view and view["card"] else loads(sent["card"])
        # Greyed out by a button update (replace_name) or by a whole card with replace_text: either way the
        # buttons are gone and this text shows instead.
        greyed = (view["replace_name"] if view else None) or (card.get("replace_text") if view else None)
        return {"card": card, "replace_name": greyed or None}

    def tap(self, userid, task_id, key, copies=1):
        """Tap a card button: a click response_code and an encrypted template_card_event to the app."""
        state = self.card_for(userid, task_id)
        if state is None:
            raise ActionRefused("没有这张卡片 No such card")
        if state["replace_name"]:
            raise ActionRefused(f"卡片已处理:{state['replace_name']} Already handled")
        keys = {b["key"] for b in state["card"].get("button_list", [])}
        if key not in keys:
            raise ActionRefused("按钮不存在 No such button")
        code = self.store.new_response_code(task_id, int(self.cfg["agent_id"]), userid)
        xml = card_event_xml(self.cfg, userid, task_id, key, code)
        return self.deliverer.deliver("template_card_event", userid, xml, copies=copies)

    def approval(self, sp_no):
        row = self.store.one("SELECT * FROM approvals WHERE sp_no = ?", sp_no)
        if row is None:
            return None
        row["approvers"] = loads(row["approvers"], [])
        row["cc"] = loads(row["cc"], [])
        row["records"] = loads(row["records"], [])
        row["apply_data"] = loads(row["apply_data"], {})
        row["summary"] = loads(row["summary"], [])
        return row

    def decide_approval(self, sp_no, userid, approve, speech=""):
        """An approver approves (2) or rejects (3); WeCom then posts sys_approval_change."""
        with self.store.lock:
            approval = self.approval(sp_no)
            if approval is None or userid not in approval["approvers"]:
                raise ActionRefused("不是该审批的审批人 Not an approver")
            if approval["status"] != 1:
                raise ActionRefused("审批已结束 Approval already finished")
            status = 2 if approve else 3
            for record in approval["records"]:
                if record["userid"] == userid:
                    record.update(status=status, speech=speech, time=int(time.time()))
            self.store.run("UPDATE approvals SET status = ?, records = ? WHERE sp_no = ?", status,
                           dumps(approval["records"]), sp_no)
        return self.approval_changed(sp_no, change_event=status)

    def revoke_approval(self, sp_no, userid):
        """The applicant revokes: 4 已撤销 while pending (StatuChangeEvent 6), 6 通过后撤销 once it passed (8)."""
        with self.store.lock:
            approval = self.approval(sp_no)
            if approval is None or approval["creator"] != userid or approval["status"] not in (1, 2):
                raise ActionRefused("不能撤销 Cannot revoke")
            status, change = (4, 6) if approval["status"] == 1 else (6, 8)
            self.store.run("UPDATE approvals SET status = ? WHERE sp_no = ?", status, sp_no)
        return self.approval_changed(sp_no, change_event=change)

    def approval_changed(self, sp_no, change_event, copies=1):
        approval = self.approval(sp_no)
        xml = approval_event_xml(self.cfg, approval, change_event)
        return self.deliverer.deliver("sys_approval_change", approval["creator"], xml, copies=copies)
