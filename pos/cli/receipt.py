"""`qrpos receipt PAYMENT_ID --lang ja --pdf FILE`: the same receipt the till prints, as a PDF."""

from __future__ import annotations

from pathlib import Path

import click


def register(cli) -> None:
    from pos.cli.common import handled

    @cli.command()
    @click.argument("payment_id")
    @click.option("--lang", type=click.Choice(["en", "ja", "zh"]), default="en", show_default=True)
    @click.option("--pdf", "pdf_path", type=click.Path(dir_okay=False, writable=True), required=True,
                  help="Where to write the PDF.")
    @click.pass_obj
    @handled
    def receipt(obj, payment_id, lang, pdf_path):
        """Write a payment's receipt as a PDF (Japanese and Chinese fonts embedded)."""
        from pos.printing import render_receipt
        from pos.receipts import receipt_for

        data = render_receipt(receipt_for(obj.core, payment_id), lang)
        try:
            Path(pdf_path).write_bytes(data)
        except OSError as error:
            raise click.ClickException(f"cannot write {pdf_path}: {error.strerror}") from None
        click.echo(f"{pdf_path}: receipt of {payment_id} in {lang}, {len(data):,} bytes")
