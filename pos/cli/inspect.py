"""`qrpos inspect`: explain a payment QR in plain words, or as JSON, one code or a batch."""

from __future__ import annotations

import json
import sys

import click

from pos.core.codec import PayloadError, explain, inspect_payload


def _parse_keys(values: tuple[str, ...]) -> dict[str, bytes] | None:
    """--key ID=HEXSECRET, repeatable; None when no key is given (signatures are then reported
    but not checked)."""
    if not values:
        return None
    keys = {}
    for item in values:
        key_id, sep, secret = item.partition("=")
        try:
            keys[key_id] = bytes.fromhex(secret)
        except ValueError:
            sep = ""
        if not sep or not key_id:
            raise click.BadParameter(f"{item!r} is not ID=HEXSECRET", param_hint="--key")
    return keys


def _database_keys(url: str) -> dict[str, bytes]:
    """The signing keys of a qrpos database, read without migrating or writing anything."""
    from sqlalchemy.exc import SQLAlchemyError

    from pos.core.platform.context import Core
    from pos.core.store.db import Database

    try:
        core = Core(Database(url))
        keys = dict(core.keyring.keys)
        core.db.dispose()
    except SQLAlchemyError as exc:
        _fail(f"cannot read signing keys from {url}: {str(getattr(exc, 'orig', exc)).strip().splitlines()[0]}")
    return keys


def _fail(message: str, status: int = 1) -> None:
    click.echo(f"qrpos inspect: {message}", err=True)
    sys.exit(status)


def read_image(path: str) -> str:
    """The text of the first QR code in the image at ``path``, read by the wallet's scanner pipeline: the
    same steps (clean-up, half-size pass, rotation, inversion...) as ``qrpos-wallet scan`` and the phone
    wallet's photo upload, so a code one of them reads, ``qrpos inspect --image`` reads too.

    :raises ValueError: the file is missing, is not an image, or holds no QR code (a one-line reason)
    """
    from wallet_app import scanner  # the image stack stays out of the payment core

    try:
        found = scanner.decode_all(scanner.read_image(path))
    except scanner.ScanError as error:
        raise ValueError(str(error)) from None
    if not found:
        raise ValueError(f"no QR code found in {path}")
    return found[0].text


def _batch(keys) -> None:
    for number, line in enumerate(sys.stdin, start=1):
        try:
            payload = json.loads(line)
        except ValueError:
            payload = None
        if isinstance(payload, str):
            result = inspect_payload(payload, keys)
        else:
            result = {"ok": False, "error": {
                "code": "BATCH_BAD_LINE", "message": f"line {number} is not a JSON string"}}
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    sys.stdout.flush()


@click.command("inspect")
@click.argument("payload", required=False)
@click.option("--lang", type=click.Choice(["en", "ja", "zh"]), default="en", show_default=True,
              help="Language of the explanation.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of text.")
@click.option("--batch", is_flag=True,
              help="Read JSON-encoded strings, one per line, from stdin; write one JSON object per line.")
@click.option("--image", "image", metavar="PATH", help="Read the QR code from an image file first.")
@click.option("--key", "key_values", multiple=True, metavar="ID=HEXSECRET",
              help="A signing key, to check the signature of our own payment requests.")
@click.pass_context
def inspect_command(ctx, payload, lang, as_json, batch, image, key_values):
    """Explain every object of a payment QR code: scheme, templates, CRC and signature.

    With `qrpos --db URL inspect ...` (or QRPOS_DATABASE_URL set) the signature of our own requests
    is checked with that database's keys; the database is only read.
    """
    try:
        keys = _parse_keys(key_values)
    except click.BadParameter as exc:
        _fail(exc.format_message(), 2)
    db_url = getattr(ctx.obj, "db_url", None)
    if keys is None and db_url:
        keys = _database_keys(db_url)
    if batch:
        if payload or image:
            _fail("--batch reads stdin; give no PAYLOAD or --image with it", 2)
        _batch(keys)
        return
    if image:
        if payload:
            _fail("give either PAYLOAD or --image, not both", 2)
        try:
            payload = read_image(image)
        except ValueError as exc:
            _fail(str(exc))
    if payload is None:
        _fail("give a PAYLOAD, --image PATH or --batch (see --help)", 2)
    if as_json:
        result = inspect_payload(payload, keys)
        click.echo(json.dumps(result, ensure_ascii=False))
        if not result["ok"]:
            _fail(f"{result['error']['code']}: {result['error']['message']}")
        return
    try:
        click.echo(explain(payload, lang, keys))
    except PayloadError as exc:
        _fail(f"{exc.code}: {exc.message}")
