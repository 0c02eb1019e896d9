"""What every ``qrpos`` command shares: the lazily opened core, one-line errors, JSON output."""

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
