from tests.wecom.fixtures import backend_job, sandbox, wecom_env  # noqa: F401
