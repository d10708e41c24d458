"""Debian's Chromium driven by Playwright, posing as WeChat on a 390x844 phone; screenshots under test-artifacts/."""
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support.app import ROOT

CHROMIUM = "/usr/bin/chromium"
WECHAT_UA = ("Mozilla/5.0 (Linux; Android 13; Pixel 7 Build/TQ3A.230805.001; wv) "
             "AppleWebKit/537.36 (KHTML, like Gecko) "
             "Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MMWEBID/2308 "
             "MicroMessenger/8.0.47.2560(0x28002F35) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64")
# Nothing in the background that would reach for the network (there is none here).
QUIET = ("--disable-background-networking", "--disable-component-update", "--disable-sync")
ARTIFACTS = ROOT / "test-artifacts"


@contextmanager
def chromium_page(*args, user_agent=None, timeout=None, **context_options):
    """A Playwright page in a fresh Chromium with a 390x844 phone viewport; skips when Chromium is missing."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", *args])
        options = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True,
                   "has_touch": True, "locale": "zh-CN", **context_options}
        if user_agent:
            options["user_agent"] = user_agent
        context = browser.new_context(**options)
        page = context.new_page()
        if timeout:
            page.set_default_timeout(timeout)
        try:
            yield page
        finally:
            context.close()
            browser.close()


def second_page(phone, web_locks=True):
    """The phone's page and a second page of the same browser: the link open in two tabs. `web_locks=False`: as in a
    WebView without Web Locks (older WeChat), or as two devices: a page does not know that another one of the link
    records, and both may record (a page with Web Locks says to continue in the other)."""
    if not web_locks:
        phone.context.add_init_script("Object.defineProperty(Navigator.prototype, 'locks', {get: () => undefined})")
    second = phone.context.new_page()
    second.set_default_timeout(20000)
    return phone, second


def sign_in_page(page, app, base, userid):
    """Give `page`'s browser the session cookie of a test client signed in as `userid` (staff.sign_in)."""
    from tests.support.reports import sign_in_as
    client = app.test_client()
    with app.app_context():
        sign_in_as(client, userid)
    page.context.add_cookies([{"name": "session", "value": client.get_cookie("session").value, "url": base}])
    return page


def signed_in_page(phone, app, base, userid, width=1280, height=800):
    """A new page in the phone's browser, `width` x `height` (HR's desktop by default), signed in as `userid`;
    bypasses the CSP, as the phone fixture."""
    context = phone.context.browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN",
                                                bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(20000)
    return sign_in_page(page, app, base, userid)


def shot(page, name, folder="browser"):
    """Save a full-page screenshot of this step as test-artifacts/<folder>/<name>.png."""
    (ARTIFACTS / folder).mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / folder / f"{name}.png"), full_page=True)


@pytest.fixture(scope="session")
def fake_capture(tmp_path_factory):
    """A y4m video and a WAV for Chromium's fake camera and microphone, made with ffmpeg (test pattern, tone).

    tests/e2e overrides it with a face and spoken Mandarin.
    """
    folder = tmp_path_factory.mktemp("fake-capture")
    video, audio = folder / "camera.y4m", folder / "mic.wav"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                    "testsrc2=size=640x480:rate=15:duration=4", "-pix_fmt", "yuv420p", str(video)], check=True)
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                    "sine=frequency=300:beep_factor=4:duration=10:sample_rate=48000", "-ac", "1", str(audio)],
                   check=True)
    return video, audio


@pytest.fixture
def phone(fake_capture, request):
    """A page in Chromium with fake camera/microphone (fake_capture), WeChat's user agent; console kept.

    Playwright's `wait_for_function` evaluates strings, which the app's Content-Security-Policy forbids, so the page
    bypasses the CSP unless the test is marked `enforce_csp` (tests/security/test_csp_browser.py checks the pages
    under the real policy).
    """
    video, audio = fake_capture
    with chromium_page(*QUIET, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                       f"--use-file-for-fake-video-capture={video}", f"--use-file-for-fake-audio-capture={audio}",
                       "--autoplay-policy=no-user-gesture-required", user_agent=WECHAT_UA, timeout=20000,
                       bypass_csp=request.node.get_closest_marker("enforce_csp") is None) as page:
        messages = []
        page.on("console", lambda msg: messages.append(f"{msg.type}: {msg.text}"))
        page.on("pageerror", lambda exc: messages.append(f"pageerror: {exc}"))
        page.console_messages = messages
        try:
            yield page
        finally:
            print("browser console:", *messages, sep="\n  ")  # shown by pytest when the test fails
