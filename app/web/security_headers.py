"""Security headers on every response (a small after-request hook instead of a dependency).

Every page, JSON answer and file Flask serves is about a person (a candidate's link, a staff page, a recording, a
resume), so none is kept by a browser's disk cache or a proxy: `Cache-Control: private, no-store` unless the
response says `public` itself. Static files are served by WhiteNoise before Flask, with their own long cache.

Inline `<script>` blocks carry the per-response nonce (`{{ csp_nonce() }}`); inline styles stay allowed (the
WeUI pages use `style=` attributes; styles cannot run code). HSTS only in production, where the site is HTTPS.
"""
import secrets

from flask import request

CSP = ("default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; font-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # Candidate links carry their token in the path: never send it to another site.
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(self), microphone=(self), geolocation=()",
}
HSTS = "max-age=31536000; includeSubDomains"
PERSONAL_CACHE = "private, no-store"


def csp_nonce():
    """The nonce of this response's Content-Security-Policy (made on first use)."""
    # Kept on the request, not on g: g lives as long as the app context, which a test or CLI may share.
    return request.environ.setdefault("app.csp_nonce", secrets.token_urlsafe(16))


def register(app):
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    production = app.config.get("APP_ENV") == "production"

    @app.after_request
    def _security_headers(response):
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        response.headers.setdefault("Content-Security-Policy", CSP.format(nonce=csp_nonce()))
        if not response.cache_control.public:
            # Replaces send_file's "no-cache, max-age=0", which still lets a shared cache store the file.
            response.headers["Cache-Control"] = PERSONAL_CACHE
        if production:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        return response
