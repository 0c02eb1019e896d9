"""The phone wallet's pages, /wallet: a wallet in the phone's browser that scans the till's QR and pays.

    guard     sign-in with wallet id and PIN (the core's lock-out), a cookie session that ends
    views     sign-in and out, home (balance, miles, recent payments), history, receipts (page, PDF)
    pay       the scan page: camera or photo, what a code is, the confirmation with a live quote, paying
    confirm   what the confirmation shows: the payee in the reader's script, price, charge, funding choices
    code      "show code": a one-time code for the till to scan, turning to paid live
Pages call the core's services directly, as the terminal does; they never use the JSON API.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l


def init_app(app) -> None:
    from pos.web.limits import limit_page_sign_in
    from pos.web.phone import code, pay, views  # noqa: F401  (they register views on views.bp)

    app.config.setdefault("WALLET_IDLE_SECONDS", 600)  # a phone left on a table: ten minutes
    app.config.setdefault("WALLET_MAX_SECONDS", 3600)  # and an hour at the latest, like an API session
    app.register_blueprint(views.bp)
    limit_page_sign_in(app, "phone.login")
    app.extensions.setdefault("qrpos.home_areas", []).append({
        "url": "/wallet/", "title": _l("Phone wallet"),
        "text": _l("Sign in on a phone, scan the till's QR with the camera, see the price in your currency, pay."),
    })
