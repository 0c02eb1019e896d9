"""The merchant terminal's pages, /terminal: sign in with the merchant's API key, webhook settings.

Pages keep a signed session cookie (HttpOnly, SameSite=Lax) holding only the merchant and terminal
ids; every POST form carries a per-session CSRF token. The views call the core and render templates.
"""

from __future__ import annotations


def init_app(app) -> None:
    from pos.web.limits import limit_page_sign_in
    from pos.web.terminal import views

    app.register_blueprint(views.bp)
    limit_page_sign_in(app, "terminal.login")
