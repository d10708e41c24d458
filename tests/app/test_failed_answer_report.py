"""A question whose every attempt failed analysis for good (Whisper/ffmpeg gave up: the system's fault) is listed on
the report page in its place, marked as such, with its stored recording played through the same route, access
checks and access log as every answer, and no score; a recording that is missing is said to be missing."""
import re

import pytest

from app.core.access_log import AccessLog, Action
from app.core.extensions import settings
from app.core.storage import LocalStorage, get_storage
from tests.support.reports import another_jobs_manager, failed_report, sign_in_as

FAILED = "录音未能完成分析(系统原因,非候选人原因)"


@pytest.fixture
def failed(app, demo_job):
    return failed_report(demo_job)


def answer_sections(html):
    """[(answer id, section html)] of the page's per-question list, in the page's order."""
    return re.findall(r'<section class="card answer[^"]*" id="answer-(\d+)">(.*?)</section>', html, re.S)


def test_hr_and_the_manager_see_it_in_its_place_and_play_it_others_get_nothing(client, failed, app, demo_job):
    report, answer = failed
    questions = demo_job.ordered_questions()
    for userid in ("hr_lina", "zhangwei"):  # HR, the job's manager
        sign_in_as(client, userid)
        html = client.get(f"/m/reports/{report.id}").get_data(as_text=True)
        sections = answer_sections(html)
        numbers = [int(re.search(r"<h2>第(\d+)题", body).group(1)) for _, body in sections]
        assert numbers == list(range(1, len(questions) + 1))  # the failed 2nd question in its place
        body = dict(sections)[str(answer.id)]
        assert FAILED in body and questions[1].text in body
        src = re.search(r'<video [^>]*src="([^"]+)"', body).group(1)
        assert src == f"/m/reports/media/{answer.id}"
        played = client.get(src, headers={"Range": "bytes=0-3"})
        assert played.status_code == 206 and played.data == b"\x1a\x45\xdf\xa3"
        assert AccessLog.select().where((AccessLog.actor == userid) & (AccessLog.action == Action.VIEW_MEDIA)
                                        & (AccessLog.target == f"answer:{answer.id}")).count() == 1
    other = another_jobs_manager()
    sign_in_as(client, other)
    assert client.get(f"/m/reports/{report.id}").status_code == 404
    assert client.get(src).status_code == 404 and client.get(f"{src}/poster.jpg").status_code == 404
    assert not AccessLog.select().where(AccessLog.actor == other).exists()


def test_it_shows_no_score_no_transcript_and_no_rating(client, failed):
    report, answer = failed
    sign_in_as(client, "zhangwei")
    html = client.get(f"/m/reports/{report.id}").get_data(as_text=True)
    sections = dict(answer_sections(html))
    body = sections[str(answer.id)]
    title = re.search(r"<h2>(.*?)</h2>", body, re.S).group(1)
    assert "不计分" in title and "70" not in title and "无法可靠评分" not in title
    for name in answer.question.dimension_names:
        assert name not in body
    assert "rate-form" not in body and 'class="transcript"' not in body and "(没有转写)" not in body
    assert "本题未计入总分" in body
    scored = next(body for answer_id, body in sections.items() if answer_id != str(answer.id))
    assert "70" in re.search(r"<h2>(.*?)</h2>", scored, re.S).group(1) and "rate-form" in scored


def test_a_missing_recording_is_said_to_be_missing(client, failed):
    report, answer = failed
    get_storage().delete(answer.media_key)
    sign_in_as(client, "hr_lina")
    body = dict(answer_sections(client.get(f"/m/reports/{report.id}").get_data(as_text=True)))[str(answer.id)]
    assert FAILED in body and "录音文件缺失" in body
    assert "<video" not in body and "<audio" not in body


def test_its_recording_gets_the_playback_copy_every_phone_plays(client, failed):
    """The copy managers watch on an iPhone (MP4, app/interview/playback.py) was made only for analysed answers: a
    failed question's WebM played on no iPhone. It is queued with the report's copies now, and the page says
    视频处理中 until it exists."""
    from app.interview import playback
    report, answer = failed
    assert answer.id in [a.id for a in playback.answers_without_playback(report.interview_id)]
    sign_in_as(client, "zhangwei")
    body = dict(answer_sections(client.get(f"/m/reports/{report.id}").get_data(as_text=True)))[str(answer.id)]
    assert "视频处理中" in body


class CountingStorage(LocalStorage):
    """The local store, counting the calls a page makes to it (on S3 each is an HTTP round trip)."""

    def __init__(self, root):
        super().__init__(root)
        self.calls = []

    def exists(self, key):
        self.calls.append(("exists", key))
        return super().exists(key)

    def keys(self, prefix):
        self.calls.append(("keys", prefix))
        return super().keys(prefix)


def test_several_failed_questions_cost_one_listing_of_the_store(client, app, demo_job, monkeypatch):
    """Before: one lookup (an S3 HEAD) per failed question on every view of the page."""
    from app.interview import report_page
    from app.interview.models import Answer, AnswerStatus
    report, _ = failed_report(demo_job, failed_position=0, also_failed=(1, 2))
    failed = list(Answer.select().where((Answer.interview == report.interview_id)
                                        & (Answer.status == AnswerStatus.FAILED)).order_by(Answer.id))
    assert len(failed) == 3
    get_storage().delete(failed[1].media_key)
    store = CountingStorage(settings["MEDIA_ROOT"])
    monkeypatch.setattr(report_page, "get_storage", lambda: store)
    sign_in_as(client, "hr_lina")
    sections = dict(answer_sections(client.get(f"/m/reports/{report.id}").get_data(as_text=True)))
    assert store.calls == [("keys", f"answers/{report.interview_id}/")]
    assert ["录音文件缺失" in sections[str(a.id)] for a in failed] == [False, True, False]
    assert ["<video" in sections[str(a.id)] for a in failed] == [True, False, True]
