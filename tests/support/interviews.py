"""Jobs, invitations and interviews walked to "ready" (consent, identity, device check) through the real services."""
import base64
import io
from functools import cache
from pathlib import Path

import yaml

from app.core.models import Dimension, Job, Question
from app.interview import flow as interview_flow
from app.interview import uploads
from app.interview.invitations import invite_candidate
from app.screening.job_templates import import_template
from tests.support.app import ROOT

NAME = "李雷"
PHONE = "13812345678"


@cache
def tiny_jpeg():
    """A small real JPEG (the face snapshot of the identity step), made with Pillow."""
    from PIL import Image
    buf = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 160, 140)).save(buf, "JPEG")
    return buf.getvalue()


def face_data_url():
    return "data:image/jpeg;base64," + base64.b64encode(tiny_jpeg()).decode()


def make_short_job(questions=2, think=2, answer=4, retakes=1, title="测试工程师"):
    """A job with short timers, so a real recording in a test takes seconds."""
    job = Job.create(title=title, department="技术部", description="测试岗位")
    Dimension.create(job=job, name="语言表达", weight=100, keywords=["清楚"], position=0)
    for i in range(questions):
        Question.create(job=job, position=i + 1, text=f"第{i + 1}题:请简单介绍一个你解决过的问题。",
                        dimension_names=["语言表达"], think_seconds=think, answer_seconds=answer,
                        retakes_allowed=retakes)
    return job


def two_question_job(use_expressions=False):
    """The shipped backend-engineer template cut to its questions 2 and 3 (both scored on the job's dimensions)."""
    data = yaml.safe_load((ROOT / "job_templates" / "backend-engineer.yaml").read_text(encoding="utf-8"))
    data["questions"] = data["questions"][1:3]
    data["use_expressions"] = use_expressions
    return import_template(yaml.safe_dump(data, allow_unicode=True))


def invite(job, name=NAME, phone=PHONE):
    return invite_candidate(job.id, name, phone)


def make_ready(interview, biometric=False, face=None, name=NAME, phone=PHONE):
    """Walk an interview through consent, identity (a face when biometric: `face` or a tiny JPEG) and the device
    check."""
    interview_flow.give_consent(interview.id, True, biometric, interview_flow.CONSENT_VERSION)
    interview_flow.verify_identity(interview.id, name, phone[-4:], (face or face_data_url()) if biometric else None)
    return interview_flow.mark_device_checked(interview.id)


def start_interview(job, biometric=True, face=None):
    """Invite 李明 and walk the interview to ready (with `face` as the reference photo when biometric)."""
    name, phone = "李明", "13800001234"
    interview, token = invite(job, name, phone)
    make_ready(interview, biometric=biometric, face=face, name=name, phone=phone)
    return interview, token


def upload_answer(token, question, path, attempt=1, mime="video/webm"):
    """Upload a file through the real chunked upload service; return the Answer."""
    data = Path(path).read_bytes()
    upload = uploads.init_upload(token, question.id, attempt, mime, len(data))
    info = uploads.describe(upload)
    size = info["chunk_bytes"]
    for index in range(info["total_chunks"]):
        uploads.put_chunk(token, upload.id, index, data[index * size:(index + 1) * size])
    answer, _ = uploads.complete_upload(token, upload.id)
    return answer
