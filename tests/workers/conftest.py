"""Fixtures for worker tests: a two-question job and an interview answered through the real upload service."""
import subprocess
from pathlib import Path

import pytest
import yaml

from app.services import interview_flow, uploads
from app.services.invitations import invite_candidate
from app.services.job_templates import import_template

ROOT = Path(__file__).resolve().parents[2]
MEDIA = ROOT / "tests" / "fixtures" / "media"


@pytest.fixture(scope="session")
def answer_with_face(tmp_path_factory):
    """A WebM with the astronaut on camera and a good Mandarin backend answer as its sound (20 s)."""
    out = tmp_path_factory.mktemp("media") / "answer_face.webm"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-stream_loop", "-1", "-i", str(MEDIA / "face_astronaut.webm"),
                    "-i", str(MEDIA / "backend_good.webm"), "-map", "0:v", "-map", "1:a", "-t", "20",
                    "-c:v", "libvpx", "-b:v", "300k", "-c:a", "libopus", str(out)], check=True)
    return out


def two_question_job(use_expressions=False):
    data = yaml.safe_load((ROOT / "job_templates" / "backend-engineer.yaml").read_text(encoding="utf-8"))
    data["questions"] = data["questions"][1:3]
    data["use_expressions"] = use_expressions
    return import_template(yaml.safe_dump(data, allow_unicode=True))


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


def start_interview(job, biometric=True, face=None):
    """Invite, consent, verify identity (with a reference face when biometric) and check the device."""
    interview, token = invite_candidate(job.id, "李明", "13800001234")
    interview_flow.give_consent(interview.id, recording=True, biometric=biometric,
                                text_version=interview_flow.CONSENT_VERSION)
    interview_flow.verify_identity(interview.id, "李明", "1234", face_jpeg=face)
    interview_flow.mark_device_checked(interview.id)
    return interview, token
