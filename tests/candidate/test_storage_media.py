"""Local storage (atomic writes, no path traversal) and the media check on real ffmpeg output."""
from pathlib import Path

import pytest

from app.core.storage import InvalidKey, LocalStorage
from app.interview.media import MediaError, probe
from tests.support.media import ffmpeg_media


def test_local_storage_round_trip_and_refuses_traversal(tmp_path):
    store = LocalStorage(tmp_path / "media")
    store.save("answers/1/q2-a1-abc.webm", b"hello")
    assert store.exists("answers/1/q2-a1-abc.webm")
    with store.open("answers/1/q2-a1-abc.webm") as fh:
        assert fh.read() == b"hello"
    src = tmp_path / "assembled.bin"
    src.write_bytes(b"moved")
    store.save("answers/1/moved.webm", src)
    assert not src.exists() and store.path_for("answers/1/moved.webm").read_bytes() == b"moved"
    store.delete("answers/1/q2-a1-abc.webm")
    store.delete("answers/1/q2-a1-abc.webm")  # deleting twice is fine
    assert not store.exists("answers/1/q2-a1-abc.webm")
    for key in ("../etc/passwd", "/etc/passwd", "answers/../../x", "a\\b", "", "answers/%2e%2e/x", "a//b"):
        with pytest.raises(InvalidKey):
            store.save(key, b"x")
    assert sorted(p.name for p in (tmp_path / "media").rglob("*") if p.is_file()) == ["moved.webm"]


def test_probe_measures_webm_mp4_and_audio(tmp_path):
    webm = probe(ffmpeg_media(tmp_path / "a.webm", seconds=1.5))
    assert webm.has_video and webm.has_audio and webm.duration_s == pytest.approx(1.5, abs=0.15)
    mp4 = probe(ffmpeg_media(tmp_path / "a.mp4", seconds=1.5, container="mp4"))
    assert mp4.has_video and mp4.duration_s == pytest.approx(1.5, abs=0.15)
    audio = probe(ffmpeg_media(tmp_path / "b.webm", seconds=1.0, video=False))
    assert audio.has_audio and not audio.has_video


def test_probe_refuses_cut_and_broken_files(tmp_path):
    full = ffmpeg_media(tmp_path / "a.mp4", seconds=1.5, container="mp4").read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(full[: len(full) // 2])
    with pytest.raises(MediaError):
        probe(cut)
    webm = ffmpeg_media(tmp_path / "a.webm", seconds=2).read_bytes()
    cut = tmp_path / "cut.webm"
    cut.write_bytes(webm[: len(webm) // 2])
    with pytest.raises(MediaError) as exc:
        probe(cut)
    assert exc.value.reason == "truncated"
    junk = tmp_path / "junk.webm"
    junk.write_bytes(b"\x1a\x45\xdf\xa3" + b"\x00" * 500)
    with pytest.raises(MediaError):
        probe(junk)


BROWSER = Path(__file__).resolve().parents[1] / "fixtures" / "browser"


@pytest.mark.parametrize("name,video", [("mediarecorder-vp8-opus.webm", True), ("mediarecorder-opus.webm", False)])
def test_mediarecorder_webm_without_duration_is_measured_and_cuts_refused(tmp_path, name, video):
    # Recorded by Chromium's MediaRecorder (fake devices, 3 s): no duration in the header.
    data = (BROWSER / name).read_bytes()
    info = probe(BROWSER / name)
    assert info.has_video is video and info.duration_s == pytest.approx(3.0, abs=0.2)
    for fraction in (0.5, 0.9, 0.99):
        cut = tmp_path / f"cut-{fraction}.webm"
        cut.write_bytes(data[: int(len(data) * fraction)])
        with pytest.raises(MediaError) as exc:
            probe(cut)
        assert exc.value.reason == "truncated"
