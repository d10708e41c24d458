"""What an upload takes, from one declaration (app/conversation/filetypes.py): a check or checklist document
(purpose hr_document) took Word and Excel, refused only at the item's submit, and the upload's refusal listed Word
and Excel as allowed; a text file called 简历.pdf was stored as 「简历.pdf.txt」."""
from app.conversation import filetypes
from app.conversation.models import Attachment
from app.core import pipeline
from app.process import documents
from tests.conversation.helpers import docx_bytes, invite, pdf_bytes, png_bytes, upload


def _at_check(job):
    interview, token = invite(job)
    for stage in ("ai_in_progress", "ai_completed", "ai_scored", "second_round", "background_check"):
        pipeline.advance_stage(interview.application_id, stage, actor="zhangwei", source="system")
    return interview.application_id, token


def test_a_document_upload_takes_only_what_the_item_takes(app, client, demo_job):
    application_id, token = _at_check(demo_job)
    res = upload(client, token, "离职证明.docx", docx_bytes(), purpose="hr_document")
    assert res.status_code == 422
    error = res.get_json()["error"]
    assert error["code"] == "attachment_type_refused"
    assert filetypes.DOCUMENTS.label in error["message"] and "Word" not in error["message"]
    assert not Attachment.select().where(Attachment.application == application_id).exists()
    assert upload(client, token, "离职证明.pdf", pdf_bytes(), purpose="hr_document").status_code == 201
    # The chat still takes Word; and the item's submit, the page's file input read the same declaration.
    assert upload(client, token, "作品.docx", docx_bytes()).status_code == 201
    assert all(filetypes.DOCUMENTS.takes_mime(t.mime) for t in filetypes.DOCUMENTS.types)
    assert not filetypes.DOCUMENTS.takes_mime(filetypes.DOCX.mime)
    page = client.get(f"/i/{token}/check").get_data(as_text=True)
    assert filetypes.DOCUMENTS.label in page or 'name="item_id"' not in page


def test_an_older_word_document_is_refused_at_submit_in_the_same_words(app, client, demo_job):
    """A Word file stored as a document before the upload checked its type is still refused at the item."""
    application_id, token = _at_check(demo_job)
    old = Attachment.create(application=application_id, storage_key="attachments/x.docx", filename="离职证明.docx",
                            mime_type=filetypes.DOCX.mime, kind="document", size_bytes=10, purpose="hr_document")
    try:
        documents.require_document(application_id, old.id, "离职证明", "请上传")
        raise AssertionError("a Word document was taken")
    except Exception as exc:   # noqa: BLE001 - the AppError's code and words are what is checked
        assert exc.code == "wrong_file_type" and filetypes.DOCUMENTS.label in exc.message
        assert "离职证明.docx" in exc.message and "Word" not in exc.message.replace("离职证明.docx", "")


def test_a_file_whose_content_is_not_what_its_name_says_is_refused_by_name(app, client, demo_job):
    _, token = invite(demo_job)
    res = upload(client, token, "简历.pdf", "我的简历\n工作经历:三年后端开发。\n".encode())
    assert res.status_code == 422
    error = res.get_json()["error"]
    assert error["code"] == "attachment_name_mismatch" and "「简历.pdf」" in error["message"]
    assert "PDF" in error["message"] and Attachment.select().count() == 0
    assert upload(client, token, "photo.png", pdf_bytes()).get_json()["error"]["code"] == "attachment_name_mismatch"
    # What the name says is what it is: kept as given; a photo saved as .jpg that is a PNG is still a photo; a name
    # that says nothing gets the detected extension.
    assert upload(client, token, "简历.pdf", pdf_bytes()).get_json()["attachment"]["filename"] == "简历.pdf"
    assert upload(client, token, "photo.jpg", png_bytes()).get_json()["attachment"]["filename"] == "photo.jpg"
    assert upload(client, token, "扫描件", pdf_bytes()).get_json()["attachment"]["filename"] == "扫描件.pdf"
