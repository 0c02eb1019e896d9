"""Wallet PINs that cannot be guessed: a few wrong PINs in a row lock the wallet for a while.

After ``MAX_WRONG_PINS`` wrong PINs in a row no PIN is checked for ``LOCK_SECONDS``, whichever page,
API call or server process the guesses come through: the count lives in the database
(``wallet_pin_locks``). Each attempt takes its place in the count *before* its PIN is checked (an
atomic ``failed_pins + 1``), so guesses sent in parallel cannot slip past the limit; a right PIN
clears the count. An unknown wallet and a wrong PIN get the same BAD_CREDENTIALS, as before.
"""

from __future__ import annotations

from sqlalchemy import case, insert, or_, select, update

from pos.core.errors import Unauthorized, WalletLocked
from pos.core.parties.credentials import check_pin
from pos.core.platform.clock import US
from pos.core.platform.context import Core
from pos.core.platform.unit_of_work import UnitOfWork
from pos.core.store.schema import wallet_pin_locks, wallets

MAX_WRONG_PINS = 5
LOCK_SECONDS = 300


def _wrong() -> Unauthorized:
    return Unauthorized("wallet id or PIN is wrong", code="BAD_CREDENTIALS")


def _locked(seconds: int) -> WalletLocked:
    return WalletLocked(f"too many wrong PINs: this wallet can try again in {seconds} s", seconds)


def authenticate(core: Core, wallet_id: str, pin: str) -> dict[str, str]:
    """Check a wallet's PIN under the lock-out rule; ``{"wallet_id"}`` when it is right.

    :raises WalletLocked: the wallet is locked (this attempt was not checked), or this wrong PIN locked it.
    :raises Unauthorized: BAD_CREDENTIALS for an unknown wallet or a wrong PIN.
    """
    if not isinstance(wallet_id, str) or not wallet_id or len(wallet_id) > 20 or not wallet_id.isprintable():
        raise _wrong()  # never a wallet id: refused before any query
    reserved = core.transact(lambda uow: _reserve(uow, wallet_id))
    if isinstance(reserved, Unauthorized):
        raise reserved
    attempt, pin_hash = reserved
    if isinstance(pin, str) and check_pin(pin, pin_hash):
        core.transact(lambda uow: uow.conn.execute(
            update(wallet_pin_locks).where(wallet_pin_locks.c.wallet_id == wallet_id)
            .values(failed_pins=0, locked_until=None)))
        return {"wallet_id": wallet_id}
    if attempt >= MAX_WRONG_PINS:
        core.transact(lambda uow: _lock(uow, wallet_id))
        raise _locked(LOCK_SECONDS)
    raise _wrong()


def _reserve(uow: UnitOfWork, wallet_id: str) -> tuple[int, str] | Unauthorized:
    """Count this attempt as wrong until proven right: (its number in the run of attempts, the PIN hash)."""
    conn = uow.conn
    wallet = conn.execute(select(wallets.c.pin_hash).where(wallets.c.id == wallet_id)).first()
    if wallet is None:
        return _wrong()
    now = uow.now
    row = conn.execute(select(wallet_pin_locks).where(wallet_pin_locks.c.wallet_id == wallet_id)).first()
    if row is None:
        conn.execute(insert(wallet_pin_locks).values(wallet_id=wallet_id, failed_pins=1, locked_until=None))
        return 1, wallet.pin_hash
    if row.locked_until is not None and row.locked_until > now:
        return _locked(-(-(row.locked_until - now) // US))
    lock = wallet_pin_locks.c
    # one statement, so that attempts in parallel (other threads, other processes) each get their own number;
    # a lock that has run out starts the count again
    counted = conn.execute(
        update(wallet_pin_locks)
        .where(lock.wallet_id == wallet_id, or_(lock.locked_until.is_(None), lock.locked_until <= now))
        .values(failed_pins=case((lock.locked_until.is_(None), lock.failed_pins + 1), else_=1), locked_until=None)
    ).rowcount
    if counted != 1:  # another process locked it a moment ago
        return _locked(LOCK_SECONDS)
    attempt = conn.execute(select(lock.failed_pins).where(lock.wallet_id == wallet_id)).scalar_one()
    if attempt > MAX_WRONG_PINS:  # the others in flight used every try: lock now, check nothing
        _lock(uow, wallet_id)
        return _locked(LOCK_SECONDS)
    return attempt, wallet.pin_hash


def _lock(uow: UnitOfWork, wallet_id: str) -> None:
    now = uow.now
    uow.conn.execute(update(wallet_pin_locks).where(wallet_pin_locks.c.wallet_id == wallet_id)
                 .values(failed_pins=0, locked_until=now + LOCK_SECONDS * US))
    uow.journal("wallet.locked", {"wallet": wallet_id})
