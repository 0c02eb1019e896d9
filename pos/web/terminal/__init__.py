"""The merchant terminal's pages, /terminal: a till that staff sign in to with a PIN.

    views      sign-in, sign-out, the manager's settings (webhooks)
    checkout   the catalogue and keypad, charging a sale with a live dynamic QR, the page's event
               stream, the customer-facing display, the static-QR poster
Pages call the core's services directly (the JSON API is for wallets and integrators).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# pages that other modules add to the till's navigation: (endpoint, title)
NAVIGATION: list[tuple[str, object]] = []


def init_app(app) -> None:
    from pos.web.limits import limit_page_sign_in
    from pos.web.terminal import checkout, receipts, views  # noqa: F401  (they register views on views.bp)

    app.register_blueprint(views.bp)
    limit_page_sign_in(app, "terminal.login")

    @app.context_processor
    def terminal_navigation():
        links = [{"endpoint": e, "title": t} for e, t in NAVIGATION if e in app.view_functions]
        return {"terminal_links": links}


__all__ = ["NAVIGATION", "_l", "init_app"]
