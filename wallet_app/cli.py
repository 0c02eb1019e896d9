"""`qrpos-wallet`: the wallet's command line."""

from __future__ import annotations

import click


@click.group()
@click.version_option(package_name="qrpos")
def cli():
    """qrpos wallet: scan a payment QR code and pay."""


def main():
    cli(prog_name="qrpos-wallet")
