"""The review's categories (issue 14) as regression tests; each failed on the code before its fix."""
from tests.browser.conftest import fake_capture, live_app, phone  # noqa: F401
from tests.candidate.fixtures import audio_webm_bytes, media_dir, webm_bytes  # noqa: F401
from tests.wecom.fixtures import backend_job, sandbox, wecom_env  # noqa: F401
