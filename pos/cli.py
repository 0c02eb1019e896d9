"""`qrpos`: server and operator commands. Thin: each command parses, calls the core, prints.

Every command takes ``--json`` for scripts; errors are one readable line on stderr and exit 1.
"""

from __future__ import annotations

import functools
import json
import sys

import click

from pos.core.errors import QrposError


class Context:
    def __init__(self, db_url: str | None):
        self.db_url = db_url
        self._core = None

    @property
    def core(self):
        if self._core is None:
            from pos.core.bootstrap import open_core

            self._core = open_core(self.db_url)
        return self._core


def fail(message: str) -> None:
    click.echo(f"qrpos: {message}", err=True)
    sys.exit(1)


def handled(fn):
    """Turn core errors and unreachable databases into one line and a non-zero exit."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        from sqlalchemy.exc import SQLAlchemyError

        try:
            return fn(*args, **kwargs)
        except QrposError as error:
            fail(f"{error.code}: {error.message}")
        except SQLAlchemyError as error:
            fail(f"DATABASE_ERROR: {str(getattr(error, 'orig', error)).strip().splitlines()[0]}")

    return wrapper


def emit(data, as_json: bool, text: str | None = None) -> None:
    if as_json or text is None:
        click.echo(json.dumps(data, ensure_ascii=False, indent=None if as_json else 2))
    else:
        click.echo(text)


json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")


@click.group()
@click.version_option(package_name="qrpos")
@click.option("--db", "db_url", envvar="QRPOS_DATABASE_URL", help="Database URL (default sqlite:///qrpos.db).")
@click.pass_context
def cli(ctx, db_url):
    """qrpos: a QR-code point-of-sale simulator."""
    ctx.obj = Context(db_url)


from pos.cli_demo import register as _register_demo  # noqa: E402
from pos.cli_inspect import inspect_command  # noqa: E402
from pos.cli_operator import register as _register_operator  # noqa: E402
from pos.cli_serve import register as _register_serve  # noqa: E402

_register_operator(cli)
_register_serve(cli)
_register_demo(cli)
cli.add_command(inspect_command)


def main():
    cli(prog_name="qrpos")
