"""A deleted candidate's link shows only that the data was deleted, and writes nothing new: the status page's JSON
API (messages, attachment uploads) and the self-identification form refuse it. Before, after HR's deletion, the old
link still posted messages (HR was told of each, under the anonymised record), opened attachment uploads and stored
gender and age band again."""
import pytest

from app.analytics.models import SelfIdentification
from app.conversation.models import AttachmentUpload, Message
from app.privacy import deletion
from tests.privacy.helpers import candidate_with_data
from tests.security.helpers import auth


@pytest.fixture
def deleted(demo_job):
    zhou = candidate_with_data(demo_job, "周杰", "13800001111", "ZHOUJIE")
    deletion.execute_deletion(deletion.delete_by_hr(zhou.candidate_id, "hr_lina").id)
    return zhou


def test_the_conversation_api_refuses_a_deleted_candidates_link(client, deleted):
    headers = auth(deleted.token)
    messages = Message.select().count()
    res = client.post("/mp/api/v1/conversation/messages", headers=headers, json={"text": "我又来了"})
    assert res.status_code == 410
    assert res.get_json()["error"]["code"] == "data_deleted"
    assert "已删除" in res.get_json()["error"]["message"]
    res = client.post("/mp/api/v1/conversation/attachments", headers=headers,
                      json={"filename": "简历.pdf", "total_bytes": 100})
    assert res.status_code == 410
    assert client.get("/mp/api/v1/conversation", headers=headers).status_code == 410
    assert Message.select().count() == messages
    assert AttachmentUpload.select().where(AttachmentUpload.application == deleted.application_id).count() == 0


def test_the_self_id_form_refuses_a_deleted_candidates_link(client, deleted):
    status = f"/i/{deleted.token}/status"
    res = client.get(f"/i/{deleted.token}/self-id")
    assert res.status_code == 302 and res.headers["Location"].endswith(status)
    res = client.post(f"/i/{deleted.token}/self-id", data={"consent": "yes", "gender": "女", "age_band": "25-34"})
    assert res.status_code == 302 and res.headers["Location"].endswith(status)
    assert SelfIdentification.select().where(SelfIdentification.application == deleted.application_id).count() == 0
    assert "已删除" in client.get(status).get_data(as_text=True)
