"""`qrpos report daily --merchant m_... --date YYYY-MM-DD [--csv]`: a day's takings, as the till shows them.

The figures are the till's day report (:func:`pos.core.reports.closing.day_report`) in the shop's time
zone; ``--csv`` prints the very CSV the till downloads, ``--json`` the whole report.
"""

from __future__ import annotations

import click


def register(cli) -> None:
    from pos.cli.common import emit, handled, json_option

    @cli.group()
    def report():
        """Reports of a shop's takings."""

    @report.command()
    @click.option("--merchant", "merchant_id", required=True, help="The merchant's id (m_...).")
    @click.option("--date", "day", required=True, help="The day, YYYY-MM-DD, in the shop's time zone.")
    @click.option("--csv", "as_csv", is_flag=True, help="Print the report as CSV (what the till downloads).")
    @json_option
    @click.pass_obj
    @handled
    def daily(obj, merchant_id, day, as_csv, as_json):
        """A day's payments, refunds, fees, net, funding (cash, miles) and payer currencies."""
        from pos.core.parties import get_merchant_row
        from pos.core.reports import closing, export
        from pos.receipts import COUNTRY_TIME_ZONES

        with obj.core.db.read() as conn:
            country = get_merchant_row(conn, merchant_id).country
        data = closing.day_report(obj.core, merchant_id=merchant_id, day=day, tz=COUNTRY_TIME_ZONES.get(country, "UTC"))
        if as_csv:
            click.echo(export.to_csv(data), nl=False)
            return
        emit(data, as_json, export.to_text(data, f"{merchant_id} {day} ({data['timezone']})"))
