from tests.browser.conftest import fake_capture, phone  # noqa: F401 - Chromium posing as WeChat
from tests.wecom.fixtures import backend_job, sandbox, wecom_env  # noqa: F401
