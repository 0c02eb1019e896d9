"""Payment requests: create (dynamic, signed, expiring), the static code, scan, cancel, expire.

A request's payload is our signed EMVCo profile (pos.core.codec); every read of a scanned payload
checks its signature. The state machine is in pos.core.requests; settlement in pos.core.payments.
"""

from __future__ import annotations

import re

from sqlalchemy import Connection, bindparam, insert, select, update

from pos.core import codec
from pos.core.errors import InvalidAmount, InvalidInput, NotFound, PayloadError, RequestExpired
from pos.core.money import Money
from pos.core.parties.merchants import check_ttl, get_merchant_row, shop_rows
from pos.core.parties.wallets import get_wallet_row
from pos.core.payments import quotes, states
from pos.core.platform import idempotency, journal, outbox
from pos.core.platform.clock import US
from pos.core.store.prepared import Prepared
from pos.core.store.schema import payment_requests

_REFERENCE = re.compile(r"^[\x20-\x7e]{1,25}$")


def check_amount(amount) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise InvalidAmount(f"amount must be a positive integer of minor units, got {amount!r}")
    if amount > 10**12:
        raise InvalidAmount("amount is too large")
    return amount


def _payload_for(core, signing_key, merchant, terminal, request_id, amount, expires_at, reference) -> str:
    key_id, secret = signing_key
    return codec.build_signed_request(
        codec.RequestPayload(
            request_id=request_id,
            merchant_id=merchant.id,
            terminal_id=terminal.id,
            mcc=merchant.mcc,
            currency=merchant.currency,
            amount_minor=amount,
            country=merchant.country,
            merchant_name=merchant.name,
            merchant_city=merchant.city,
            postal_code=merchant.postal_code,
            name_local=merchant.name_local,
            city_local=merchant.city_local,
            language=merchant.language,
            bill_number=reference,
            reference=request_id[-25:],
            terminal_label=terminal.label,
            expires_at=None if expires_at is None else expires_at // US,
        ),
        key_id=key_id,
        secret=secret,
    )


def create_request(
    core,
    *,
    merchant_id: str,
    terminal_id: str,
    amount: int,
    currency: str,
    reference: str | None = None,
    expires_in: int | None = None,
    idempotency_key: str | None = None,
) -> dict:
    """A dynamic request: a fixed price in the merchant's currency, single use, expiring."""
    check_amount(amount)
    if reference is not None and not _REFERENCE.match(reference):
        raise InvalidInput("reference must be 1-25 printable ASCII characters", code="INVALID_REFERENCE")
    if expires_in is not None:
        check_ttl(expires_in)
    body = {"terminal": terminal_id, "amount": amount, "currency": currency, "reference": reference,
            "expires_in": expires_in}
    signing_key = core.keyring.active()  # before the write transaction: it may read the key table

    def effect(conn: Connection) -> dict:
        merchant, terminal = shop_rows(conn, merchant_id, terminal_id, currency)
        now = core.now()
        expires_at = now + (expires_in or terminal.request_ttl_seconds) * US
        expires_at -= expires_at % US  # whole seconds: the QR carries seconds
        request_id = core.ids.new("pr", 16)
        payload = _payload_for(core, signing_key, merchant, terminal, request_id, amount, expires_at, reference)
        conn.execute(
            insert(payment_requests).values(
                id=request_id, kind="dynamic", merchant_id=merchant_id, terminal_id=terminal_id, amount=amount,
                currency=currency, reference=reference, status=states.AWAITING, payload=payload, created_at=now,
                expires_at=expires_at, updated_at=now,
            )
        )
        journal.append(conn, "request.created", {"request": request_id, "amount": amount, "currency": currency}, now)
        row = conn.execute(select(payment_requests).where(payment_requests.c.id == request_id)).one()
        data = states.view(row)
        outbox.record(conn, core, "payment_request.created", merchant_id=merchant_id, request_id=request_id, data=data)
        return data

    return idempotency.run(
        core, scope=f"merchant:{merchant_id}", key=idempotency_key, operation="create_request", body=body,
        effect=effect,
    )


def static_code(core, *, merchant_id: str, terminal_id: str) -> dict:
    """The terminal's static merchant code: signed, no amount, no expiry; the payer enters the amount."""
    with core.db.read() as conn:
        merchant, terminal = shop_rows(conn, merchant_id, terminal_id)
    code_id = f"sc_{terminal_id}"
    payload = _payload_for(core, core.keyring.active(), merchant, terminal, code_id, None, None, None)
    return {"id": code_id, "object": "static_code", "payload": payload}


def get_request(core, request_id: str, *, merchant_id: str | None = None) -> dict:
    with core.db.read() as conn:
        row = request_row(conn, request_id, merchant_id)
        return states.view(row, get_merchant_row(conn, row.merchant_id))


_REQUEST = Prepared(select(payment_requests).where(payment_requests.c.id == bindparam("request")))


def request_row(conn: Connection, request_id: str, merchant_id: str | None = None):
    row = _REQUEST.first(conn, {"request": request_id})
    if row is None or (merchant_id is not None and row.merchant_id != merchant_id):
        raise NotFound(f"payment request {request_id} does not exist", code="REQUEST_NOT_FOUND")
    return row


def read_payload(core, payload: str) -> codec.RequestPayload:
    """Check a scanned payload's signature and fields; refuse anything altered or foreign."""
    if not isinstance(payload, str):
        raise PayloadError("payload must be a string")
    try:
        return codec.read_signed_request(payload, core.keyring.keys)
    except PayloadError as error:
        if error.code != "PAYLOAD_SIGNATURE_INVALID":
            raise
    core.keyring.refresh()  # signed with a key made since we loaded ours? look once more
    return codec.read_signed_request(payload, core.keyring.keys)


def _move(conn, core, row, new_status: str, *, allowed_from, extra_where=()) -> bool:
    """Conditionally move a request; the WHERE clause is what makes a race produce one winner."""
    result = conn.execute(
        update(payment_requests)
        .where(payment_requests.c.id == row.id, payment_requests.c.status.in_(allowed_from), *extra_where)
        .values(status=new_status, updated_at=core.now())
    )
    return result.rowcount == 1


def refuse_closed(conn, core, request_id: str, new_status: str) -> None:
    current = request_row(conn, request_id)
    if current.status in states.OPEN and current.expires_at is not None and current.expires_at <= core.now():
        raise RequestExpired(f"payment request {request_id} has expired")
    states.check_transition(request_id, current.status, new_status)


def scan(core, *, wallet_id: str, payload: str) -> dict:
    """What the wallet shows after scanning: the authoritative request, the payee, and a quote."""
    fields = read_payload(core, payload)

    def effect(conn: Connection) -> dict:
        wallet = get_wallet_row(conn, wallet_id)
        if fields.amount_minor is None:
            merchant = get_merchant_row(conn, fields.merchant_id)
            return {"object": "static_code", "id": fields.request_id, "status": "open", "amount": None,
                    "currency": merchant.currency, "payee": states.view_payee(merchant), "quote": None}
        row = request_row(conn, fields.request_id)
        now = core.now()
        if row.status in states.OPEN and row.expires_at <= now:
            raise RequestExpired(f"payment request {row.id} has expired")
        if not _move(conn, core, row, states.CONFIRMING, allowed_from=states.OPEN):
            refuse_closed(conn, core, row.id, states.CONFIRMING)
        merchant = get_merchant_row(conn, row.merchant_id)
        quote = quotes.create(conn, core, wallet=wallet, request_id=row.id, price=Money(row.amount, row.currency))
        if row.status == states.AWAITING:  # the till shows which currency the customer is paying in
            charge = quote["pay"] if quote else {"amount": row.amount, "currency": row.currency}
            outbox.record(conn, core, "payment_request.customer_confirming", merchant_id=row.merchant_id,
                          request_id=row.id, data={"id": row.id, "status": states.CONFIRMING,
                                                   "wallet_currency": wallet.currency, "quoted": charge})
        data = states.view(conn.execute(select(payment_requests).where(payment_requests.c.id == row.id)).one(), merchant)
        data["quote"] = quote
        journal.append(conn, "request.scanned", {"request": row.id, "wallet": wallet.id,
                                                 "quote": quote and quote["id"]}, now)
        return data

    return core.db.transact(effect)


def cancel_request(core, *, merchant_id: str, request_id: str, idempotency_key: str | None = None) -> dict:
    def effect(conn: Connection) -> dict:
        row = request_row(conn, request_id, merchant_id)
        if not _move(conn, core, row, states.CANCELLED, allowed_from=states.OPEN):
            refuse_closed(conn, core, request_id, states.CANCELLED)
        journal.append(conn, "request.cancelled", {"request": request_id}, core.now())
        data = states.view(request_row(conn, request_id))
        outbox.record(conn, core, "payment_request.cancelled", merchant_id=merchant_id, request_id=request_id,
                      data=data)
        return data

    return idempotency.run(core, scope=f"merchant:{merchant_id}", key=idempotency_key, operation="cancel",
                           body={"request": request_id}, effect=effect)


def expire_due(core, *, limit: int = 500) -> int:
    """The sweeper: move open requests past their expiry to ``expired``; return how many moved."""

    def effect(conn: Connection) -> int:
        now = core.now()
        due = conn.execute(
            select(payment_requests.c.id, payment_requests.c.merchant_id)
            .where(payment_requests.c.status.in_(states.OPEN), payment_requests.c.expires_at <= now)
            .order_by(payment_requests.c.expires_at)
            .limit(limit)
        ).all()
        moved = []
        for row in due:
            if _move(conn, core, row, states.EXPIRED, allowed_from=states.OPEN, extra_where=(payment_requests.c.expires_at <= now,)):
                moved.append(row.id)
                outbox.record(conn, core, "payment_request.expired", merchant_id=row.merchant_id, request_id=row.id,
                              data={"id": row.id, "status": states.EXPIRED})
        if moved:
            journal.append(conn, "requests.expired", {"requests": moved}, now)
        return len(moved)

    return core.db.transact(effect)
