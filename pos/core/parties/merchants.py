"""Merchants (with store, terminal, staff and API key), wallets, top-ups and credentials."""

from __future__ import annotations

import re
from typing import Protocol, cast

from sqlalchemy import Connection, insert, select, update

from pos.core import ledger
from pos.core.errors import CurrencyMismatch, InvalidInput, NotFound, Unauthorized
from pos.core.limits import FEE_RATE_MAX_BP, REQUEST_TTL_MAX, REQUEST_TTL_MIN, int_between
from pos.core.money import check_currency
from pos.core.parties.credentials import hash_api_key
from pos.core.platform.context import Core
from pos.core.platform.unit_of_work import UnitOfWork
from pos.core.shapes import View
from pos.core.store.schema import api_keys, merchants, staff, stores, terminals

_MCC = re.compile(r"^\d{4}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


def _ascii_field(value: object, name: str, max_len: int) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > max_len:
        raise InvalidInput(f"{name} must be 1-{max_len} characters")
    if not value.isascii() or not value.isprintable():
        raise InvalidInput(f"{name} must be printable ASCII (put local script in the local-name field)")
    return value


def _local_field(value: object, name: str, max_len: int) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > max_len or not value.isprintable():
        raise InvalidInput(f"{name} must be 1-{max_len} printable characters")
    return value


class MerchantRow(Protocol):
    """A ``merchants`` row."""

    id: str
    name: str
    name_local: str | None
    language: str | None
    mcc: str
    country: str
    city: str
    city_local: str | None
    postal_code: str | None
    currency: str
    miles_earn_per: int | None
    fee_rate_bp: int
    account_id: str
    created_at: int


class TerminalRow(Protocol):
    """A ``terminals`` row."""

    id: str
    store_id: str
    merchant_id: str
    label: str
    request_ttl_seconds: int
    created_at: int


def create_merchant(
    core: Core,
    *,
    name: str,
    mcc: str,
    country: str,
    city: str,
    currency: str,
    postal_code: str | None = None,
    name_local: str | None = None,
    city_local: str | None = None,
    language: str | None = None,
    miles_earn_per: int | None = None,
    fee_rate_bp: int = 0,
    store_name: str = "Main store",
    terminal_label: str = "Till 1",
    staff_name: str = "Cashier",
    request_ttl_seconds: int | None = None,
) -> View:
    """Create a merchant with one store, terminal, staff member and API key (shown only here)."""
    _ascii_field(name, "name", 25)
    _ascii_field(city, "city", 15)
    if not _MCC.match(str(mcc)):
        raise InvalidInput(f"merchant category code must be 4 digits, got {mcc!r}")
    if not _COUNTRY.match(str(country)):
        raise InvalidInput(f"country must be an ISO 3166 alpha-2 code, got {country!r}")
    check_currency(currency)
    _local_field(name_local, "local name", 50)
    _local_field(city_local, "local city", 30)
    if postal_code is not None and not re.fullmatch(r"[A-Za-z0-9 -]{1,10}", postal_code):
        raise InvalidInput(f"postal code {postal_code!r} is not valid")
    if language is not None and not re.fullmatch(r"[a-z]{2}", language):
        raise InvalidInput(f"language must be an ISO 639-1 code such as 'ja', got {language!r}")
    if miles_earn_per is not None and not int_between(miles_earn_per, 1):
        raise InvalidInput("miles earn rate must be a positive number of minor units per mile")
    if not int_between(fee_rate_bp, 0, FEE_RATE_MAX_BP):
        raise InvalidInput("fee rate must be 0-1000 basis points")
    ttl = core.settings.request_ttl_seconds if request_ttl_seconds is None else request_ttl_seconds
    check_ttl(ttl)
    _ascii_field(terminal_label, "terminal label", 25)

    merchant_id, store_id = core.ids.new("m", 12), core.ids.new("st", 12)
    account_id = f"merchant:{merchant_id}"

    def effect(uow: UnitOfWork) -> View:
        conn, now = uow.conn, uow.now
        ledger.open_account(conn, account_id, ledger.MERCHANT, currency, now)
        conn.execute(
            insert(merchants).values(
                id=merchant_id, name=name, name_local=name_local, language=language, mcc=mcc, country=country,
                city=city, city_local=city_local, postal_code=postal_code, currency=currency,
                miles_earn_per=miles_earn_per, fee_rate_bp=fee_rate_bp, account_id=account_id, created_at=now,
            )
        )
        conn.execute(insert(stores).values(id=store_id, merchant_id=merchant_id, name=store_name, created_at=now))
        terminal = _open_terminal(uow, merchant_id, store_id, terminal_label, ttl)
        staff_id = _add_staff(uow, merchant_id, staff_name, "cashier")
        uow.journal("merchant.created", {"merchant": merchant_id, "currency": currency})
        return {"merchant_id": merchant_id, "store_id": store_id, **terminal, "staff_id": staff_id,
                "currency": currency}

    return core.transact(effect)


def _issue_api_key(uow: UnitOfWork, merchant_id: str, terminal_id: str) -> str:
    """A new API key for a terminal, returned once: only its hash is kept."""
    api_key = f"sk_test_{uow.ids.token(32)}"
    uow.conn.execute(
        insert(api_keys).values(id=uow.ids.new("key", 12), merchant_id=merchant_id, terminal_id=terminal_id,
                                key_hash=hash_api_key(api_key), created_at=uow.now)
    )
    return api_key


def _open_terminal(uow: UnitOfWork, merchant_id: str, store_id: str, label: str, ttl: int) -> dict[str, str]:
    """A terminal and its own API key (returned once; only its hash is kept)."""
    terminal_id = uow.ids.new("t", 12)
    uow.conn.execute(
        insert(terminals).values(id=terminal_id, store_id=store_id, merchant_id=merchant_id, label=label,
                                 request_ttl_seconds=ttl, created_at=uow.now)
    )
    return {"terminal_id": terminal_id, "api_key": _issue_api_key(uow, merchant_id, terminal_id)}


def _add_staff(uow: UnitOfWork, merchant_id: str, name: str, role: str) -> str:
    staff_id = uow.ids.new("sf", 12)
    uow.conn.execute(insert(staff).values(id=staff_id, merchant_id=merchant_id, name=name, role=role,
                                          created_at=uow.now))
    return staff_id


def create_terminal(
    core: Core, *, merchant_id: str, label: str, store_id: str | None = None, request_ttl_seconds: int | None = None
) -> View:
    """Another till for a merchant (in its first store unless told), with its own API key."""
    _ascii_field(label, "terminal label", 25)
    ttl = core.settings.request_ttl_seconds if request_ttl_seconds is None else request_ttl_seconds
    check_ttl(ttl)

    def effect(uow: UnitOfWork) -> View:
        conn = uow.conn
        get_merchant_row(conn, merchant_id)
        query = select(stores.c.id).where(stores.c.merchant_id == merchant_id).order_by(stores.c.created_at)
        if store_id is not None:
            query = query.where(stores.c.id == store_id)
        store = conn.execute(query).first()
        if store is None:
            raise NotFound(f"store {store_id} does not exist", code="STORE_NOT_FOUND")
        terminal = _open_terminal(uow, merchant_id, store.id, label, ttl)
        uow.journal("terminal.created", {"merchant": merchant_id, "terminal": terminal["terminal_id"]})
        return {"merchant_id": merchant_id, "store_id": store.id, **terminal, "request_ttl_seconds": ttl}

    return core.transact(effect)


STAFF_ROLES = ("cashier", "manager")


def add_staff(core: Core, *, merchant_id: str, name: str, role: str = "cashier") -> View:
    if not isinstance(name, str) or not name.strip() or len(name) > 50 or not name.isprintable():
        raise InvalidInput("a staff name is 1-50 printable characters")
    if role not in STAFF_ROLES:
        raise InvalidInput(f"role must be one of {', '.join(STAFF_ROLES)}, got {role!r}")

    def effect(uow: UnitOfWork) -> View:
        get_merchant_row(uow.conn, merchant_id)
        staff_id = _add_staff(uow, merchant_id, name, role)
        uow.journal("staff.added", {"merchant": merchant_id, "staff": staff_id, "role": role})
        return {"merchant_id": merchant_id, "staff_id": staff_id, "name": name, "role": role}

    return core.transact(effect)


def check_ttl(ttl: object) -> int:
    if not int_between(ttl, REQUEST_TTL_MIN, REQUEST_TTL_MAX):
        raise InvalidInput(f"a request lifetime must be 10-86400 seconds, got {ttl!r}", code="INVALID_EXPIRY")
    return ttl


def get_merchant_row(conn: Connection, merchant_id: str) -> MerchantRow:
    row = conn.execute(select(merchants).where(merchants.c.id == merchant_id)).first()
    if row is None:
        raise NotFound(f"merchant {merchant_id} does not exist", code="MERCHANT_NOT_FOUND")
    return cast(MerchantRow, row)


def get_terminal_row(conn: Connection, terminal_id: str) -> TerminalRow:
    row = conn.execute(select(terminals).where(terminals.c.id == terminal_id)).first()
    if row is None:
        raise NotFound(f"terminal {terminal_id} does not exist", code="TERMINAL_NOT_FOUND")
    return cast(TerminalRow, row)


def shop_rows(
    conn: Connection, merchant_id: str, terminal_id: str, currency: str | None = None
) -> tuple[MerchantRow, TerminalRow]:
    """(merchant, terminal) rows, refusing a terminal of another merchant and a foreign price currency."""
    merchant = get_merchant_row(conn, merchant_id)
    terminal = get_terminal_row(conn, terminal_id)
    if terminal.merchant_id != merchant_id:
        raise NotFound(f"terminal {terminal_id} does not exist", code="TERMINAL_NOT_FOUND")
    if currency is not None and currency != merchant.currency:
        raise CurrencyMismatch(f"prices at this merchant are in {merchant.currency}, not {currency}")
    return merchant, terminal


def authenticate_api_key(core: Core, api_key: str | None) -> dict[str, str]:
    """Find the merchant, terminal and key id an API key belongs to (revoked keys are refused)."""
    with core.db.read() as conn:
        row = conn.execute(
            select(api_keys.c.id, api_keys.c.merchant_id, api_keys.c.terminal_id).where(
                api_keys.c.key_hash == hash_api_key(api_key or ""), api_keys.c.revoked_at.is_(None)
            )
        ).first()
    if row is None:
        raise Unauthorized("API key is not valid", code="BAD_API_KEY")
    return {"merchant_id": row.merchant_id, "terminal_id": row.terminal_id, "key_id": row.id}


def api_key_is_active(core: Core, key_id: str) -> bool:
    """For sessions started with a key: is that key still valid?"""
    with core.db.read() as conn:
        row = conn.execute(select(api_keys.c.revoked_at).where(api_keys.c.id == key_id)).first()
    return row is not None and row.revoked_at is None


def rotate_api_key(core: Core, *, terminal_id: str) -> View:
    """Revoke a terminal's keys and issue a new one (shown once): for a leaked or departing key."""

    def effect(uow: UnitOfWork) -> View:
        terminal = get_terminal_row(uow.conn, terminal_id)
        revoked = uow.conn.execute(
            update(api_keys).where(api_keys.c.terminal_id == terminal_id, api_keys.c.revoked_at.is_(None))
            .values(revoked_at=uow.now)
        ).rowcount
        api_key = _issue_api_key(uow, terminal.merchant_id, terminal_id)
        uow.journal("api_key.rotated", {"terminal": terminal_id, "revoked": revoked})
        return {"merchant_id": terminal.merchant_id, "terminal_id": terminal_id, "api_key": api_key,
                "revoked_keys": revoked}

    return core.transact(effect)
