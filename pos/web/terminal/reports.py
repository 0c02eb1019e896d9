"""End of day at the till: the X report (open now), Z reports (numbered, closed with a manager's PIN),
a calendar day's report, each with charts and a CSV download.

The figures come from :mod:`pos.core.reports.closing`; the same CSV is what ``qrpos report daily
--csv`` prints. Anyone signed in may read reports; closing with a Z needs a manager's name and PIN.
"""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_decimal
from flask import Response, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from pos.core.errors import InvalidInput, StateConflict
from pos.core.money import exponent
from pos.core.reports import closing, export
from pos.core.shapes import View
from pos.web import i18n
from pos.web.auth import core
from pos.web.terminal import charts
from pos.web.terminal.refunds import Refused, manager_approval
from pos.web.terminal.shop_day import shop_tz, today
from pos.web.terminal.views import bp


def _scope() -> tuple[str, str]:
    """This till, or (``?scope=store``) the store it stands in."""
    if request.values.get("scope") == "store":
        return "store", g.terminal_row.store_id
    return "terminal", session["terminal_id"]


def _charts(report: View) -> dict[str, Markup]:
    cur = str(report["currency"])
    pays, refs = report["payments"], report["refunds"]
    assert isinstance(pays, dict) and isinstance(refs, dict)

    def label(minor: int) -> str:
        return i18n.money(minor, cur)

    def axis(minor: int) -> str:
        return format_decimal(Decimal(minor).scaleb(-exponent(cur)), locale=i18n.MONEY_LOCALE[i18n.current()])

    hours = charts.hours_chart(report["hours"], label=label, axis=axis,  # type: ignore[arg-type]
                               title=_("Takings per hour"))
    split = charts.split_chart([
        ("cash", pays["cash"] - refs["cash"], _("Cash %(amount)s", amount=label(pays["cash"] - refs["cash"]))),
        ("miles", pays["miles"] - refs["miles"], _("Miles %(amount)s", amount=label(pays["miles"] - refs["miles"]))),
        ("refunds", refs["amount"], _("Refunds %(amount)s", amount=label(refs["amount"]))),
    ], title=_("Cash, miles and refunds"))
    return {"hours": Markup(hours), "split": Markup(split)}  # our own SVG text, its labels escaped


def _page(template: str, report: View, status: int = 200, **extra):
    return render_template(template, report=report, charts=_charts(report), **extra), status


def _x_page(status: int = 200, **extra):
    scope, scope_id = _scope()
    report = closing.x_report(core(), merchant_id=session["merchant_id"], scope=scope, scope_id=scope_id,
                              tz=shop_tz())
    zs = closing.list_z_reports(core(), merchant_id=session["merchant_id"], limit=20)
    return _page("terminal/reports.html", report, status, zs=zs, scope=scope, today=today(), **extra)


def _csv(report: View, name: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{name}.csv"'}
    return Response(export.to_csv(report), mimetype="text/csv", headers=headers)


@bp.get("/reports")
def reports():
    return _x_page()


@bp.get("/reports/x.csv")
def x_csv():
    scope, scope_id = _scope()
    report = closing.x_report(core(), merchant_id=session["merchant_id"], scope=scope, scope_id=scope_id,
                              tz=shop_tz())
    return _csv(report, f"x-report-{scope}-{today()}")


@bp.post("/reports/z")
def close_z():
    scope, scope_id = _scope()
    since = request.form.get("since_z", "")
    try:
        manager = manager_approval(request.form)
        z = closing.close(core(), merchant_id=session["merchant_id"], scope=scope, scope_id=scope_id,
                          staff_id=manager.id, tz=shop_tz(), since_z=int(since) if since.isdigit() else None)
    except Refused as refused:
        page, status = _x_page(refused.status, error=refused.message, manager=request.form.get("manager", "")[:50])
        return page, status, refused.headers
    except StateConflict as conflict:
        if conflict.code != "Z_ALREADY_CLOSED":
            raise
        flash(_("This was already closed by another Z report. Here is the latest one."))
        latest = closing.list_z_reports(core(), merchant_id=session["merchant_id"], limit=1)[0]
        return redirect(url_for(".z_report", number=latest["number"]), 303)
    flash(_("Z report %(number)s closed, approved by %(manager)s.", number=z["number"], manager=manager.name))
    return redirect(url_for(".z_report", number=z["number"]), 303)


@bp.get("/reports/z/<int:number>")
def z_report(number: int):
    report = closing.get_z_report(core(), merchant_id=session["merchant_id"], number=number)
    return _page("terminal/z_report.html", report, names=_staff_names())


@bp.get("/reports/z/<int:number>.csv")
def z_csv(number: int):
    report = closing.get_z_report(core(), merchant_id=session["merchant_id"], number=number)
    return _csv(report, f"z-report-{number}")


def _day() -> str:
    return request.args.get("date") or today()


@bp.get("/reports/day")
def day_report():
    day = _day()
    try:
        report = closing.day_report(core(), merchant_id=session["merchant_id"], day=day, tz=shop_tz())
    except InvalidInput:
        report = closing.day_report(core(), merchant_id=session["merchant_id"], day=today(), tz=shop_tz())
        return _page("terminal/day_report.html", report, 422, error=_("Choose a date as YYYY-MM-DD."), day=day[:20])
    return _page("terminal/day_report.html", report, day=day)


@bp.get("/reports/day.csv")
def day_csv():
    day = _day()
    report = closing.day_report(core(), merchant_id=session["merchant_id"], day=day, tz=shop_tz())
    return _csv(report, f"day-report-{day}")


def _staff_names() -> dict[str, str]:
    from pos.core.parties import staff

    return {m.id: m.name for m in staff.list_staff(core(), session["merchant_id"])}
