"""What the AI interview stores about a candidate: `application_fields` (the export's "interviews") and `erase` for
the deletion (declared as the interview domain's `personal_data`; app/core/personal_data.py has the contract).

Export ("interviews" of each application): each interview's status and dates, the consent it was given (and its
history), whether a face photo is stored, every answer (question, attempt, the recording's size, length and whether
it is still stored, the transcript with its timings, the speech features, the face and video analysis, the scores,
the raters' ratings) and the report (scores per dimension with their evidence, flags, integrity checks, versions).
The JSON holds the speech features and the face analysis whole; the page shows them under SPEECH_LABELS and
VIDEO_LABELS, in words (`page_view`).
The recordings themselves are listed, not embedded; `files` hands the data package (app/privacy/archive.py) each
recording still stored (the original the candidate sent: 录像/第1题-第1次.webm; the playback copy and poster are
the company's derivatives of it) and the face photo (人脸照片/).

Erase:
- Recordings, playback copies, posters, the face photo, the QR code and upload chunks: removed (storage and disk).
- Answers (transcripts, features, analysis, scores), ratings, question timings, uploads, reports and result cards:
  deleted. A card whose buttons can still be greyed out says "候选人数据已删除" (`GREY_ERASED_CARD`).
- Interviews: kept without their face photo; an open link stops working (expired): the status page still opens
  and tells the candidate their data was deleted. The consent records stay (the evidence of what was agreed; they
  hold no personal fields).
"""
from app.core import jobs
from app.core.base import utcnow
from app.core.personal_data import at, stored_file
from app.interview import result_cards
from app.interview.invitations import qr_path
from app.interview.models import (
    Answer,
    CardMessage,
    ConsentRecord,
    Interview,
    InterviewStatus,
    QuestionStart,
    Rating,
    Report,
    Upload,
)
from app.interview.uploads import drop_chunks

# The page (privacy/export.html) shows the speech features and the face and video analysis with these labels and
# only these fields; the JSON keeps them whole. Left off the page: the face count of every sampled frame, the
# sampling rate, the identity distances' median and thresholds, the model's name, a pause's minimum length.
SPEECH_LABELS = {"duration_s": "时长(秒)", "chars": "字数", "speaking_rate_cpm": "语速(字/分钟)",
                 "speech_s": "说话时长(秒)", "start_delay_s": "开口前的停顿(秒)", "pauses": "停顿",
                 "count": "次数", "longest_s": "最长(秒)", "total_s": "合计(秒)", "fillers": "口头禅(次数)",
                 "filler_total": "口头禅合计", "hesitation_total": "犹豫词合计",
                 "fillers_per_100_chars": "每百字口头禅", "repetition_ratio": "重复率"}
VIDEO_LABELS = {"skipped": "未分析的原因", "frames_sampled": "分析的画面数", "no_face_ratio": "未见人脸的画面比例",
                "longest_no_face_s": "最长连续未见人脸(秒)", "multi_face_frames": "多人同框的画面数",
                "identity": "本人核验", "checked": "比对的画面数", "reference": "比对的参照",
                "same_person_votes": "判断为本人的画面数", "different_votes": "判断为非本人的画面数",
                "verdict": "结论", "emotions": "表情(占比)", "angry": "生气", "disgust": "厌恶", "fear": "害怕",
                "happy": "高兴", "sad": "难过", "surprise": "惊讶", "neutral": "平静", "flags": "提示",
                "message": "说明"}
VIDEO_VALUES = {"given": "身份核验时拍的照片", "first_frame": "录像开头的画面", "same": "是本人",
                "different": "可能不是本人", "unknown": "无法判断"}


WHOLE = {"fillers"}   # dicts keyed by words from the answer ({"嗯": 3}), shown as they are


def page_view(value, labels, values=None):
    """`value` with only the keys `labels` names (at any depth; the dicts of WHOLE stay whole) and its codes in
    words (`values`), for the export page."""
    values = values or {}
    if isinstance(value, dict):
        return {k: x if k in WHOLE else page_view(x, labels, values) for k, x in value.items() if k in labels}
    if isinstance(value, list):
        return [page_view(x, labels, values) for x in value]
    return values.get(value, value) if isinstance(value, str) else value


def _consent(interview):
    return {"recording_at": at(interview.consent_recording_at), "biometric": interview.consent_biometric,
            "biometric_at": at(interview.consent_biometric_at), "text_version": interview.consent_text_version,
            "records": [{"kind": r.kind, "granted": r.granted, "text_version": r.text_version,
                         "at": at(r.created_at)}
                        for r in ConsentRecord.select().where(ConsentRecord.interview == interview.id)
                        .order_by(ConsentRecord.created_at, ConsentRecord.id)]}


def _answer(answer, question):
    transcript = answer.transcript or {}
    return {"id": answer.id, "question": question.text, "question_position": question.position,
            "attempt": answer.attempt, "at": at(answer.created_at), "status": answer.status,
            "recording": {"mime_type": answer.mime_type, "size_bytes": answer.size_bytes,
                          "duration_s": answer.duration_s, "has_video": answer.has_video,
                          "stored": bool(answer.media_key) and answer.media_purged_at is None,
                          "deleted_at": at(answer.media_purged_at)},
            "transcript": transcript.get("text", ""), "transcript_segments": transcript.get("segments", []),
            "speech_features": answer.features, "face_and_video_analysis": answer.video, "scores": answer.scores,
            "ratings": [{"dimension": r.dimension, "score": r.score, "rater": r.rater_userid, "at": at(r.created_at)}
                        for r in Rating.select().where(Rating.answer == answer.id).order_by(Rating.id)]}


def _report(report):
    if report is None:
        return None
    return {"id": report.id, "total": report.total, "dimensions": report.dimensions, "flags": report.flags,
            "integrity": report.integrity, "model_version": report.model_version, "at": at(report.created_at)}


def _asked_answers(interview, *where):
    """The interview's answers (matching `where`) with the question each answered as the interview was sent it,
    in the interview's question order and by attempt: [(answer, AskedQuestion)]."""
    order = {q.id: (number, q) for number, q in enumerate(interview.asked_questions())}
    rows = Answer.select().where(Answer.interview == interview.id, *where)
    return sorted(((a, order[a.question_id][1]) for a in rows),
                  key=lambda pair: (order[pair[0].question_id][0], pair[0].attempt))


def _interview(interview):
    return {"id": interview.id, "status": interview.status, "invited_at": at(interview.created_at),
            "expires_at": at(interview.expires_at), "started_at": at(interview.started_at),
            "completed_at": at(interview.completed_at), "identity_verified_at": at(interview.identity_verified_at),
            "face_photo_stored": bool(interview.reference_image), "consent": _consent(interview),
            "answers": [_answer(a, question) for a, question in _asked_answers(interview)],
            "report": _report(Report.get_or_none(Report.interview == interview.id))}


def export(application_ids):
    """The interview has no sections of its own: its data is the export's "interviews" (application_fields)."""
    return {}


def application_fields(application_ids):
    """{application_id: {"interviews": [...]}} for the candidate's export."""
    out = {app_id: {"interviews": []} for app_id in application_ids}
    for interview in (Interview.select().where(Interview.application.in_(list(application_ids)))
                      .order_by(Interview.created_at, Interview.id)):
        out[interview.application_id]["interviews"].append(_interview(interview))
    return out


def files(application_ids):
    """The recordings still stored and the face photo, per interview (named "面试2-" when an application has more
    than one interview)."""
    by_application = {}
    for interview in (Interview.select().where(Interview.application.in_(list(application_ids)))
                      .order_by(Interview.created_at, Interview.id)):
        by_application.setdefault(interview.application_id, []).append(interview)
    out = []
    for app_id, interviews in by_application.items():
        for number, interview in enumerate(interviews, 1):
            prefix = f"面试{number}-" if len(interviews) > 1 else ""
            if interview.reference_image:
                out.append(stored_file(app_id, "人脸照片", f"{prefix}人脸照片{_suffix(interview.reference_image)}",
                                       interview.reference_image, "interviews",
                                       {"id": interview.id, "face_photo_stored": True}))
            for a, question in _asked_answers(interview, Answer.media_purged_at.is_null()):
                if a.media_key:
                    out.append(stored_file(app_id, "录像", f"{prefix}第{question.position + 1}题-第{a.attempt}次"
                                           f"{_suffix(a.media_key)}", a.media_key, "interviews",
                                           {"id": a.id, "attempt": a.attempt}))
    return out


def _suffix(key):
    dot = key.rsplit("/", 1)[-1].rfind(".")
    return key.rsplit("/", 1)[-1][dot:] if dot > 0 else ""


def erase(application_ids):
    """Delete what the interview stores about these applications; return counts, storage keys and local paths of
    the files to remove. Idempotent: a second call finds nothing."""
    ids = list(application_ids)
    interviews = list(Interview.select().where(Interview.application.in_(ids)))
    iv_ids = [i.id for i in interviews]
    answers = list(Answer.select().where(Answer.interview.in_(iv_ids)))
    answer_ids = [a.id for a in answers]
    keys = [k for a in answers for k in (a.media_key, a.playback_key, a.poster_key)]
    keys += [i.reference_image for i in interviews]
    for upload in Upload.select(Upload.id).where(Upload.interview.in_(iv_ids)):
        drop_chunks(upload.id)  # chunks live in the storage (a folder or the bucket)
    for card in result_cards.cards_to_grey_on_erasure(ids):
        jobs.enqueue_after_commit(result_cards.GREY_ERASED_CARD, *card)
    counts = {"answers": len(answer_ids),
              "reports": Report.delete().where(Report.interview.in_(iv_ids)).execute(),
              "cards": CardMessage.delete().where(CardMessage.application.in_(ids)).execute()}
    Rating.delete().where(Rating.answer.in_(answer_ids)).execute()
    Answer.delete().where(Answer.id.in_(answer_ids)).execute()
    QuestionStart.delete().where(QuestionStart.interview.in_(iv_ids)).execute()
    Upload.delete().where(Upload.interview.in_(iv_ids)).execute()
    # An open link stops working for the interview (expired, not revoked: the status page still opens and tells
    # the candidate their data was deleted).
    (Interview.update(status=InterviewStatus.EXPIRED, expires_at=utcnow())
     .where(Interview.id.in_(iv_ids) & Interview.status.in_([InterviewStatus.INVITED, InterviewStatus.IN_PROGRESS]))
     .execute())
    Interview.update(reference_image="").where(Interview.id.in_(iv_ids)).execute()
    return {"counts": counts, "keys": [k for k in keys if k], "paths": [qr_path(i) for i in iv_ids]}
