"""Static files: served by WhiteNoise (gzip copies made at build time, long cache) with fingerprinted URLs.

Every `url_for('static', filename=...)` gets `?v=<content hash>`, so a changed file gets a new URL and a browser
may keep the old one for a year (STATIC_MAX_AGE). WhiteNoise answers before Flask, sends the `.gz` copy
of the vendored files (scripts/build_assets.sh runs `python -m whitenoise.compress`) to browsers that accept it,
and supports Range.
"""
import hashlib
import os
from functools import lru_cache

from whitenoise import WhiteNoise

from app.web.security_headers import CSP, HEADERS, HSTS


@lru_cache(maxsize=512)
def _digest(path, mtime):
    with open(path, "rb") as fh:
        return hashlib.md5(fh.read(), usedforsecurity=False).hexdigest()[:10]


def fingerprint(static_folder, filename):
    """A short hash of the file's content ("" when the file is missing)."""
    path = os.path.join(static_folder, filename)
    try:
        return _digest(path, os.path.getmtime(path))
    except OSError:
        return ""


def _security_headers(production):
    """WhiteNoise's header hook: the security headers Flask's responses get (app/web/security_headers.py); a static
    file has no inline script, so its policy needs no nonce."""

    def add(headers, path, url):
        for name, value in HEADERS.items():
            headers[name] = value
        headers["Content-Security-Policy"] = CSP.replace(" 'nonce-{nonce}'", "")
        if production:
            headers["Strict-Transport-Security"] = HSTS
    return add


def register(app):
    production = app.config.get("APP_ENV") == "production"
    max_age = int(app.config.get("STATIC_MAX_AGE") or (365 * 24 * 3600 if production else 0))
    app.wsgi_app = WhiteNoise(app.wsgi_app, root=app.static_folder, prefix="static/", max_age=max_age,
                              autorefresh=not production, add_headers_function=_security_headers(production))

    @app.url_defaults
    def _static_version(endpoint, values):
        if endpoint == "static" and "filename" in values and "v" not in values:
            version = fingerprint(app.static_folder, values["filename"])
            if version:
                values["v"] = version
