"""The merchant terminal's pages, /terminal: a till that staff sign in to with a PIN.

    views      sign-in, sign-out, the manager's settings (webhooks)
    checkout   the catalogue and keypad, charging a sale with a live dynamic QR, the page's event
               stream, the customer-facing display
    receipts   a payment's receipt, page and PDF;  refunds  refunds approved with a manager's PIN
    transactions  the day's payments with filters;  reports  X, Z and day reports (charts, CSV)
    poster     the till's static QR as a PDF poster for the counter
Pages call the core's services directly (the JSON API is for wallets and integrators).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# pages that other modules add to the till's navigation: (endpoint, title)
NAVIGATION: list[tuple[str, object]] = [
    ("terminal.transactions", _l("Transactions")),
    ("terminal.reports", _l("Reports")),
    ("terminal.poster_pdf", _l("Counter poster")),
]


def init_app(app) -> None:
    from pos.web.limits import limit_page_sign_in
    from pos.web.terminal import (  # noqa: F401  (they register views on views.bp)
        checkout,
        poster,
        receipts,
        refunds,
        reports,
        shop_day,
        transactions,
        views,
    )

    app.register_blueprint(views.bp)
    limit_page_sign_in(app, "terminal.login")

    @app.context_processor
    def terminal_navigation():
        links = [{"endpoint": e, "title": t} for e, t in NAVIGATION if e in app.view_functions]
        return {"terminal_links": links}


__all__ = ["NAVIGATION", "_l", "init_app"]
