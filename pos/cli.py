"""`qrpos`: server and operator commands. Thin: each command parses, calls the core, prints."""

from __future__ import annotations

import click


@click.group()
@click.version_option(package_name="qrpos")
def cli():
    """qrpos: a QR-code point-of-sale simulator."""


def main():
    cli(prog_name="qrpos")
