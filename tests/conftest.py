"""Fixtures shared by every layer: a real database per test, on SQLite and on PostgreSQL.

Each backend is migrated and bootstrapped once per session into a template; every test gets a
fresh copy (a file copy for SQLite, ``CREATE DATABASE ... TEMPLATE`` for PostgreSQL).
"""

from __future__ import annotations

import os
import shutil
import uuid

import pytest
from sqlalchemy import create_engine, text

from pos.core.bootstrap import open_core
from pos.core.platform.clock import FixedClock
from pos.core.platform.context import Settings
from pos.core.platform.ids import IdGenerator

PG_URL = os.environ.get("QRPOS_TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgres"] if PG_URL else [])
TEST_SETTINGS = Settings(pin_scrypt_n=2**4)


def _pg_admin():
    return create_engine(PG_URL, isolation_level="AUTOCOMMIT", poolclass=None)


def _pg_url(name: str) -> str:
    return PG_URL.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "template.db"
    core = open_core(f"sqlite:///{path}", settings=TEST_SETTINGS)
    core.db.dispose()
    return path


@pytest.fixture(scope="session")
def pg_template():
    if not PG_URL:
        pytest.skip("QRPOS_TEST_DATABASE_URL is not set")
    name = f"qrpos_tpl_{uuid.uuid4().hex[:8]}"
    admin = _pg_admin()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    core = open_core(_pg_url(name), settings=TEST_SETTINGS)
    core.db.dispose()
    yield name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    """A fresh, migrated database URL for one test."""
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path / "qrpos.db"
        shutil.copyfile(template, path)
        yield f"sqlite:///{path}"
        return
    template = request.getfixturevalue("pg_template")
    name = f"qrpos_t_{uuid.uuid4().hex[:10]}"
    admin = _pg_admin()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    yield _pg_url(name)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def pg_database_factory(pg_template):
    """Makes fresh PostgreSQL databases from the template (for tests that need many)."""
    admin, made = _pg_admin(), []

    def make() -> str:
        name = f"qrpos_t_{uuid.uuid4().hex[:10]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"'))
        made.append(name)
        return _pg_url(name)

    yield make
    with admin.connect() as conn:
        for name in made:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def clock():
    return FixedClock()


@pytest.fixture
def core(db_url, clock):
    core = open_core(db_url, clock=clock, ids=IdGenerator(seed=7), settings=TEST_SETTINGS, prepare_db=False)
    yield core
    core.db.dispose()


@pytest.fixture(autouse=True)
def _apps_stop_their_live_listeners(monkeypatch):
    """Every app a test builds closes its notifier afterwards, as `qrpos serve` does on SIGTERM: its
    LISTEN connection or SQLite watcher must not outlive the test's database."""
    import pos.web.app

    built = []
    original = pos.web.app.build_app

    def build_app(test_config=None):
        app = original(test_config)
        built.append(app)
        return app

    monkeypatch.setattr(pos.web.app, "build_app", build_app)
    yield
    for app in built:
        app.extensions["qrpos.notifier"].close()


@pytest.fixture(scope="session")
def playwright():
    """One Playwright for the whole run (browser tests in e2e/ and serving/): its sync API allows only
    one at a time per thread. Skips when Debian's Chromium is not installed."""
    from pathlib import Path

    if not Path("/usr/bin/chromium").exists():
        pytest.skip("/usr/bin/chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        yield playwright
