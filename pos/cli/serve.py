"""`qrpos serve` (waitress, threads, with the sweeper and webhook sender beside it) and `qrpos worker`."""

from __future__ import annotations

import logging
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


def _stop_on_signals(first=None):
    """SIGTERM and SIGINT stop the process; ``first`` runs before (waitress waits for busy threads)."""

    def handler(signum, frame):
        if first is not None:
            first()
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


def register(cli):
    from pos.cli.common import handled

    @cli.command()
    @click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
    @click.option("--port", default=8000, show_default=True, type=int, help="Port; 0 picks a free one.")
    @click.option("--threads", default=16, show_default=True, type=int, help="Request threads (SSE holds one each).")
    @click.option("--sweep-interval", default=1.0, show_default=True, help="Seconds between expiry sweeps; 0 off.")
    @click.option("--webhook-interval", default=1.0, show_default=True,
                  help="Seconds between webhook rounds when idle; 0 leaves sending to `qrpos worker`.")
    @click.pass_obj
    @handled
    def serve(obj, host, port, threads, sweep_interval, webhook_interval):
        """Serve the terminal and the API with waitress, plus the sweeper and the webhook sender."""
        from waitress import create_server

        from pos import create_app

        app = create_app({"CORE": obj.core})
        notifier = app.extensions["qrpos.notifier"]
        # lookahead: waitress keeps reading a streaming connection, so an event stream learns that its page has gone
        server = create_server(app, host=host, port=port, threads=threads, ident="qrpos", channel_request_lookahead=1)
        stop = threading.Event()
        start_background(obj.core, stop, sweep=sweep_interval, webhooks=webhook_interval, on_change=notifier.notify)
        _stop_on_signals(first=notifier.close)  # open event streams end, so their threads are free
        click.echo(f"qrpos serving on http://{server.effective_host}:{server.effective_port}", err=False)
        try:
            server.run()
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()
            notifier.close()
            server.close()

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
