"""Staff at the till: a PIN per member of staff, sign-in to a terminal, and manager approval.

Wrong PINs lock the member of staff for ``LOCK_SECONDS`` after ``MAX_WRONG_PINS`` tries in a row, so a
PIN cannot be guessed at the counter; the lock is kept in the database, so it holds across server
processes. An unknown name, a wrong PIN and a member of staff without a PIN get the same error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import or_, select, update

from pos.core.errors import InvalidInput, StaffLocked, Unauthorized
from pos.core.parties.credentials import check_pin, hash_pin
from pos.core.parties.merchants import get_terminal_row
from pos.core.platform.clock import US
from pos.core.platform.context import Core
from pos.core.platform.unit_of_work import UnitOfWork
from pos.core.store.schema import staff

MAX_WRONG_PINS = 5
LOCK_SECONDS = 300
_PIN = re.compile(r"\d{4,8}")


@dataclass(frozen=True)
class StaffMember:
    id: str
    name: str
    role: str
    merchant_id: str


def check_pin_format(pin: object) -> str:
    if not isinstance(pin, str) or not _PIN.fullmatch(pin):
        raise InvalidInput("a PIN is 4-8 digits", code="INVALID_PIN")
    return pin


def set_pin(core: Core, *, staff_id: str, pin: str) -> None:
    """Give a member of staff a new PIN (and clear any lock)."""
    pin_hash = hash_pin(check_pin_format(pin), core.settings.pin_scrypt_n)

    def effect(uow: UnitOfWork) -> None:
        changed = uow.conn.execute(
            update(staff).where(staff.c.id == staff_id).values(pin_hash=pin_hash, failed_pins=0, locked_until=None)
        ).rowcount
        if changed != 1:
            raise InvalidInput(f"staff member {staff_id} does not exist", code="STAFF_NOT_FOUND")
        uow.journal("staff.pin_set", {"staff": staff_id})

    core.transact(effect)


def list_staff(core: Core, merchant_id: str) -> list[StaffMember]:
    with core.db.read() as conn:
        rows = conn.execute(select(staff).where(staff.c.merchant_id == merchant_id).order_by(staff.c.name)).all()
    return [StaffMember(r.id, r.name, r.role, r.merchant_id) for r in rows]


def sign_in(core: Core, *, terminal_id: str, who: str, pin: str, role: str | None = None) -> StaffMember:
    """Check a PIN for the member of staff named (or with the id) ``who`` at this terminal's merchant.

    :param role: "manager" to demand a manager (refund approval, settings).
    :raises StaffLocked: too many wrong PINs; no PIN is checked until the lock ends.
    :raises Unauthorized: BAD_CREDENTIALS for an unknown name, a wrong PIN or the wrong role.
    """
    who = who.strip() if isinstance(who, str) else ""
    if not who or len(who) > 50 or not who.isprintable():  # never a name: refused before any query
        raise Unauthorized("staff name or PIN is wrong", code="BAD_CREDENTIALS")

    def effect(uow: UnitOfWork) -> StaffMember | Unauthorized:
        conn, now = uow.conn, uow.now
        terminal = get_terminal_row(conn, terminal_id)
        row = conn.execute(
            select(staff).where(staff.c.merchant_id == terminal.merchant_id,
                                or_(staff.c.id == who, staff.c.name == who)).order_by(staff.c.id)
        ).first()
        if row is None or row.pin_hash is None:
            return Unauthorized("staff name or PIN is wrong", code="BAD_CREDENTIALS")
        if row.locked_until is not None and row.locked_until > now:
            seconds = -(-(row.locked_until - now) // US)
            return StaffLocked(f"too many wrong PINs: {row.name} can try again in {seconds} s", seconds)
        if not isinstance(pin, str) or not check_pin(pin, row.pin_hash):
            failed = row.failed_pins + 1
            locked = now + LOCK_SECONDS * US if failed >= MAX_WRONG_PINS else None
            conn.execute(update(staff).where(staff.c.id == row.id)
                         .values(failed_pins=0 if locked else failed, locked_until=locked))
            if locked:
                uow.journal("staff.locked", {"staff": row.id})
                return StaffLocked(f"too many wrong PINs: {row.name} is locked for {LOCK_SECONDS} s", LOCK_SECONDS)
            return Unauthorized("staff name or PIN is wrong", code="BAD_CREDENTIALS")
        if row.failed_pins or row.locked_until:
            conn.execute(update(staff).where(staff.c.id == row.id).values(failed_pins=0, locked_until=None))
        if role is not None and row.role != role:
            return Unauthorized(f"{row.name} is not a {role}", code="NOT_A_MANAGER")
        return StaffMember(row.id, row.name, row.role, row.merchant_id)

    # the failure counter must be committed even though the answer is a refusal: return, then raise
    outcome = core.transact(effect)
    if isinstance(outcome, Unauthorized):
        raise outcome
    return outcome
