"""`qrpos serve` (cheroot: HTTP, or HTTPS for phones; the sweeper and webhook sender beside it) and `qrpos worker`."""

from __future__ import annotations

import logging
import os
import signal
import threading

import click

log = logging.getLogger(__name__)


def sweep_loop(core, stop: threading.Event, *, interval: float, on_change=None) -> None:
    """Expire overdue payment requests every ``interval`` seconds until ``stop``."""
    from pos.core.payments.lifecycle import expire_due

    while not stop.is_set():
        try:
            if expire_due(core) and on_change is not None:
                on_change()
        except Exception:
            log.exception("sweep failed")
        stop.wait(interval)


def start_background(core, stop, *, sweep: float | None, webhooks: float | None, on_change=None) -> list:
    from pos import webhook_sender

    threads = []
    if sweep:
        threads.append(threading.Thread(target=sweep_loop, args=(core, stop), kwargs=dict(interval=sweep,
                                        on_change=on_change), name="qrpos-sweeper", daemon=True))
    if webhooks:
        threads.append(threading.Thread(target=webhook_sender.run, args=(core, stop), kwargs=dict(interval=webhooks),
                                        name="qrpos-webhooks", daemon=True))
    for thread in threads:
        thread.start()
    return threads


def _stop_on_signals(first=None, *, interrupt: bool = True):
    """SIGTERM and SIGINT run ``first``, then (unless ``interrupt`` is False) raise KeyboardInterrupt."""

    def handler(signum, frame):
        if first is not None:
            first()
        if interrupt:
            raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


def _show_phone_address(app, running) -> None:
    """Tell the landing page where phones reach this server, and print a QR of the phone wallet."""
    import qrcode

    urls = running.urls()
    app.extensions["qrpos.urls"] = urls
    phone = next((u for u in reversed(urls) if "127.0.0.1" not in u and "localhost" not in u), urls[0]) + "/wallet/"
    click.echo(f"  phone wallet: {phone}")
    code = qrcode.QRCode(border=1)
    code.add_data(phone)
    code.print_ascii(out=click.get_text_stream("stdout"), invert=True)  # type: ignore[operator]


def register(cli):
    from pos.cli.common import fail, handled

    @cli.command()
    @click.option("--host", default=None, help="Address to listen on.  [default: 127.0.0.1; 0.0.0.0 with --lan]")
    @click.option("--lan", is_flag=True, help="Listen on every interface, for phones on the shop's network.")
    @click.option("--port", default=None, type=int,
                  help="Port; 0 picks a free one.  [default: 8000; 8443 with --https]")
    @click.option("--https", "use_https", is_flag=True,
                  help="Serve HTTPS with a local CA kept in the instance folder (phones need it for the camera).")
    @click.option("--http-port", default=8000, show_default=True, type=int,
                  help="With --https: plain-HTTP port serving the CA certificate (/trust) and redirecting to HTTPS; "
                       "0 picks a free one, -1 turns it off.")
    @click.option("--cert-dir", type=click.Path(file_okay=False), default=None,
                  help="Folder of the CA and server certificate.  [default: instance/tls]")
    @click.option("--threads", default=16, show_default=True, type=int, help="Worker threads for normal requests.")
    @click.option("--streams", default=32, show_default=True, type=int,
                  help="Event streams at once, each on a thread of its own; more get 503 + Retry-After.")
    @click.option("--sweep-interval", default=1.0, show_default=True, help="Seconds between expiry sweeps; 0 off.")
    @click.option("--webhook-interval", default=1.0, show_default=True,
                  help="Seconds between webhook rounds when idle; 0 leaves sending to `qrpos worker`.")
    @click.pass_obj
    @handled
    def serve(obj, host, lan, port, use_https, http_port, cert_dir, threads, streams, sweep_interval,
              webhook_interval):
        """Serve the terminal and the API (cheroot), plus the sweeper and the webhook sender."""
        from pos import create_app
        from pos.serving import launch

        app = create_app({"CORE": obj.core})
        try:
            # The app's bounds, held by the server before the app runs; its refusals under /api/ in JSON.
            plan = launch.plan(host=host, lan=lan, port=port, https=use_https, http_port=http_port,
                               threads=threads, streams=streams,
                               max_header_bytes=int(app.config["SERVER_MAX_HEADER_BYTES"]),
                               max_body_bytes=int(app.config["MAX_CONTENT_LENGTH"]), json_errors_under=("/api/",))
        except ValueError as error:
            fail(str(error))
        notifier = app.extensions["qrpos.notifier"]
        stop = threading.Event()
        # Streams end (their threads are free) and the server stops, waiting for busy requests.
        _stop_on_signals(first=lambda: (notifier.close(), stop.set()), interrupt=False)
        start_background(obj.core, stop, sweep=sweep_interval, webhooks=webhook_interval, on_change=notifier.notify)
        try:
            launch.run(app, plan, cert_dir=cert_dir or os.path.join(app.instance_path, "tls"), stop=stop,
                       echo=click.echo, on_start=lambda running: _show_phone_address(app, running))
        except launch.CannotServe as error:
            fail(str(error))
        finally:
            stop.set()
            notifier.close()

    @cli.command()
    @click.option("--interval", default=1.0, show_default=True, help="Seconds between rounds when idle.")
    @click.option("--sweep/--no-sweep", default=True, show_default=True, help="Also expire overdue requests.")
    @click.pass_obj
    @handled
    def worker(obj, interval, sweep):
        """Send queued webhooks (and sweep expiries) until stopped."""
        from pos import webhook_sender

        stop = threading.Event()
        _stop_on_signals()
        if sweep:
            start_background(obj.core, stop, sweep=interval, webhooks=None)
        click.echo("qrpos worker sending webhooks")
        try:
            webhook_sender.run(obj.core, stop, interval=interval)
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()
