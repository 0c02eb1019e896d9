"""The till's transactions list: a day's payments (shop time), by status and till, a page at a time,
each linking to its receipt. Bad filters redraw the page with a message; they never error."""

from __future__ import annotations

from flask import g, render_template, request, session
from flask_babel import gettext as _
from sqlalchemy import select

from pos.core.errors import InvalidInput
from pos.core.payments.states import SETTLED
from pos.core.reports.transactions import list_transactions
from pos.core.store.schema import terminals
from pos.web.auth import core
from pos.web.terminal.shop_day import shop_tz, today
from pos.web.terminal.views import bp


def _tills() -> list[dict[str, str]]:
    with core().db.read() as conn:
        rows = conn.execute(select(terminals.c.id, terminals.c.label)
                            .where(terminals.c.merchant_id == g.merchant_row.id).order_by(terminals.c.label)).all()
    return [{"id": r.id, "label": r.label} for r in rows]


def _messages() -> dict[str, str]:
    # written out so that the extractor finds each one
    return {"INVALID_DATE": _("Choose a date as YYYY-MM-DD."), "DATE_OUT_OF_RANGE": _("Choose a date as YYYY-MM-DD."),
            "INVALID_STATUS": _("Choose one of the statuses in the list."),
            "TERMINAL_NOT_FOUND": _("Choose one of this shop's tills."), "INVALID_PAGE": _("That page does not exist.")}


@bp.get("/payments")
def transactions():
    args = request.args
    chosen = {"date": args.get("date") or today(), "status": args.get("status") or None,
              "till": args.get("till") or None, "page": args.get("page", "1")}
    try:
        page = int(chosen["page"]) if str(chosen["page"]).isdigit() else 0
        listing = list_transactions(core(), merchant_id=session["merchant_id"], day=str(chosen["date"]),
                                    tz=shop_tz(), status=chosen["status"], terminal_id=chosen["till"], page=page)
    except InvalidInput as bad:
        error = _messages().get(bad.code, _("Please check what you entered"))
        page_ = render_template("terminal/transactions.html", listing=None, chosen=chosen, tills=_tills(),
                                statuses=SETTLED, error=error)
        return page_, 422
    return render_template("terminal/transactions.html", listing=listing, chosen=chosen, tills=_tills(),
                           statuses=SETTLED)
