"""Where a candidate is in their interview, and the steps that move them forward.

Steps: landing -> consent -> identity -> device -> questions -> done. A question is answered when it has a stored
Answer of any status: an analysis that failed for good is no fault of the candidate, who goes on (the report says
that answer could not be analysed). A retake adds a row and the latest non-failed attempt is the one scored.
"""
import base64
import binascii
import dataclasses
import logging
import re
import unicodedata

from app.core import domains, jobs, pipeline
from app.core.base import utcnow
from app.core.converters import DB_INT_MAX
from app.core.errors import AppError, BadRequest, Conflict, Forbidden, TooManyAttempts, Unprocessable
from app.core.extensions import settings
from app.core.storage import get_storage
from app.core.tx import after_commit, transaction
from app.interview import biometrics
from app.interview.answer_jobs import SCORE_ANSWER
from app.interview.answers import answered_questions, locked_interview
from app.interview.identity_lock import NOTIFY_IDENTITY_LOCKED
from app.interview.models import AskedQuestion, ConsentRecord, Interview, InterviewStatus

log = logging.getLogger(__name__)

STEPS = ("landing", "consent", "identity", "device", "questions", "done")

# Consent texts are versioned: the version the candidate saw is stored with their consent.
CONSENT_VERSION = "2026-11-v1"
RECORDING_CONSENT = (
    "我同意本次面试全程录制音频与视频(仅音频面试时只录音频)。录制内容仅用于本次招聘评估,由招聘方及其授权的"
    "面试官查看,并由 AI 转写为文字、按岗位能力维度给出参考评分;最终录用决定由人作出。录音录像在招聘结束后"
    "按公司政策保存不超过 180 天,期满删除。我可以随时联系 HR 撤回同意或要求删除。"
)
BIOMETRIC_CONSENT = (
    "(可选)我同意使用我的人脸信息进行身份核验与作答过程中的人脸在场检测。人脸信息属于敏感个人信息,仅用于"
    "确认是本人作答,不用于表情或情绪评价。不同意不影响参加面试,将改为仅录制声音的面试。"
)
FACE_MAX_BYTES = 2 * 1024 * 1024


CONSENT_FIRST = "请先阅读并同意录制说明 Please give consent first"


class StepRequired(Forbidden):
    """The candidate tried a step before finishing an earlier one."""
    code = "step_required"


@dataclasses.dataclass
class Progress:
    step: str
    question: AskedQuestion | None
    answered: int
    total: int
    audio_only: bool
    number: int = 0  # of `question` among the interview's questions (Interview.questions), counted from 1


def progress(interview):
    """Which step comes next for this interview, and the first unanswered question (one without a stored answer:
    a question whose answer failed analysis is never shown again, the server would refuse a further attempt)."""
    questions = interview.asked_questions()
    answered = answered_questions(interview.id)
    pending = [q for q in questions if q.id not in answered]
    if interview.status == InterviewStatus.COMPLETED or (questions and not pending):
        step = "done"
    elif not interview.consent_recording_at:
        step = "landing"
    elif not interview.identity_verified_at:
        step = "identity"
    elif not interview.device_checked_at:
        step = "device"
    else:
        step = "questions"
    question = pending[0] if pending and step == "questions" else None
    return Progress(step=step, question=question, answered=len(questions) - len(pending), total=len(questions),
                    audio_only=interview.audio_only, number=questions.index(question) + 1 if question else 0)


def total_seconds(interview):
    """How long the questions take at most: think + answer time of every question."""
    return sum(q.think_seconds + q.answer_seconds for q in interview.asked_questions())


def require_identity(interview):
    """The steps before the questions come in order: StepRequired names the first one missing (consent, identity)."""
    if not interview.consent_recording_at:
        raise StepRequired(CONSENT_FIRST)
    if not interview.identity_verified_at:
        raise StepRequired("请先完成身份核验 Please verify your identity first")


def require_open(interview):
    if interview.status in InterviewStatus.ENDED:
        raise Conflict("面试已结束 This interview is already finished", code="interview_finished")


def withdraw_biometrics(interview, text_version, now):
    """Inside a transaction, on the locked `interview`: record biometric consent as not given (a first "no" or a
    withdrawal: the candidate's consent step, or HR recording a withdrawal after the interview,
    app/interview/late_withdrawal.py), erase the face results (app/interview/biometrics.py) and queue the answers
    scored with expressions to be scored again after commit, delete the face photo after commit. The caller saves
    `interview`. Returns the ids of the answers queued."""
    ConsentRecord.create(interview=interview.id, kind="biometric", granted=False, text_version=text_version,
                         created_at=now)
    interview.consent_biometric, interview.consent_biometric_at = False, None
    rescore = biometrics.erase_face_results(interview.id)
    for answer_id in rescore:
        # scored with the face's expression probabilities: scored again without them
        jobs.enqueue_after_commit(SCORE_ANSWER, answer_id, recovery="the interview sweep re-enqueues it")
    if interview.reference_image:
        face_key = interview.reference_image
        interview.reference_image = ""
        after_commit(lambda: get_storage().delete(face_key))
    return rescore


def give_consent(interview_id, recording, biometric, text_version):
    """Record consent: recording is required, biometrics optional (opt-in); declining biometrics means audio only.

    `biometric` None (not sent) is no on the first consent and leaves the stored choice alone on a repeat (a client
    re-sending its consent must not switch biometrics off: the face photo would be deleted and the interview could
    never have video again); an explicit False withdraws.

    Every decision is appended to ConsentRecord, and so is consent to a text version the interview had not agreed
    to before (both kinds, with that version); a repeat of the same text and choices appends nothing. Biometrics
    can be withdrawn at any time (the face photo is deleted at once, the face results of earlier answers are
    erased: app/interview/biometrics.py, and later answers are audio only); they cannot be turned on after the
    identity step, which is where the face photo is taken. A repeat never moves the interview back: the status and
    the pipeline move only from their first state. A finished interview changes nothing (409 interview_finished).
    """
    with transaction():
        interview = locked_interview(interview_id)
        if interview.status in InterviewStatus.ENDED:
            raise Conflict("面试已结束,不能再更改同意;如需撤回同意或删除数据,请联系 HR 或在状态页「我的数据」申请删除 "
                           "The interview is finished: consent cannot be changed here", code="interview_finished")
        if text_version != CONSENT_VERSION:
            raise Conflict("同意书已更新,请刷新页面后重新阅读 The consent text changed, reload the page",
                           code="consent_outdated", current_version=CONSENT_VERSION)
        if not recording:
            raise BadRequest("需要同意录制才能开始面试 Recording consent is required to start", code="consent_required")
        biometric = interview.consent_biometric is True if biometric is None else bool(biometric)
        if biometric and interview.identity_verified_at and interview.consent_biometric is not True:
            raise Conflict("身份核验后不能再开启人脸核验,本次为仅录音面试 Biometrics cannot be turned on after the "
                           "identity step; this interview stays audio only", code="biometric_consent_locked")
        now = utcnow()
        # Consent to a text the candidate had not agreed to yet (the text changed since) is a consent of its own:
        # recorded beside the earlier one, both kinds, so the records say which text they agreed to when.
        new_text = interview.consent_text_version != text_version
        if not interview.consent_recording_at or new_text:
            interview.consent_recording_at = interview.consent_recording_at or now
            ConsentRecord.create(interview=interview.id, kind="recording", granted=True, text_version=text_version,
                                 created_at=now)
        if biometric and interview.consent_biometric is not True:
            ConsentRecord.create(interview=interview.id, kind="biometric", granted=True,
                                 text_version=text_version, created_at=now)
            interview.consent_biometric, interview.consent_biometric_at = True, now
        elif not biometric and interview.consent_biometric is not False:
            withdraw_biometrics(interview, text_version, now)
        elif new_text:  # the same choice, under the new text
            ConsentRecord.create(interview=interview.id, kind="biometric", granted=biometric,
                                 text_version=text_version, created_at=now)
        interview.consent_text_version = text_version
        if interview.status == InterviewStatus.INVITED:
            interview.status = InterviewStatus.IN_PROGRESS
            interview.started_at = now
        interview.save()
        app = interview.application
        if app.stage == "ai_invited":
            pipeline.advance_stage(app.id, "ai_in_progress", actor="candidate", source="system",
                                   reason="候选人开始AI面试 candidate started")
    return Interview.get_by_id(interview_id)


def verify_identity(interview_id, name, phone_last4, face_jpeg=None, phone_proof=""):
    """Check name + last 4 phone digits (limited tries); keep the face snapshot when biometrics were accepted.
    A job with `identity_by_sms` asks for the name + a proof of the phone instead (an SMS code checked by the
    notifications domain: `phone_proof`, purpose "identity", through core.domains.check_phone_proof).

    Each try first takes one of the IDENTITY_MAX_ATTEMPTS slots with a conditional UPDATE, committed before the
    answer is looked at, so parallel guesses can never get more tries evaluated than the limit. A right answer gives
    its slot back: `identity_attempts` counts the failed tries.
    """
    limit = settings["IDENTITY_MAX_ATTEMPTS"]
    interview = Interview.get_by_id(interview_id)
    require_open(interview)
    if not interview.consent_recording_at:
        raise StepRequired(CONSENT_FIRST)
    if interview.identity_verified_at:
        return interview
    if interview.application.job.identity_by_sms and not phone_proof:
        raise BadRequest("请先获取短信验证码并点「验证」 Verify your phone with the SMS code first",
                         code="phone_code_required")
    phone_last4 = _check_identity_input(name, phone_last4, interview.application.job.identity_by_sms)
    with transaction():
        taken = (Interview.update(identity_attempts=Interview.identity_attempts + 1)
                 .where((Interview.id == interview_id) & (Interview.identity_attempts < limit)
                        & Interview.identity_verified_at.is_null()).execute())
    if not taken:
        interview = Interview.get_by_id(interview_id)
        if interview.identity_verified_at:
            return interview
        raise identity_locked()
    candidate = interview.application.candidate
    by_sms = interview.application.job.identity_by_sms
    phone_ok = (domains.check_phone_proof(phone_proof, candidate.phone, "identity") if by_sms
                else phone_last4 == candidate.phone_last4)
    ok = _norm_name(name) == _norm_name(candidate.name) and phone_ok
    if ok:
        try:
            face_key = None
            if interview.consent_biometric:
                if not face_jpeg:
                    raise BadRequest("请拍摄一张正面照片用于身份核验 Please take a face photo", code="face_required")
                face_key = save_reference_face(interview.id, face_jpeg)
        except AppError:
            _give_back_attempt(interview_id)
            raise
        with transaction():
            fields = {Interview.identity_verified_at: utcnow(),
                      Interview.identity_attempts: Interview.identity_attempts - 1}
            if face_key:
                fields[Interview.reference_image] = face_key
            Interview.update(fields).where(Interview.id == interview_id).execute()
        return Interview.get_by_id(interview_id)
    left = limit - Interview.get_by_id(interview_id).identity_attempts
    if left <= 0:
        # This try locked the link: HR is told (once per lock, app/interview/identity_lock.py).
        jobs.enqueue_or_log(NOTIFY_IDENTITY_LOCKED, interview_id,
                            recovery="the status page still tells the candidate to wait")
        raise identity_locked()
    what = "姓名或短信验证不正确" if by_sms else "姓名或手机号后四位不正确"
    raise BadRequest(f"{what},还可尝试 {left} 次 Name or phone digits do not match",
                     code="identity_mismatch", attempts_left=left)


def _check_identity_input(name, phone_last4, by_sms):
    """BadRequest for a form that is no guess (no name, not 4 digits), before it takes one of the limited tries;
    the 4 digits as typed (full-width digits of a Chinese keyboard read as ASCII)."""
    if not _norm_name(name):
        raise BadRequest("请填写姓名 Please enter your name", code="name_required")
    if by_sms:
        return ""
    digits = unicodedata.normalize("NFKC", phone_last4 or "").strip()
    if not re.fullmatch(r"[0-9]{4}", digits):
        raise BadRequest("请填写手机号后四位(4 位数字) Enter the last 4 digits of your phone number",
                         code="phone_last4_invalid")
    return digits


def _give_back_attempt(interview_id):
    """A right answer that could not finish (no or bad face photo) does not use up a try."""
    with transaction():
        (Interview.update(identity_attempts=Interview.identity_attempts - 1)
         .where((Interview.id == interview_id) & (Interview.identity_attempts > 0)).execute())


def identity_locked():
    return TooManyAttempts("身份核验失败次数过多,链接已暂停;我们已通知HR,HR确认是你本人后会为你解锁 "
                           "Too many failed attempts: the link is paused and HR has been told",
                           code="identity_locked")


def _norm_name(name):
    return "".join((name or "").split()).casefold()


def decode_face(data):
    """Accept JPEG bytes or a base64 data URL from the camera canvas; return JPEG bytes."""
    if not isinstance(data, (str, bytes)):
        raise BadRequest("照片格式不正确 The photo is not valid", code="face_invalid")
    if isinstance(data, str):
        data = data.partition(",")[2] if data.startswith("data:") else data
        try:
            data = base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise BadRequest("照片格式不正确 The photo is not valid", code="face_invalid") from exc
    if not data or len(data) > FACE_MAX_BYTES:
        raise BadRequest("照片格式不正确 The photo is not valid", code="face_invalid")
    if not data.startswith(b"\xff\xd8"):
        raise Unprocessable("请上传 JPEG 照片 The photo must be a JPEG", code="face_invalid")
    return data


def save_reference_face(interview_id, face_jpeg):
    key = f"faces/{int(interview_id)}/reference.jpg"
    get_storage().save(key, decode_face(face_jpeg))
    return key


def mark_device_checked(interview_id):
    """Remember that camera/microphone worked, so a reopened link goes straight to the questions."""
    with transaction():
        interview = Interview.get_by_id(interview_id)
        require_open(interview)
        require_identity(interview)
        if not interview.device_checked_at:
            interview.device_checked_at = utcnow()
            interview.save()
    return interview


def check_question(interview, question_id, attempt):
    """The question to record an attempt of; refuse questions of another job and attempts beyond the retakes."""
    require_open(interview)
    require_identity(interview)
    question = interview.asked(question_id)
    if question is None:
        raise BadRequest("该题目不属于本次面试 This question is not part of this interview",
                         code="question_not_in_interview")
    if not isinstance(attempt, int) or isinstance(attempt, bool) or not 1 <= attempt <= DB_INT_MAX:
        raise BadRequest("attempt 必须是不小于 1 的整数 attempt must be an integer of at least 1",
                         code="invalid_attempt")
    if attempt > 1 + question.retakes_allowed:
        raise Conflict(f"本题最多可作答 {1 + question.retakes_allowed} 次 No retakes left for this question",
                       code="no_retakes_left", max_attempts=1 + question.retakes_allowed)
    check_in_order(interview, question)
    return question


def check_in_order(interview, question):
    """Questions are answered in order: a question's clock, recording and upload are for the candidate only once
    every earlier question has a stored answer (of any status: a failed analysis is no fault of theirs), as the
    pages and GET /questions serve no question's text before. An earlier question's late upload is never held up.

    The interview's questions never change (Interview.questions), so a question that passed once keeps passing.
    Conflict `question_out_of_order` names the first earlier question without an answer; "earlier" and the
    numbers are places among the interview's questions, as the page numbers them.
    """
    questions = interview.asked_questions()
    earlier = questions[:questions.index(question)] if question in questions else []
    answered = answered_questions(interview.id)
    missing = [(number, q) for number, q in enumerate(earlier, 1) if q.id not in answered]
    if not missing:
        return
    number, first = missing[0]
    raise Conflict(f"请按顺序作答:第 {number} 题还没有提交回答,提交后才能作答第 {len(earlier) + 1} 题 "
                   f"Questions are answered in order: question {number} has no answer yet",
                   code="question_out_of_order", question_id=first.id, number=number)


def on_answer_stored(interview_id):
    """Inside the answer's transaction: finish the interview when every question has an answer (of any status)."""
    interview = Interview.get_by_id(interview_id)
    questions = interview.asked_questions()
    answered = answered_questions(interview_id)
    if interview.status == InterviewStatus.COMPLETED or any(q.id not in answered for q in questions):
        return False
    interview.status = InterviewStatus.COMPLETED
    interview.completed_at = utcnow()
    interview.save()
    app = interview.application
    if pipeline.can_move(app.stage, "ai_completed"):
        pipeline.advance_stage(app.id, "ai_completed", actor="candidate", source="system",
                               reason="候选人完成全部题目 all questions answered")
    else:
        log.warning("interview %s completed while application %s is %s", interview_id, app.id, app.stage)
    return True
