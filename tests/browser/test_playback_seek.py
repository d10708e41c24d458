"""In Chromium, the manager's video has a duration and seeks; MediaRecorder's original does not."""
from pathlib import Path

import pytest

from app.core import pipeline
from app.core.models import Application
from app.core.storage import get_storage
from app.interview import flow as interview_flow
from app.interview import playback
from app.interview.invitations import invite_candidate
from app.interview.models import Answer, Interview, Report
from app.screening.job_templates import import_template
from tests.support.app import ROOT
from tests.support.browser import shot, sign_in_page

pytestmark = pytest.mark.browser

RECORDING = Path(ROOT) / "tests" / "fixtures" / "browser" / "mediarecorder-vp8-opus.webm"
MEASURE = """async (src) => {
  const v = document.createElement('video'); v.muted = true; v.preload = 'auto'; v.src = src;
  document.body.appendChild(v);
  await new Promise((ok, fail) => { v.onloadedmetadata = ok; v.onerror = () => fail(v.error && v.error.message); });
  const duration = v.duration;
  v.currentTime = 2.0;
  await Promise.race([new Promise(ok => v.onseeked = ok), new Promise(ok => setTimeout(ok, 5000))]);
  return {duration: Number.isFinite(duration) ? duration : String(duration), currentTime: v.currentTime};
}"""


def _answer_with_copy(app):
    job = import_template((Path(ROOT) / "job_templates" / "backend-engineer.yaml").read_text(encoding="utf-8"))
    interview, _ = invite_candidate(job.id, "李明", "13800001234")
    interview_flow.give_consent(interview.id, True, True, interview_flow.CONSENT_VERSION)
    key = f"answers/{interview.id}/rec.webm"
    get_storage().save(key, RECORDING.read_bytes())
    answer = Answer.create(interview=interview, question=job.ordered_questions()[0], media_key=key,
                           mime_type="video/webm", duration_s=3.0, has_video=True, status="scored")
    Interview.update(status="completed").where(Interview.id == interview.id).execute()
    for stage in ("ai_in_progress", "ai_completed", "ai_scored"):
        pipeline.advance_stage(interview.application_id, stage, actor="t", source="system")
    dims = {d.name: {"score": 60.0, "weight": d.weight, "answers": [], "evidence": []}
            for d in job.ordered_dimensions()}
    report = Report.create(interview=interview, total=60.0, dimensions=dims, flags=[], model_version="t")
    return answer, report


def test_the_playback_copy_has_a_duration_and_seeks_where_the_original_does_not(live_app, phone):
    app, base_url = live_app
    answer, report = _answer_with_copy(app)
    sign_in_page(phone, app, base_url, "zhangwei")
    phone.goto(f"{base_url}/m/reports/{report.id}")
    media_url = f"{base_url}/m/reports/media/{answer.id}"

    before = phone.evaluate(MEASURE, media_url)  # no copy yet: the original MediaRecorder WebM is served
    assert before["duration"] == "Infinity"  # a player shows no timeline to scrub

    playback.make_playback_copy(answer.id)
    after = phone.evaluate(MEASURE, media_url + "?copy")
    assert after["duration"] == pytest.approx(3.0, abs=0.5)
    assert after["currentTime"] == pytest.approx(2.0, abs=0.3)
    phone.reload()
    phone.locator("video").first.scroll_into_view_if_needed()
    shot(phone, "report-video-poster")
    assert Application.get_by_id(report.interview.application_id).stage == "ai_scored"


def test_opening_the_report_plays_nothing_and_a_play_is_logged_once(live_app, phone):
    """The candidate reads the access log: opening the report page in a browser is one "查看报告" row (the
    players fetched each recording and poster before, logged as plays); pressing play is one "播放录像/录音"."""
    from app.core.access_log import AccessLog

    app, base_url = live_app
    answer, report = _answer_with_copy(app)
    playback.make_playback_copy(answer.id)   # the MP4 and its poster, as managers see them
    sign_in_page(phone, app, base_url, "zhangwei")

    def rows():
        return [(r.action, r.target) for r in AccessLog.select().order_by(AccessLog.id)]

    phone.goto(f"{base_url}/m/reports/{report.id}")
    phone.wait_for_load_state("networkidle")
    assert phone.locator("video[poster]").count() == 1
    assert rows() == [("view_report", f"report:{report.id}")]
    phone.evaluate("async () => { const v = document.querySelector('video'); v.muted = true; await v.play(); }")
    assert rows() == [("view_report", f"report:{report.id}"), ("view_media", f"answer:{answer.id}")]
