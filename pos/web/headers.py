"""Security headers on every response class, and session cookies that are Secure under HTTPS.

    pages     a strict Content-Security-Policy with no inline script (JS lives in static/), framing
              only by our own pages (the presenter shows the terminal and the wallet side by side)
    API       nothing to render: ``default-src 'none'``
    docs      Swagger UI needs its inline start-up script: allowed there only, never framed
Everything: ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: same-origin``.
"""

from __future__ import annotations

from flask import request
from flask.sessions import SecureCookieSessionInterface

PAGE_CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; "
    "media-src 'self' blob: mediastream:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'self'"
)
API_CSP = "default-src 'none'; frame-ancestors 'none'"
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; frame-ancestors 'none'"
)


class SessionInterface(SecureCookieSessionInterface):
    """The session cookie is Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


def init_app(app) -> None:
    app.session_interface = SessionInterface()
    docs_prefix = app.config.get("DOCS_PATH", "/api/v1/docs")

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        path = request.path
        if path.startswith(docs_prefix):
            headers.setdefault("Content-Security-Policy", DOCS_CSP)
            headers.setdefault("X-Frame-Options", "DENY")
        elif path.startswith("/api/"):
            headers.setdefault("Content-Security-Policy", API_CSP)
        elif not path.startswith("/static/"):
            headers.setdefault("Content-Security-Policy", PAGE_CSP)
            headers.setdefault("X-Frame-Options", "SAMEORIGIN")
            headers.setdefault("Cache-Control", "no-store")
        return response
