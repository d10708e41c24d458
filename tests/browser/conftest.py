"""A real server (werkzeug in a thread) and Debian's Chromium through Playwright, posing as WeChat on a phone."""
import socket
import subprocess
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from app.db import database
from tests.conftest import ROOT, make_app

CHROMIUM = "/usr/bin/chromium"
WECHAT_UA = ("Mozilla/5.0 (Linux; Android 13; Pixel 7 Build/TQ3A.230805.001; wv) "
             "AppleWebKit/537.36 (KHTML, like Gecko) "
             "Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MMWEBID/2308 "
             "MicroMessenger/8.0.47.2560(0x28002F35) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64")
ARTIFACTS = Path(ROOT) / "test-artifacts" / "browser"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def fake_capture(tmp_path_factory):
    """A y4m video and a WAV for Chromium's fake camera and microphone, made with ffmpeg."""
    folder = tmp_path_factory.mktemp("fake-capture")
    video, audio = folder / "camera.y4m", folder / "mic.wav"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                    "testsrc2=size=640x480:rate=15:duration=4", "-pix_fmt", "yuv420p", str(video)], check=True)
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                    "sine=frequency=300:beep_factor=4:duration=10:sample_rate=48000", "-ac", "1", str(audio)],
                   check=True)
    return video, audio


@pytest.fixture
def live_app(request, tmp_path, redis_conn):
    """The real app with CSRF on, served over HTTP on a free port; yields (app, base_url).

    Parametrize indirectly with a dict of setting overrides (e.g. a smaller UPLOAD_CHUNK_BYTES).
    """
    port = free_port()
    overrides = {"UPLOAD_CHUNK_BYTES": 64 * 1024, **getattr(request, "param", {})}
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True, PUBLIC_BASE_URL=f"http://127.0.0.1:{port}", **overrides)
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with app.app_context(), database.connection_context():
            yield app, f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        thread.join(5)


@pytest.fixture
def phone(fake_capture, request):
    """A Playwright page in Chromium with fake camera/microphone, a 390x844 viewport and WeChat's user agent.

    Playwright's `wait_for_function` evaluates strings, which the app's Content-Security-Policy forbids, so the page
    bypasses the CSP unless the test is marked `enforce_csp` (tests/security/test_csp_browser.py checks the pages
    under the real policy).
    """
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed")
    video, audio = fake_capture
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}", f"--use-file-for-fake-audio-capture={audio}",
            "--autoplay-policy=no-user-gesture-required"])
        context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                      has_touch=True, user_agent=WECHAT_UA, locale="zh-CN",
                                      bypass_csp=request.node.get_closest_marker("enforce_csp") is None)
        page = context.new_page()
        page.set_default_timeout(20000)
        messages = []
        page.on("console", lambda msg: messages.append(f"{msg.type}: {msg.text}"))
        page.on("pageerror", lambda exc: messages.append(f"pageerror: {exc}"))
        page.console_messages = messages
        try:
            yield page
        finally:
            # Shown by pytest when the test fails.
            print("browser console:", *messages, sep="\n  ")
            context.close()
            browser.close()


def shot(page, name):
    """Save a full-page screenshot of this step under test-artifacts/browser/."""
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
