"""`qrpos-wallet`: scan a payment QR code, see the quote, pay; balance, history, payment codes.

Every failure is one line on stderr and exit status 1: a bad source, no code found, an API refusal
with its code, an unreachable server.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterable
from pathlib import Path

import click

from pos import qrimage
from pos.core.errors import QrposError
from pos.core.money import Money
from wallet_app import scanner, views
from wallet_app.client import ApiError, WalletClient


class _OneLineErrors(click.Group):
    """Turns the wallet's typed errors into click's one-line ``Error: CODE: message`` and exit 1."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (scanner.ScanError, ApiError, QrposError) as exc:
            message = exc.message if isinstance(exc, (ApiError, QrposError)) else str(exc)
            raise click.ClickException(_one_line(f"{exc.code}: {message}")) from None
        except OSError as exc:
            raise click.ClickException(_one_line(f"{exc.filename or ''}: {exc.strerror or exc}")) from None


def _one_line(text: str) -> str:
    return " ".join(text.split())


@click.group(cls=_OneLineErrors)
@click.option("--server", envvar="QRPOS_WALLET_SERVER", default="http://127.0.0.1:8000", show_default=True,
              help="The qrpos API server.")
@click.option("--wallet", "wallet_id", envvar="QRPOS_WALLET_ID", help="Wallet id (w_...).")
@click.option("--pin", envvar="QRPOS_WALLET_PIN", help="Wallet PIN (better: QRPOS_WALLET_PIN).")
@click.option("--lang", type=click.Choice(sorted(views.LOCALES)), default="en", show_default=True,
              help="Language of amounts.")
@click.version_option(package_name="qrpos")
@click.pass_context
def cli(ctx, server, wallet_id, pin, lang):
    """qrpos wallet: scan a payment QR code and pay."""
    # ctx.obj may arrive pre-filled ({"transport": ...}): how tests point the client at the app in-process.
    ctx.ensure_object(dict)
    ctx.obj.update(server=server, wallet_id=wallet_id, pin=pin, locale=views.LOCALES[lang])


def _client(ctx) -> WalletClient:
    settings = ctx.find_object(dict)
    if not settings["wallet_id"]:
        raise click.ClickException("no wallet: pass --wallet or set QRPOS_WALLET_ID")
    if not settings["pin"]:
        raise click.ClickException("no PIN: pass --pin or set QRPOS_WALLET_PIN")
    return WalletClient(settings["server"], settings["wallet_id"], settings["pin"],
                        transport=settings.get("transport"))


def _locale(ctx) -> str:
    return ctx.find_object(dict)["locale"]


def _emit_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, sort_keys=True))


json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
pay_options = [
    click.option("--yes", is_flag=True, help="Pay without asking."),
    click.option("--miles", type=click.IntRange(min=0), default=0, help="Miles to spend (1 mile = 1 JPY)."),
    click.option("--amount", help="Amount in major units, for a static code (e.g. 450 or 12.50)."),
    json_option,
]


def with_options(options):
    def decorate(command):
        for option in reversed(options):
            command = option(command)
        return command

    return decorate


@cli.command()
@click.argument("source", required=False)
@click.option("--pay", "then_pay", is_flag=True, help="Pay after showing the request.")
@click.option("--max-frames", type=click.IntRange(min=1), default=300, show_default=True)
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True, help="Seconds.")
@click.option("--batch", is_flag=True, help="Read image paths on stdin, one per line; print a JSON line for each.")
@with_options(pay_options)
@click.pass_context
def scan(ctx, source, then_pay, max_frames, timeout, batch, yes, miles, amount, as_json):
    """Scan a QR code and show the request; --pay to pay it.

    SOURCE is an image or video file, a camera index (0) or an http(s) stream URL (MJPEG).

    With --batch (no SOURCE), every image path on stdin gets one line on stdout, in order:
    {"file": PATH, "codes": [every code's text], "ms": decoding time}, or
    {"file": PATH, "error": {"code": ..., "message": ...}} when it cannot be read; the batch goes on.
    """
    if batch:
        if source is not None or then_pay:
            raise click.UsageError("--batch reads image paths on stdin: give no SOURCE and no --pay")
        _scan_batch(sys.stdin)
        return
    if source is None:
        raise click.UsageError("Missing argument 'SOURCE' (or use --batch).")
    payload = scanner.scan(source, max_frames=max_frames, timeout=timeout)
    _show_and_pay(ctx, payload, then_pay=then_pay, yes=yes, miles=miles, amount=amount, as_json=as_json)


@cli.command()
@click.argument("payload")
@with_options(pay_options)
@click.pass_context
def pay(ctx, payload, yes, miles, amount, as_json):
    """Pay a PAYLOAD string (a QR code's text), after showing it."""
    _show_and_pay(ctx, payload, then_pay=True, yes=yes, miles=miles, amount=amount, as_json=as_json)


def _scan_batch(lines: Iterable[str]) -> None:
    """One JSON line per image path, in order, from this one process; unreadable files are lines too."""
    for line in lines:
        path = line.rstrip("\r\n")
        if not path.strip():
            continue
        try:
            image = scanner.read_image(path)
        except scanner.ScanError as exc:
            _emit_line({"file": path, "error": {"code": exc.code, "message": str(exc)}})
            continue
        started = time.perf_counter()
        codes = [code.text for code in scanner.decode_all(image)]
        _emit_line({"file": path, "codes": codes, "ms": round((time.perf_counter() - started) * 1000, 2)})


def _emit_line(data: dict) -> None:
    click.echo(json.dumps(data, ensure_ascii=False))  # keys in the documented order; echo flushes each line


def _show_and_pay(ctx, payload, *, then_pay, yes, miles, amount, as_json):
    locale = _locale(ctx)
    with _client(ctx) as client:
        found = client.scan(payload)
        minor = _amount_for(found, amount) if then_pay else None
        if not as_json:
            click.echo("\n".join(views.scan_lines(found, locale)))
        payment = None
        if then_pay:
            if yes or click.confirm("Pay?", default=False, err=as_json):
                quote = found.get("quote")
                payment = client.pay(payload, quote_id=quote and quote["id"], miles=miles, amount=minor)
            elif not as_json:
                click.echo("Not paid.")
    if as_json:
        _emit_json({"scan": found, "payment": payment})
    elif payment:
        click.echo(views.payment_line(payment, locale))


def _amount_for(found: dict, amount: str | None) -> int | None:
    if amount is None:
        if found["amount"] is None:
            raise click.ClickException(f"a static code: pass --amount in {found['currency']}")
        return None
    return Money.parse(amount, found["currency"]).minor


@cli.command()
@json_option
@click.pass_context
def balance(ctx, as_json):
    """The wallet's balance and miles."""
    with _client(ctx) as client:
        wallet = client.wallet()
    if as_json:
        _emit_json(wallet)
    else:
        click.echo(views.wallet_line(wallet, _locale(ctx)))


@cli.command()
@click.option("--limit", type=click.IntRange(1, 100), default=20, show_default=True)
@json_option
@click.pass_context
def history(ctx, limit, as_json):
    """The wallet's payments, newest first."""
    with _client(ctx) as client:
        page = client.payments(limit=limit)
    if as_json:
        _emit_json(page)
    else:
        click.echo("\n".join(views.history_lines(page, _locale(ctx))))


@cli.command()
@click.option("--png", type=click.Path(dir_okay=False, writable=True), help="Also write the code as a QR image.")
@json_option
@click.pass_context
def code(ctx, png, as_json):
    """A one-time payment code for the till to scan (about a minute)."""
    with _client(ctx) as client:
        payment_code = client.payment_code()
    if png:
        Path(png).write_bytes(qrimage.render_png(payment_code["code"]))
    if as_json:
        _emit_json({**payment_code, "png": png})
        return
    click.echo(f"Payment code: {payment_code['code']} (valid until {payment_code['expires_at']})")
    if png:
        click.echo(f"QR image: {png}")


def main(args=None, obj=None):
    """The console script; ``obj`` is for tests (``{"transport": httpx.WSGITransport(app=...)}``)."""
    cli.main(args=args, prog_name="qrpos-wallet", obj=obj)
