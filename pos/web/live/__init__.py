"""Live status: what wakes this process's event streams when a payment request changes, in any process.

The database is the truth; a wake-up only says "read again" (and, where known, for which request):

* PostgreSQL: the outbox NOTIFYs in the events' own transaction; one LISTEN connection per process
  wakes the streams of the ids in the payload (:mod:`.pg_listener`).
* SQLite (a file): one watcher per process asks ``PRAGMA data_version`` every
  LIVE_SQLITE_CHECK_SECONDS, and at once after each commit of this process (the pool's ``checkin``
  event, so the sweeper and every other non-HTTP path count too), then reads the new events' ids
  (:mod:`.sqlite_watcher`).
* Always: each stream still polls every SSE_POLL_SECONDS, the fallback while a source is down.

The source starts with the first event stream (an app that streams nothing opens no connection)
and stops with ``notifier.close()`` (``qrpos serve`` on SIGTERM, test fixtures). LIVE_WAKEUPS=False,
or an in-memory SQLite database, keeps the behaviour of before: every stream of this process is woken
after each successful non-GET request, other processes' changes are seen by polling.
"""

from __future__ import annotations

from flask import request

from pos.web.live.notifier import Notifier, Subscription

__all__ = ["Notifier", "Subscription", "init_app"]


def init_app(app) -> None:
    """Wire ``app.extensions['qrpos.notifier']`` to the database's wake-up source (started lazily)."""
    notifier: Notifier = app.extensions["qrpos.notifier"]
    source = _source(app, app.extensions["qrpos.core"].db, notifier) if app.config["LIVE_WAKEUPS"] else None
    app.extensions["qrpos.live"] = source
    if source is not None:
        notifier.set_source(source.start, source.stop)
        return

    @app.after_request
    def wake_streams(response):
        if request.method != "GET" and response.status_code < 400:
            notifier.notify()  # a change may have been committed: every stream of this process looks now
        return response


def _source(app, db, notifier: Notifier):
    if db.is_sqlite:
        path = db.engine.url.database
        if not path or path == ":memory:" or path.startswith("file:"):
            return None  # a private in-memory database: no other connection could watch it
        from pos.web.live.sqlite_watcher import SqliteWatcher

        return _PokedWatcher(db.engine, SqliteWatcher(path, notifier.notify,
                                                      interval=float(app.config["LIVE_SQLITE_CHECK_SECONDS"])))
    if db.engine.dialect.name == "postgresql":
        from pos.web.live.pg_listener import PgListener

        return PgListener(db.url, notifier.notify, max_backoff=float(app.config["LIVE_RECONNECT_MAX_SECONDS"]))
    return None


class _PokedWatcher:
    """The SQLite watcher, poked whenever a pooled connection of this process is returned (after its commit)."""

    def __init__(self, engine, watcher):
        self.engine, self.watcher = engine, watcher

    def start(self) -> None:
        from sqlalchemy import event

        event.listen(self.engine, "checkin", self.watcher.poke)
        self.watcher.start()

    def stop(self) -> None:
        from sqlalchemy import event

        if event.contains(self.engine, "checkin", self.watcher.poke):
            event.remove(self.engine, "checkin", self.watcher.poke)
        self.watcher.stop()
