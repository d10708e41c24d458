"""A WSGI app on a real port: werkzeug's threaded server in a daemon thread."""
import socket
import threading

import pytest
from werkzeug.serving import make_server

from app.core.db import database
from tests.support.app import make_app


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    """A WSGI app served over HTTP on 127.0.0.1 (a free port unless given); stop() shuts it down."""

    def __init__(self, wsgi_app, port=None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = make_server("127.0.0.1", self.port, wsgi_app, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.thread.join(5)


@pytest.fixture
def live_app(request, tmp_path, redis_conn):
    """The real app with CSRF on, served over HTTP on a free port; yields (app, base_url).

    Parametrize indirectly with a dict of setting overrides (e.g. a smaller UPLOAD_CHUNK_BYTES).
    """
    port = free_port()
    overrides = {"UPLOAD_CHUNK_BYTES": 64 * 1024, **getattr(request, "param", {})}
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True, PUBLIC_BASE_URL=f"http://127.0.0.1:{port}", **overrides)
    served = Served(app, port)
    try:
        with app.app_context(), database.connection_context():
            yield app, served.url
    finally:
        served.stop()
