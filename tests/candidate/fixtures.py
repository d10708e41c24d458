"""Fixtures shared by the candidate, mini-program API and browser tests: jobs, invitations, real media."""
import base64
import subprocess
from pathlib import Path

import pytest

from app.models import Dimension, Job, Question
from app.services import interview_flow
from app.services.invitations import invite_candidate

ROOT = Path(__file__).resolve().parents[2]
PHONE = "13812345678"
NAME = "李雷"
# The smallest JPEG a phone camera canvas could send (a real 8x8 image, made once with Pillow).
TINY_JPEG = None


def tiny_jpeg():
    """A small real JPEG (the face snapshot of the identity step)."""
    global TINY_JPEG
    if TINY_JPEG is None:
        import io

        from PIL import Image
        buf = io.BytesIO()
        Image.new("RGB", (64, 64), (200, 160, 140)).save(buf, "JPEG")
        TINY_JPEG = buf.getvalue()
    return TINY_JPEG


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


def invite(job, name=NAME, phone=PHONE):
    return invite_candidate(job.id, name, phone)


def make_ready(interview, biometric=False):
    """Walk an interview through consent, identity and the device check."""
    interview_flow.give_consent(interview.id, True, biometric, interview_flow.CONSENT_VERSION)
    interview_flow.verify_identity(interview.id, NAME, PHONE[-4:], face_data_url() if biometric else None)
    return interview_flow.mark_device_checked(interview.id)


def ffmpeg_media(path, seconds=2.0, video=True, container="webm"):
    """Write a small real recording (sine tone + test pattern) with ffmpeg."""
    args = ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}"]
    if video:
        args += ["-f", "lavfi", "-i", f"testsrc=size=160x120:rate=15:duration={seconds}"]
    if container == "webm":
        args += (["-c:v", "libvpx", "-b:v", "150k"] if video else []) + ["-c:a", "libopus", "-shortest"]
    else:
        args += (["-c:v", "libx264", "-preset", "ultrafast"] if video else []) + ["-c:a", "aac", "-shortest"]
    subprocess.run(args + [str(path)], check=True)
    return Path(path)


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("media-fixtures")


@pytest.fixture(scope="session")
def webm_bytes(media_dir):
    """A 2-second VP8/Opus WebM, like a phone's MediaRecorder output."""
    return ffmpeg_media(media_dir / "answer.webm").read_bytes()


@pytest.fixture(scope="session")
def audio_webm_bytes(media_dir):
    return ffmpeg_media(media_dir / "answer-audio.webm", video=False).read_bytes()
