"""Background-check and onboarding documents are HR-only (issue 20, item 4).

The candidate sends them through the resumable upload as documents (not chat attachments); the chat routes never
serve them; /m/applications/<id>/check/files/<id> and .../onboarding/files/<id> serve only that check's or that
checklist's files, to HR only, and every view is in the access log. Before the fix the manager opened the ID-card
photo through the chat attachment route and the check-file route (which served any attachment and logged nothing).
"""
import datetime as dt

from app.conversation.models import Attachment, Message
from app.privacy import deletion
from app.privacy.models import AccessLog
from app.process import checks, onboarding
from app.process.models import CheckItem, Offer
from app.services import pipeline
from app.services.storage import get_storage
from tests.conversation.helpers import auth, pdf_bytes, png_bytes, send
from tests.process.helpers import at_second_round
from tests.support.reports import sign_in_as
from tests.support.wecom import run_fast_worker

MANAGER, HR = "zhangwei", "hr_lina"


def upload_document(client, token, filename, data):
    """Upload one file as a document of the check or onboarding (the resumable API with purpose)."""
    res = client.post("/mp/api/v1/conversation/attachments", headers=auth(token),
                      json={"filename": filename, "total_bytes": len(data), "purpose": "hr_document"})
    assert res.status_code == 201, res.get_json()
    up = res.get_json()
    size = up["chunk_bytes"]
    for index in up["missing"]:
        assert client.put(f"/mp/api/v1/conversation/attachments/{up['upload_id']}/chunks/{index}",
                          data=data[index * size:(index + 1) * size], headers=auth(token)).status_code == 200
    res = client.post(f"/mp/api/v1/conversation/attachments/{up['upload_id']}/complete", headers=auth(token))
    assert res.status_code == 201, res.get_json()
    return res.get_json()["attachment"]["id"]


def _views(application_id):
    return [(r.actor, r.target) for r in AccessLog.select().where((AccessLog.application_id == application_id)
                                                                  & (AccessLog.action == "view_document"))]


def test_check_and_onboarding_files_are_hr_only_and_logged(client, demo_job, redis_conn):
    application, token = at_second_round(demo_job)
    pipeline.advance_stage(application.id, "background_check", actor=MANAGER, source="web")
    run_fast_worker(redis_conn)
    checks.consent(application.id, True, checks.CONSENT_VERSION)
    proof = pdf_bytes()
    proof_id = upload_document(client, token, "离职证明.pdf", proof)
    employment = CheckItem.get(CheckItem.kind == "employment")
    checks.submit_item(application.id, employment.id, "某科技公司", proof_id)
    chat = client.post("/mp/api/v1/conversation/attachments", headers=auth(token),
                       json={"filename": "作品集.pdf", "total_bytes": 10})
    assert chat.status_code == 201

    # A document is not a chat attachment: it cannot be sent in a message.
    res = send(client, token, "附上离职证明", [proof_id])
    assert res.status_code == 400 and res.get_json()["error"]["code"] == "invalid_attachment"

    for who in (MANAGER, HR):   # the chat route never serves a document, not even to HR
        sign_in_as(client, who)
        res = client.get(f"/m/applications/{application.id}/attachments/{proof_id}")
        assert res.status_code == 404 and proof not in res.get_data()
    sign_in_as(client, MANAGER)
    res = client.get(f"/m/applications/{application.id}/check/files/{proof_id}")
    assert res.status_code in (403, 404) and proof not in res.get_data()
    assert "离职证明.pdf" not in client.get(f"/m/applications/{application.id}").get_data(as_text=True)
    assert _views(application.id) == []

    sign_in_as(client, HR)
    res = client.get(f"/m/applications/{application.id}/check/files/{proof_id}")
    assert res.status_code == 200 and res.get_data() == proof
    assert _views(application.id) == [(HR, f"check_file:{proof_id}")]
    # The check's route serves only the check's files (not the checklist's, not another attachment).
    assert client.get(f"/m/applications/{application.id}/onboarding/files/{proof_id}").status_code == 404

    # Onboarding: the ID card.
    for stage in ("offer_sent", "onboarding"):
        pipeline.advance_stage(application.id, stage, actor=HR, source="web")
    start = dt.date.today() + dt.timedelta(days=10)
    offer = Offer.create(application=application.id, position="后端开发工程师", salary=25000, start_date=start,
                         place="上海", probation_months=3, expires_on=start, status="accepted", created_by=HR)
    assert offer.id
    run_fast_worker(redis_conn)
    id_card = png_bytes()
    card_id = upload_document(client, token, "身份证.png", id_card)
    item = next(i for i in onboarding.items_of(application.id) if i.key == "id_card")
    onboarding.submit_item(application.id, item.id, "", card_id)
    sign_in_as(client, MANAGER)
    for path in (f"attachments/{card_id}", f"onboarding/files/{card_id}", f"check/files/{card_id}"):
        res = client.get(f"/m/applications/{application.id}/{path}")
        assert res.status_code in (403, 404) and id_card not in res.get_data(), path
    sign_in_as(client, HR)
    res = client.get(f"/m/applications/{application.id}/onboarding/files/{card_id}")
    assert res.status_code == 200 and res.get_data() == id_card
    assert _views(application.id)[-1] == (HR, f"onboarding_file:{card_id}")

    # The export still names the files; the deletion still removes them.
    sections = {s["key"]: s for a in client.get(f"/i/{token}/my-data.json").get_json()["applications"]
                for s in a["sections"]}
    assert "离职证明.pdf" in str(sections["background_check"]) and "身份证.png" in str(sections["onboarding"])
    keys = [a.storage_key for a in Attachment.select().where(Attachment.id.in_([proof_id, card_id]))]
    request = deletion.delete_by_hr(application.candidate_id, HR)
    deletion.execute_deletion(request.id)
    assert not any(get_storage().exists(key) for key in keys)



def test_documents_sent_in_the_chat_before_the_fix_become_hr_only(any_db_app, redis_conn):
    """An existing database: the ID card was sent as a chat attachment and named by the checklist item (the old
    flow). Migration step 16 makes it an HR document: the chat link stops serving it (to the manager and to HR),
    HR's onboarding-file route serves it and logs the view; the message itself stays in the thread."""
    from playhouse.migrate import SchemaMigrator, migrate

    from app.core.migrations import SchemaVersion, upgrade
    from app.db import database
    from app.models import utcnow
    from app.process.models import OnboardingItem
    from tests.support.app import import_job

    application, token = at_second_round(import_job("backend-engineer.yaml"))
    migrator = SchemaMigrator.from_database(database.obj)
    for table in ("attachment", "attachment_upload"):   # the schema as step 15 left it
        migrate(migrator.drop_column(table, "purpose"))
    SchemaVersion.delete().where(SchemaVersion.version == 16).execute()
    id_card = png_bytes()
    key = get_storage().save(f"attachments/{application.id}/legacy.png", id_card)
    message = Message.create(application=application.id, sender_kind="candidate", sender="candidate",
                             channel="page", body="身份证")
    database.execute_sql(
        "INSERT INTO attachment (application_id, message_id, storage_key, filename, mime_type, kind, size_bytes,"
        " created_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)".replace("%s", database.param),
        (application.id, message.id, key, "身份证.png", "image/png", "image", len(id_card), utcnow()))
    (attachment_id,) = database.execute_sql("SELECT MAX(id) FROM attachment").fetchone()
    OnboardingItem.create(application=application.id, key="id_card", label="身份证(正反面)", kind="document",
                          status="submitted", attachment_id=attachment_id)

    assert upgrade() == [16]
    assert Attachment.get_by_id(attachment_id).purpose == "hr_document"
    client = any_db_app.test_client()
    for who in (MANAGER, HR):
        sign_in_as(client, who)
        res = client.get(f"/m/applications/{application.id}/attachments/{attachment_id}")
        assert res.status_code == 404 and id_card not in res.get_data()
        assert "身份证.png" not in client.get(f"/m/applications/{application.id}").get_data(as_text=True)
    assert client.get(f"/i/{token}/attachments/{attachment_id}").status_code == 404
    res = client.get(f"/m/applications/{application.id}/onboarding/files/{attachment_id}")
    assert res.status_code == 200 and res.get_data() == id_card
    assert _views(application.id) == [(HR, f"onboarding_file:{attachment_id}")]
