"""The unit of work: one clock reading per transaction, the journal written last, and the one rule
of the request states (the SQL moves and the Python explanation come from the same table)."""

from __future__ import annotations

import itertools
import threading

import pytest
from sqlalchemy import exc, select, update

from pos.core import payments
from pos.core.errors import InvalidInput, RequestExpired, StateConflict
from pos.core.payments import moves, states
from pos.core.platform.clock import US, FixedClock
from pos.core.platform.unit_of_work import UnitOfWork
from pos.core.store.schema import events, journal, payment_requests
from pos.core.store.schema import payments as payments_table

from .worlds import ramen_shop, yen_wallet


class TickingClock(FixedClock):
    """A clock that moves one microsecond every time it is read: a second reading would show."""

    def now_us(self) -> int:
        with self._lock:
            self._now += 1
            return self._now


@pytest.fixture
def clock():
    return TickingClock()


def test_a_settlement_stamps_everything_it_writes_with_one_time(core):
    shop, wallet = ramen_shop(core), yen_wallet(core)
    request = payments.create_request(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"],
                                      amount=1280, currency="JPY")
    paid = payments.pay(core, wallet_id=wallet["wallet_id"], payload=request["payload"], idempotency_key="k1")
    with core.db.read() as conn:
        created = conn.execute(select(payments_table.c.created_at).where(payments_table.c.id == paid["id"])).scalar()
        updated = conn.execute(select(payment_requests.c.updated_at)
                               .where(payment_requests.c.id == request["id"])).scalar()
        event_times = set(conn.execute(select(events.c.created_at).where(events.c.payment_id == paid["id"])).scalars())
        settled = conn.execute(select(journal.c.created_at).where(journal.c.kind == "payment.settled")).scalar()
    assert {created, updated, settled} | event_times == {created}


def test_the_journal_record_is_appended_after_the_effect_and_only_if_it_succeeds(core):
    def failing(uow: UnitOfWork) -> None:
        uow.journal("test.failed", {})
        raise InvalidInput("no")

    with pytest.raises(InvalidInput):
        core.transact(failing)

    def writes_after_registering(uow: UnitOfWork) -> int:
        uow.journal("test.ok", {"n": 1})
        # Registered first, yet nothing is appended until the effect returns.
        return uow.conn.execute(select(journal.c.seq).where(journal.c.kind == "test.ok")).first() is None

    assert core.transact(writes_after_registering) is True
    with core.db.read() as conn:
        kinds = list(conn.execute(select(journal.c.kind).order_by(journal.c.seq)).scalars())
    assert "test.failed" not in kinds and kinds[-1] == "test.ok"


def test_a_record_registered_after_the_journal_was_written_is_refused(core):
    kept: list[UnitOfWork] = []
    core.transact(kept.append)
    with pytest.raises(RuntimeError):
        kept[0].journal("too.late", {})


def test_a_rerun_unit_gets_a_fresh_time_and_journal(core):
    """Group commit and retries run an effect again from the start: nothing of the first run stays."""
    runs: list[UnitOfWork] = []
    lock = threading.Lock()

    def effect(uow: UnitOfWork) -> None:
        with lock:
            runs.append(uow)
        uow.journal("test.rerun", {"run": len(runs)})
        if len(runs) == 1:
            raise exc.IntegrityError("simulated unique race", {}, Exception("race"))

    core.transact(effect)
    assert len(runs) == 2 and runs[0].now < runs[1].now
    with core.db.read() as conn:
        bodies = list(conn.execute(select(journal.c.body).where(journal.c.kind == "test.rerun")).scalars())
    assert bodies == ['{"run":2}']


STATES = [states.AWAITING, states.CONFIRMING, states.PAID, states.EXPIRED, states.CANCELLED,
          states.PARTIALLY_REFUNDED, states.REFUNDED]
TARGETS = [states.CONFIRMING, states.PAID, states.CANCELLED, states.EXPIRED]


def test_the_sql_moves_and_the_state_rule_agree_on_every_state_target_and_side_of_expiry(core):
    shop = ramen_shop(core)
    request = payments.create_request(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"],
                                      amount=500, currency="JPY")
    for current, new, offset in itertools.product(STATES, TARGETS, (-1, 0, 1)):

        def effect(uow: UnitOfWork, current: str = current, new: str = new, offset: int = offset) -> bool:
            expires_at = uow.now + offset
            uow.conn.execute(update(payment_requests).where(payment_requests.c.id == request["id"])
                             .values(status=current, expires_at=expires_at))
            moved = moves.move(uow, request["id"], new)
            assert moved == states.may_move(current, expires_at, new, uow.now), (current, new, offset)
            if not moved:
                with pytest.raises(StateConflict):
                    states.refuse(request["id"], current, expires_at, new, uow.now)
            return moved

        core.transact(effect)


def test_the_request_states_that_can_be_paid_are_the_open_ones_before_expiry():
    assert states.allowed_from(states.PAID) == states.OPEN
    assert not states.may_move(states.AWAITING, 100 * US, states.PAID, 100 * US)
    assert states.may_move(states.CONFIRMING, 100 * US + 1, states.PAID, 100 * US)
    with pytest.raises(RequestExpired):
        states.refuse("pr_X", states.AWAITING, 100 * US, states.PAID, 100 * US)


def test_an_overdue_open_request_can_still_be_cancelled_before_the_sweeper_reaches_it():
    assert states.may_move(states.AWAITING, 1, states.CANCELLED, 2)
    assert not states.may_move(states.AWAITING, 3, states.EXPIRED, 2)
