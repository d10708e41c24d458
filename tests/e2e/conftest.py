"""Fixtures for the end-to-end test: the app wired to the WeCom sandbox, and Chromium whose fake camera
shows a face and whose fake microphone speaks Mandarin."""
import subprocess
from pathlib import Path

import pytest

from tests.browser.conftest import phone  # noqa: F401 - Chromium posing as WeChat, fed by fake_capture below
from tests.conftest import ROOT
from tests.wecom.fixtures import wecom_env  # noqa: F401 - the app and the sandbox over real HTTP

MEDIA = Path(ROOT) / "tests" / "fixtures" / "media"


@pytest.fixture(scope="session")
def fake_capture(tmp_path_factory):
    """A y4m of the astronaut's face and a WAV of a spoken backend answer (38 s) for Chromium's fake devices.

    Overrides tests/browser's test pattern and tone: the workers need a face to verify and speech to transcribe.
    """
    folder = tmp_path_factory.mktemp("e2e-capture")
    video, audio = folder / "face.y4m", folder / "speech.wav"
    # A still photo as a 640x480 camera view, 2 s at 10 fps (Chromium loops the file; raw y4m stays ~9 MB).
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-loop", "1", "-i", str(MEDIA / "astronaut.jpg"), "-t", "2",
                    "-r", "10", "-vf", "scale=-2:440,pad=640:480:(ow-iw)/2:(oh-ih)/2:color=gray",
                    "-pix_fmt", "yuv420p", str(video)], check=True)
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(MEDIA / "backend_good.webm"), "-ar", "48000",
                    "-ac", "1", str(audio)], check=True)
    return video, audio
