"""The end-to-end test's fake devices: Chromium's fake camera shows a face and its fake microphone speaks Mandarin."""
import subprocess

import pytest

from tests.support.media import MEDIA


@pytest.fixture(scope="session")
def fake_capture(tmp_path_factory):
    """A y4m of the astronaut's face and a WAV of a spoken backend answer (38 s) for Chromium's fake devices.

    Overrides tests/support/browser.py's test pattern and tone: the workers need a face to verify and speech to
    transcribe. The `phone` fixture picks this one up for the tests in this folder.
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
