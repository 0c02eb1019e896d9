"""`qrpos`: server and operator commands. Thin: each command parses, calls the core, prints.

Every command takes ``--json`` for scripts; errors are one readable line on stderr and exit 1.
The shared helpers live in :mod:`pos.cli.common`; each command module registers itself here.
"""

from __future__ import annotations

import click

from pos.cli import backup, demo, inspect, operator, receipt, report, serve
from pos.cli.common import Context


@click.group()
@click.version_option(package_name="qrpos")
@click.option("--db", "db_url", envvar="QRPOS_DATABASE_URL", help="Database URL (default sqlite:///qrpos.db).")
@click.pass_context
def cli(ctx, db_url):
    """qrpos: a QR-code point-of-sale simulator."""
    ctx.obj = Context(db_url)


operator.register(cli)
serve.register(cli)
demo.register(cli)
receipt.register(cli)
backup.register(cli)
report.register(cli)
cli.add_command(inspect.inspect_command)


def main():
    cli(prog_name="qrpos")
