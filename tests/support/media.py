"""Media for tests: the committed fixture clips, their frozen transcripts, and small recordings made with ffmpeg."""
import json
import subprocess
from fractions import Fraction
from functools import cache
from pathlib import Path

import pytest

from tests.support.app import ROOT

MEDIA = ROOT / "tests" / "fixtures" / "media"


@cache
def speech_refs() -> dict:
    """The spoken fixture clips by id: file, question, quality, reference text, duration (speech.json)."""
    return {row["id"]: row for row in json.loads((MEDIA / "speech.json").read_text(encoding="utf-8"))}


@cache
def frozen_transcripts_file() -> dict:
    return json.loads((MEDIA / "transcripts.json").read_text(encoding="utf-8"))


def frozen_transcripts() -> dict:
    """faster-whisper's transcript of every spoken clip, made once by tools/fixtures/freeze_transcripts.py.

    Tests of what is done with a transcript (scores, quotes, speech features) use these, never live ASR, so they
    give the same result on every machine. Fresh Transcript objects on each call.
    """
    from app.analysis.asr import Transcript

    return {clip_id: Transcript.from_dict(data) for clip_id, data in frozen_transcripts_file()["transcripts"].items()}


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


def undecodable_media(path, seconds):
    """A Matroska file whose AC-3 packets carry timestamps for `seconds` but bytes no decoder accepts: its length is
    readable from the packets, while decoding it fails (media.probe: corrupt)."""
    import av

    with av.open(str(path), "w", format="matroska") as container:
        stream = container.add_stream("ac3", rate=48000)
        for i in range(int(seconds * 4)):  # a packet every 250 ms
            packet = av.Packet(bytes(range(256)))
            packet.pts = packet.dts = i * 250
            packet.duration, packet.time_base, packet.stream = 250, Fraction(1, 1000), stream
            container.mux(packet)
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


@pytest.fixture(scope="session")
def answer_with_face(tmp_path_factory):
    """A WebM with the astronaut on camera and a good Mandarin backend answer as its sound (20 s)."""
    out = tmp_path_factory.mktemp("media") / "answer_face.webm"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-stream_loop", "-1", "-i", str(MEDIA / "face_astronaut.webm"),
                    "-i", str(MEDIA / "backend_good.webm"), "-map", "0:v", "-map", "1:a", "-t", "20",
                    "-c:v", "libvpx", "-b:v", "300k", "-c:a", "libopus", str(out)], check=True)
    return out


class FrozenEngine:
    """The ASR engine's part played by its frozen output: the committed transcript of a fixture clip, by file name.

    For tests of what is done with a transcript (scoring, calibration); the ASR tests run the real engine.
    """

    name = "faster-whisper"

    def transcribe(self, path, vocabulary=None, **options):
        self.vocabulary = vocabulary  # what the caller primed the engine with, for tests to look at
        by_file = {ref["file"]: clip_id for clip_id, ref in speech_refs().items()}
        return frozen_transcripts()[by_file[Path(path).name]]
