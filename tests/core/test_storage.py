"""Storage: migrations build exactly the schema the code expects, and a payment survives a crash."""

import os
import signal
import subprocess
import sys
import textwrap

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from pos.core import parties, payments
from pos.core.bootstrap import open_core, prepare
from pos.core.store import migrate
from pos.core.store.schema import metadata

from .worlds import ramen_shop, yen_wallet


def test_the_migrations_build_exactly_the_schema_in_the_code(core):
    with core.db.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diffs == []
    assert migrate.current_revision(core.db.engine) == migrate.head_revision()


def test_migrating_a_live_database_again_changes_nothing(core):
    shop = ramen_shop(core)
    prepare(core)
    prepare(core)
    assert payments.static_code(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"])


def test_sqlite_runs_in_wal_mode_with_full_synchronous_writes(core):
    if not core.db.is_sqlite:
        with core.db.read() as conn:
            assert conn.exec_driver_sql("SHOW synchronous_commit").scalar() == "on"
            assert conn.exec_driver_sql("SHOW fsync").scalar() == "on"
        return
    with core.db.read() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL


CRASHER = textwrap.dedent(
    """
    import os, sys
    from pos.core.bootstrap import open_core
    from pos.core import payments
    from pos.core.platform.clock import FixedClock
    core = open_core(sys.argv[1], clock=FixedClock(int(sys.argv[4])), prepare_db=False)
    paid = payments.pay(core, wallet_id=sys.argv[2], payload=sys.argv[3])
    print(paid["id"], flush=True)   # the acknowledgement
    os.kill(os.getpid(), 9)         # and the process dies at once, no clean shutdown
    """
)


def test_an_acknowledged_payment_survives_the_process_being_killed(core, db_url, clock):
    shop, wallet = ramen_shop(core), yen_wallet(core)
    req = payments.create_request(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"],
                                  amount=1280, currency="JPY")
    command = [sys.executable, "-c", CRASHER, db_url, wallet["wallet_id"], req["payload"], str(clock.now_us())]
    result = subprocess.run(command,
                            capture_output=True, text=True, timeout=120, env={**os.environ})
    assert result.returncode == -signal.SIGKILL
    payment_id = result.stdout.strip()
    core.db.dispose()
    reopened = open_core(db_url, clock=clock, prepare_db=False)
    assert payments.get_payment(reopened, payment_id)["status"] == "paid"
    assert parties.wallet_summary(reopened, wallet["wallet_id"])["balance"]["amount"] == 10_000 - 1280
    reopened.db.dispose()
