"""A candidate with data in every category the export lists and the deletion removes (files on disk included)."""
import io
from types import SimpleNamespace

from PIL import Image

from app.conversation import services as conversation
from app.conversation.models import Attachment
from app.models import Answer, Candidate, Interview, Note, Rating, Report
from app.services import interview_flow, pipeline
from app.services.invitations import invite_candidate
from app.services.storage import get_storage


def pdf_bytes():
    buf = io.BytesIO()
    Image.new("RGB", (20, 20), (255, 255, 255)).save(buf, "PDF")
    return buf.getvalue()


def candidate_with_data(job, name, phone, tag):
    """Invite `name`, consent, one answer (recording, playback copy, poster, transcript, scores, a rating), a face
    photo, a report with an evidence quote, a stage reason, messages both ways with an attachment, an HR note.
    `tag` is written into every free-text field so a test can look for it (or its absence)."""
    storage = get_storage()
    interview, token = invite_candidate(job.id, name, phone)
    app_id = interview.application_id
    Candidate.update(email=f"{tag}@example.com", resume_text=f"{tag} 简历").where(
        Candidate.id == interview.application.candidate_id).execute()
    interview_flow.give_consent(interview.id, True, True, interview_flow.CONSENT_VERSION)
    face = storage.save(f"faces/{interview.id}.jpg", b"\xff\xd8 face")
    Interview.update(reference_image=face).where(Interview.id == interview.id).execute()
    question = job.ordered_questions()[0]
    keys = {"media": storage.save(f"answers/{interview.id}/a1.webm", b"\x1a\x45\xdf\xa3 webm"),
            "playback": storage.save(f"playback/{interview.id}/a1.mp4", b"mp4"),
            "poster": storage.save(f"playback/{interview.id}/a1.jpg", b"\xff\xd8 poster"), "face": face}
    transcript = f"{tag} 我用慢查询日志定位到缺少索引"
    answer = Answer.create(interview=interview, question=question, media_key=keys["media"],
                           playback_key=keys["playback"], poster_key=keys["poster"], mime_type="video/webm",
                           has_video=True, duration_s=12.0, status="scored",
                           transcript={"text": transcript, "segments": [{"start": 0, "end": 3, "text": transcript}]},
                           features={"speaking_rate_cpm": 210.0}, video={"face_visible_ratio": 0.93},
                           scores={"dimensions": {"岗位匹配度": {"score": 81, "evidence": []}}, "model_version": "t"})
    Rating.create(answer=answer, dimension="岗位匹配度", rater_userid="zhangwei", score=4)
    pipeline.advance_stage(app_id, "ai_in_progress", actor="system", source="system")
    pipeline.advance_stage(app_id, "ai_completed", actor="system", source="system", reason=f"{tag} 阶段说明")
    report = Report.create(interview=interview, total=76.5, model_version="t", flags=[], dimensions={
        "岗位匹配度": {"score": 81.0, "weight": 100, "answers": [answer.id], "evidence": [
            {"type": "quote", "text": f"{tag} 慢查询日志", "start": 0, "end": 5, "why": "关键词",
             "answer_id": answer.id, "question": question.position}]}})
    pipeline.advance_stage(app_id, "ai_scored", actor="system", source="system")
    key = storage.save(f"attachments/{app_id}/{tag}.pdf", pdf_bytes())
    attachment = Attachment.create(application=app_id, storage_key=key, filename=f"{tag}.pdf",
                                   mime_type="application/pdf", kind="document", size_bytes=100)
    keys["attachment"] = key
    conversation.post_candidate_message(interview, f"{tag} 候选人的留言", [attachment.id])
    conversation.post_staff_message(app_id, "hr_lina", f"{tag} HR 的回复")
    Note.create(application=app_id, author="zhangwei", body=f"{tag} 备注")
    return SimpleNamespace(interview=Interview.get_by_id(interview.id), token=token, answer=answer,
                           attachment=attachment, report=report, application_id=app_id,
                           candidate_id=interview.application.candidate_id, keys=keys)
