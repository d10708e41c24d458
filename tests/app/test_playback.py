"""Playback copies: an MP4 (H.264/AAC, index first) and a poster for video, an .m4a for audio; served with Range."""
import shutil
from pathlib import Path

import av
import pytest

from app.core.storage import get_storage
from app.interview import playback
from app.interview.media import probe
from app.interview.models import Answer
from tests.support.app import ROOT
from tests.support.reports import sign_in_as

RECORDED = Path(ROOT) / "tests" / "fixtures" / "browser"


def _use_recording(answer, name, has_video):
    key = f"answers/{answer.interview_id}/{name}"
    get_storage().save(key, (RECORDED / name).read_bytes())
    Answer.update(media_key=key, has_video=has_video, mime_type="video/webm").where(Answer.id == answer.id).execute()
    return Answer.get_by_id(answer.id)


def _moov_before_mdat(path):
    data = Path(path).read_bytes()
    return 0 < data.find(b"moov") < data.find(b"mdat")


def test_a_mediarecorder_webm_gets_a_seekable_mp4_and_a_poster(app, report):
    answer = _use_recording(Answer.get(), "mediarecorder-vp8-opus.webm", has_video=True)
    original = av.open(str(get_storage().path_for(answer.media_key)))
    assert original.duration is None  # MediaRecorder's WebM: no duration in the header, hence no seeking
    original.close()

    answer = playback.make_playback_copy(answer.id)

    assert answer.playback_key.endswith(".mp4") and answer.poster_key.endswith(".jpg") and not answer.playback_error
    copy = get_storage().path_for(answer.playback_key)
    with av.open(str(copy)) as container:
        assert container.duration and container.duration / av.time_base == pytest.approx(3.0, abs=0.5)
        assert container.streams.video[0].codec_context.name == "h264"
        assert container.streams.audio[0].codec_context.name == "aac"
    assert _moov_before_mdat(copy)  # faststart: a player can seek before the whole file arrives
    assert get_storage().path_for(answer.poster_key).read_bytes()[:2] == b"\xff\xd8"  # a JPEG
    assert probe(copy).duration_s == pytest.approx(3.0, abs=0.5)
    assert playback.make_playback_copy(answer.id).playback_key == answer.playback_key  # a rerun changes nothing


def test_an_audio_only_answer_gets_an_m4a_without_picture(app, report):
    # The candidate declined biometrics: even if the file had a picture, the copy managers watch has none.
    answer = _use_recording(Answer.get(), "mediarecorder-vp8-opus.webm", has_video=False)
    answer = playback.make_playback_copy(answer.id)
    assert answer.playback_key.endswith(".m4a") and answer.poster_key == ""
    with av.open(str(get_storage().path_for(answer.playback_key))) as container:
        assert not container.streams.video and container.streams.audio


def test_a_broken_recording_records_why_and_is_not_retried(app, report):
    answer = Answer.get()  # the fixture's "media" is not really a WebM
    answer = playback.make_playback_copy(answer.id)
    assert answer.playback_key == "" and answer.playback_error
    assert Answer.get_by_id(answer.id).id not in [a.id for a in playback.answers_without_playback()]


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg is installed by scripts/install.sh")
def test_the_report_serves_the_copy_with_range_and_the_poster(client, report):
    answer = playback.make_playback_copy(_use_recording(Answer.get(), "mediarecorder-vp8-opus.webm", True).id)
    sign_in_as(client, "zhangwei")
    html = client.get(f"/m/reports/{report.id}").get_data(as_text=True)
    assert f'poster="/m/reports/media/{answer.id}/poster.jpg"' in html
    part = client.get(f"/m/reports/media/{answer.id}", headers={"Range": "bytes=0-99"})
    assert part.status_code == 206 and part.mimetype == "video/mp4" and len(part.data) == 100
    assert client.get(f"/m/reports/media/{answer.id}/poster.jpg").mimetype == "image/jpeg"
    from app.screening.job_templates import import_template
    import_template((Path(ROOT) / "job_templates" / "sales-representative.yaml").read_text(encoding="utf-8"))
    sign_in_as(client, "wangfang")  # manages the sales job only
    assert client.get(f"/m/reports/media/{answer.id}/poster.jpg").status_code == 404


def test_before_its_copy_exists_the_report_plays_an_original_every_phone_plays_or_says_processing(client, report):
    """The copies are made after the report (lowest-priority queue), so a manager may open it first."""
    answer = _use_recording(Answer.get(), "mediarecorder-vp8-opus.webm", has_video=True)
    sign_in_as(client, "zhangwei")
    page = client.get(f"/m/reports/{report.id}").get_data(as_text=True)
    # A WebM original (Android's MediaRecorder) is offered, but an iPhone's WeCom cannot play it: say so.
    assert "视频处理中" in page and f'src="/m/reports/media/{answer.id}"' in page
    # An MP4 original (what iPhones record) plays as uploaded until its copy exists.
    key = f"answers/{answer.interview_id}/answer.mp4"
    get_storage().save(key, (Path(ROOT) / "tests" / "fixtures" / "media" / "backend_average.mp4").read_bytes())
    Answer.update(media_key=key, mime_type="video/mp4").where(Answer.id == answer.id).execute()
    page = client.get(f"/m/reports/{report.id}").get_data(as_text=True)
    assert "视频处理中" not in page and f'src="/m/reports/media/{answer.id}"' in page
    original = client.get(f"/m/reports/media/{answer.id}", headers={"Range": "bytes=0-99"})
    assert original.status_code == 206 and original.mimetype == "video/mp4"
    # A WebM whose copy failed for good: its original is offered (desktop and Android play it).
    Answer.update(mime_type="video/webm", playback_error="ffmpeg failed").where(Answer.id == answer.id).execute()
    assert "视频处理中" not in client.get(f"/m/reports/{report.id}").get_data(as_text=True)
    # Once the copy exists: the seekable copy with its poster.
    answer = _use_recording(answer, "mediarecorder-vp8-opus.webm", has_video=True)
    Answer.update(playback_error="").where(Answer.id == answer.id).execute()
    playback.make_playback_copy(answer.id)
    page = client.get(f"/m/reports/{report.id}").get_data(as_text=True)
    assert "视频处理中" not in page and f'poster="/m/reports/media/{answer.id}/poster.jpg"' in page


def test_an_audio_answer_without_its_copy_says_the_recording_is_processing(client, report):
    answer = _use_recording(Answer.get(), "mediarecorder-vp8-opus.webm", has_video=False)
    sign_in_as(client, "zhangwei")
    page = client.get(f"/m/reports/{report.id}").get_data(as_text=True)
    assert "录音处理中" in page and f'<audio controls preload="none" src="/m/reports/media/{answer.id}"' in page
    playback.make_playback_copy(answer.id)
    page = client.get(f"/m/reports/{report.id}").get_data(as_text=True)
    assert "录音处理中" not in page and f'<audio controls preload="none" src="/m/reports/media/{answer.id}"' in page
