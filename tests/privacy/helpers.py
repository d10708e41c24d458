"""A candidate with data in every category the export lists and the deletion removes (files on disk included); an
interview whose report flags faces, and its result card sent with the face line (the late-withdrawal tests)."""
import datetime as dt
import io
import time
from types import SimpleNamespace

from PIL import Image

from app.conversation import services as conversation
from app.conversation.models import Attachment
from app.core import pipeline
from app.core.base import utcnow
from app.core.models import Candidate, Job, Note
from app.core.storage import get_storage
from app.interview import answer_analysis, reports, result_cards
from app.interview import flow as interview_flow
from app.interview.invitations import invite_candidate
from app.interview.models import Answer, ConsentRecord, Interview, Rating, Report
from tests.candidate.test_biometric_withdrawal import FACE
from tests.support.interviews import invite, make_ready, two_question_job
from tests.support.wecom import scored_application


def pdf_bytes():
    """The same bytes on every call (fixed dates: Pillow otherwise writes the current second, and the shared-resume
    test, which needs two identical files, failed when a second ticked between its two calls)."""
    buf = io.BytesIO()
    Image.new("RGB", (20, 20), (255, 255, 255)).save(buf, "PDF", creationDate=time.gmtime(0), modDate=time.gmtime(0))
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
                           features={"speaking_rate_cpm": 210.0, "fillers": {"嗯": 2},
                                     "pauses": {"count": 1, "longest_s": 1.2, "total_s": 1.2, "min_gap_s": 0.6}},
                           video={"frames_sampled": 12, "faces_per_frame": [1] * 12, "no_face_ratio": 0.0,
                                  "identity": {"checked": 10, "reference": "given", "verdict": "same",
                                               "thresholds": {"same_max": 0.9, "metric": "euclidean_l2"}},
                                  "model": "deepface/t", "flags": [{"code": "multiple_faces",
                                                                    "message": "画面中出现多张人脸(2 帧)"}]},
                           scores={"dimensions": {"岗位匹配度": {"score": 81, "evidence": []}}, "model_version": "t"})
    Rating.create(answer=answer, dimension="岗位匹配度", rater_userid="zhangwei", score=4)
    pipeline.advance_stage(app_id, "ai_in_progress", actor="system", source="system")
    pipeline.advance_stage(app_id, "ai_completed", actor="system", source="system", reason=f"{tag} 阶段说明")
    report = Report.create(interview=interview, total=76.5, model_version="t", flags=[], dimensions={
        "岗位匹配度": {"score": 81.0, "weight": 100, "answers": [
            {"answer_id": answer.id, "question": question.position, "score": 81}], "evidence": [
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


def candidate_with_domain_data(job, link, name, phone, tag, booked_at, salary=34567):
    """`candidate_with_data` plus what the domain packages store about the same application, `tag` in every
    free-text field: an application through a posting (intake with knockout answers and a message for the
    candidate, a parsed resume file, a screening quoting it), a second round booked at `booked_at` (WeCom
    schedule and meeting ids) with a scorecard, a background check with a CHSI code and an employer, an offer and
    onboarding items, process events and a sent notice, self-identification ("女", "45+") and a performance record
    imported from a file that referenced the candidate by phone."""
    from app.analytics import self_id
    from app.analytics.models import PerformanceImport, PerformanceRecord
    from app.core.base import utcnow
    from app.process import audit, notices
    from app.process.models import (
        Booking,
        CheckItem,
        CheckOrder,
        Offer,
        OnboardingItem,
        Round,
        RoundSlot,
        Scorecard,
        Slot,
    )
    from app.screening import intake
    from app.screening.models import Intake, Resume, Screening
    from bench import resume_samples

    resume_bytes = resume_samples.to_pdf([f"姓名: {name}", f"电话: {phone}", f"{tag} 复旦大学 本科"])
    application, _, _ = intake.apply(link.code, name, phone, resume_bytes, f"{tag}-简历.pdf", {"q1": "能"})
    data = candidate_with_data(job, name, phone, tag)
    app_id = data.application_id
    assert app_id == application.id  # the invitation reused the posting's application
    resume = Resume.get(Resume.application == app_id)
    raw_text = (f"姓名: {name}\n电话: {phone}\n教育经历\n2012.09-2016.06 {tag} 复旦大学 计算机 本科\n"
                f"工作经历\n2016.07-至今 {tag} 上海云帆科技有限公司 后端工程师\n用 PostgreSQL 和 Kafka 做订单系统")
    Resume.update(status="parsed", method="text", raw_text=raw_text, tokens=f"{tag} 复旦大学 计算机",
                  fields=parsed_fields(name, phone, tag), parsed_at=utcnow()).where(Resume.id == resume.id).execute()
    Screening.create(application=app_id, resume=resume, score=77.0, must_met=2, must_total=3,
                     verdicts=screening_verdicts(tag), screener_version="t")
    Intake.update(answers={"q1": "能", "note": f"{tag} 知识问答"}, candidate_message=f"{tag} 给候选人的说明").where(
        Intake.application == app_id).execute()

    pipeline.advance_stage(app_id, "second_round", actor="zhangwei", source="web")
    round_ = Round.create(application=app_id, interviewers=["zhangwei"], duration_min=60, format="meeting",
                          focus=f"{tag} 重点问分布式事务", candidate_answer="", candidate_note=f"{tag} 下周三方便",
                          created_by="hr_lina")
    slot = Slot.create(job=job.id, start_at=booked_at, end_at=booked_at + dt.timedelta(hours=1),
                       interviewers=["zhangwei"], format="meeting", created_by="hr_lina")
    RoundSlot.create(round=round_, slot=slot)
    Booking.create(slot=slot, round=round_, schedule_id=f"sched-{app_id}", meeting_id=f"meet-{app_id}",
                   meeting_link="https://meeting.example/j/1", meeting_code="123456789",
                   calendar_error=f"{tag} 日程失败")
    Scorecard.create(round=round_, interviewer="zhangwei", recommendation="yes", concerns=["沟通"],
                     ratings={"岗位匹配度": {"score": 4, "comment": f"{tag} 评语:索引讲得清楚"},
                              "语言表达": {"score": 2, "comment": f"{tag} 评语:表达啰嗦"}},
                     summary=f"{tag} 总评")
    audit.record(app_id, "other_time", "candidate", f"{tag} 下周三下午")
    pipeline.advance_stage(app_id, "background_check", actor="hr_lina", source="web")
    order = CheckOrder.create(application=app_id, status="verifying", consent_version="bg-1", consent_at=utcnow(),
                              decision_note=f"{tag} 决定说明")
    CheckItem.create(order=order, kind="education", label="最高学历(学信网在线验证码)", status="submitted",
                     value=f"{tag}CHSI2026")
    CheckItem.create(order=order, kind="employment", label="最近一家雇主(离职证明)", status="problem",
                     value=f"{tag} 上海云帆", attachment_id=data.attachment.id, note=f"{tag} 离职日期不符",
                     verified_by="hr_lina")
    audit.record(app_id, "check_problem", "hr_lina", f"{tag} 离职日期不符")
    start = dt.date.today() + dt.timedelta(days=30)
    offer = Offer.create(application=app_id, position="后端工程师", level="P6", salary=salary, start_date=start,
                         place="上海", probation_months=3, expires_on=start - dt.timedelta(days=20),
                         breaks=[f"月薪 {salary} 超出带宽 20000-30000"], status="accepted", answer_text=name,
                         answered_at=utcnow(), employee_userid=f"{tag}_emp", account_error=f"{tag} 账号失败",
                         created_by="hr_lina")
    OnboardingItem.create(application=app_id, key="details", label="个人信息(紧急联系人、住址)", kind="details",
                          status="submitted", value=f"{tag} 身份证 310101199001011234 住址 上海", note=f"{tag} 备注")
    OnboardingItem.create(application=app_id, key="id_card", label="身份证(正反面)", kind="document",
                          status="verified", attachment_id=data.attachment.id, verified_by="hr_lina")
    notices.claim(f"account:{offer.id}", app_id, "account", [f"{tag}_emp"])
    self_id.save(app_id, {"gender": "女", "age_band": "45+"}, consented=True)
    source = PerformanceImport.create(filename="绩效.csv", actor="hr_lina", status="committed", rows=[
        {"line": 2, "reference": phone, "application_id": app_id, "period": "2026H1", "rating": 88.5,
         "kpis": {"回款": 1.2}, "error": ""}])
    PerformanceRecord.create(application=app_id, period="2026H1", rating=88.5, kpis={"回款": 1.2}, source=source)
    data.resume_key = resume.file_key
    data.round_id = round_.id
    return data


def parsed_fields(name, phone, tag):
    """A resume's fields as the parser stores them (resume_fields.parse plus parsing.py's working fields): the
    person's details, and the search tokens, "至今" date, end months and each work entry's offset and vector that
    the export leaves out."""
    from app.screening import roles
    return {"name": name, "phone": phone, "email": f"{tag.lower()}@example.com", "city": "上海",
            "education": [{"school": f"{tag} 复旦大学", "degree": "本科", "major": "计算机", "start": "2012-09",
                           "end": "2016-06", "text": f"2012.09-2016.06 {tag} 复旦大学 计算机 本科"}],
            "highest_degree": "本科",
            "work": [{"employer": f"{tag} 上海云帆科技有限公司", "title": "后端工程师", "start": "2016-07",
                      "end": "至今", "end_month": "2026-12", "months": 125,
                      "text": f"2016.07-至今 {tag} 上海云帆科技有限公司 后端工程师"}],
            "total_years": 10.4, "skills": ["PostgreSQL", "消息队列"], "parsed_on": "2026-12-01",
            "experience_tokens": "tokenxyz 订单 系统", "roles": [{"start": 51, "title": "后端工程师",
                                                                "vector": roles._pack([0.25] * 512)}]}


def screening_verdicts(tag):
    """Verdicts as matching.judge stores them: codes for kind, type, verdict and strength, offsets, credits."""
    return [{"id": "c1", "kind": "must", "type": "degree", "label": "学历: 本科及以上", "verdict": "matched",
             "evidence": {"text": f"2012.09-2016.06 {tag} 复旦大学 计算机 本科", "start": 31, "end": 62},
             "why": "最高学历 本科", "strength": "", "credit": 1.0},
            {"id": "c2", "kind": "must", "type": "relevant_years", "label": "相关年限: 3 年以上",
             "verdict": "matched", "evidence": {"text": "2016.07-至今", "start": 68, "end": 78},
             "why": "相关工作 10.4 年", "strength": "", "credit": 1.0, "years": 10.4, "required": 3,
             "role_years": 10.4},
            {"id": "c3", "kind": "nice", "type": "skill", "label": "技能: Kafka", "verdict": "uncertain",
             "evidence": {"text": "用 PostgreSQL 和 Kafka 做订单系统", "start": 107, "end": 112},
             "why": "项目中提及(未写本人角色):「Kafka」", "strength": "listed", "credit": 0.3456}]


def two_candidates_with_domain_data():
    """李明 ("LIMING") and 王芳 ("WANGFANG"), each with `candidate_with_domain_data` on one backend job and posting
    link (the interviewer zhangwei signed in as 张伟); returns (mine, other, mine's booked time)."""
    from app.core.base import utcnow
    from app.core.models import StaffUser
    from app.screening import intake
    from app.screening.job_templates import import_template
    from tests.support.funnel import backend_template

    job = import_template(backend_template())
    link = intake.create_link(job.id, "wechat_group", "hr1")
    soon = (utcnow() + dt.timedelta(days=2)).replace(microsecond=0)
    StaffUser.create(userid="zhangwei", name="张伟")
    mine = candidate_with_domain_data(job, link, "李明", "13800001234", "LIMING", booked_at=soon)
    other = candidate_with_domain_data(job, link, "王芳", "13900005678", "WANGFANG", salary=23456,
                                       booked_at=soon - dt.timedelta(days=5))
    return mine, other, soon


def finished_with_face_flags():
    """A completed interview with biometric consent, its answers scored (one with the face's expressions), and
    the report built from them: it flags 不是同一人 and 多张人脸."""
    job = two_question_job(use_expressions=True)
    interview, _ = invite(job)
    make_ready(interview, biometric=True)
    q1, q2 = job.ordered_questions()
    with_expressions = Answer.create(
        interview=interview, question=q1, attempt=1, media_key="answers/x/1.webm", has_video=True, duration_s=60.0,
        status="analysed", video=FACE, transcript={"text": "我负责过订单系统的优化,把接口从两秒降到两百毫秒。",
                                                   "segments": []})
    without = Answer.create(
        interview=interview, question=q2, attempt=1, media_key="answers/x/2.webm", has_video=True, duration_s=60.0,
        status="analysed", video=dict(FACE, emotions={}),
        transcript={"text": "我带过三个人的小组,按周复盘,每次复盘都记下问题和负责人。", "segments": []})
    for answer in (with_expressions, without):
        answer_analysis.score(answer.id)
    Interview.update(status="completed", completed_at=utcnow()).where(Interview.id == interview.id).execute()
    for stage in ("ai_in_progress", "ai_completed"):
        pipeline.advance_stage(interview.application_id, stage, actor="t", source="system")
    report = reports.build_report(interview.id)
    assert {"different_person", "multiple_faces"} <= {f["code"] for f in report.flags}
    return Interview.get_by_id(interview.id), report, with_expressions, without


def card_with_a_face_line(box, backend_job):
    """A scored application whose interview had biometric consent and whose report's face flag went out on the
    result card to zhangwei. Returns (interview, report, the card's row)."""
    Job.update(manager_userids=["zhangwei"]).where(Job.id == backend_job.id).execute()
    application = scored_application(Job.get_by_id(backend_job.id))
    interview = Interview.get(Interview.application == application.id)
    Interview.update(consent_biometric=True, consent_text_version=interview_flow.CONSENT_VERSION).where(
        Interview.id == interview.id).execute()
    ConsentRecord.create(interview=interview.id, kind="biometric", granted=True,
                         text_version=interview_flow.CONSENT_VERSION)
    report = Report.get(Report.interview == interview.id)
    flag = {"code": "different_person", "question": 0, "message": "第1题答题人与参考照片或开头画面不是同一人",
            "severity": 90}
    checks = {"checks": [{"code": "face", "label": "人脸核验", "ran": True, "found": 1, "note": ""}],
              "flags": [flag], "audio_only": False, "line": "1 项提示：第1题答题人与参考照片或开头画面不是同一人"}
    Report.update(flags=[flag], integrity=checks).where(Report.id == report.id).execute()
    card = result_cards.push_result_card(report.id)
    assert "不是同一人" in box.card(card.task_id, "zhangwei")["card"]["sub_title_text"]
    return interview, report, card
