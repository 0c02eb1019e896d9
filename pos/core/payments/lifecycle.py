"""Payment requests: create (dynamic, signed, expiring), the static code, scan, cancel, expire.

A request's payload is our signed EMVCo profile (pos.core.codec); every read of a scanned payload
checks its signature. The state machine is in :mod:`.states`, the moves between states in :mod:`.moves`,
settlement in :mod:`.settlement`.
"""

from __future__ import annotations

from sqlalchemy import bindparam, insert, select

from pos.core import codec, limits
from pos.core.errors import InvalidInput, PayloadError
from pos.core.limits import check_amount
from pos.core.money import Money
from pos.core.parties.merchants import MerchantRow, TerminalRow, check_ttl, get_merchant_row, shop_rows
from pos.core.parties.wallets import get_wallet_row
from pos.core.payments import moves, quotes, states
from pos.core.payments.moves import request_row
from pos.core.payments.states import RequestRow
from pos.core.platform import idempotency, outbox
from pos.core.platform.clock import US
from pos.core.platform.context import Core
from pos.core.platform.unit_of_work import UnitOfWork
from pos.core.shapes import View
from pos.core.store.schema import payment_requests


def _payload_for(
    signing_key: tuple[str, bytes], merchant: MerchantRow, terminal: TerminalRow, request_id: str,
    amount: int | None, expires_at: int | None, reference: str | None,
) -> str:
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


SETTLE_NOW_WINDOW = 60 * US  # a request opened to be settled at once (static code, payment code)


def open_request(
    uow: UnitOfWork, *, kind: str, merchant_id: str, terminal_id: str, amount: int, currency: str,
    reference: str | None, request_id: str | None = None, payload: str | None = None, expires_at: int | None = None,
) -> RequestRow:
    """Insert a new request, awaiting payment; by default one to be settled in the same transaction."""
    request_id = request_id or uow.ids.new("pr", 16)
    uow.conn.execute(
        insert(payment_requests).values(
            id=request_id, kind=kind, merchant_id=merchant_id, terminal_id=terminal_id, amount=amount,
            currency=currency, reference=reference, status=states.AWAITING, payload=payload, created_at=uow.now,
            expires_at=uow.now + SETTLE_NOW_WINDOW if expires_at is None else expires_at, updated_at=uow.now,
        )
    )
    return request_row(uow.conn, request_id)


def create_request(
    core: Core,
    *,
    merchant_id: str,
    terminal_id: str,
    amount: int,
    currency: str,
    reference: str | None = None,
    expires_in: int | None = None,
    idempotency_key: str | None = None,
) -> View:
    """A dynamic request: a fixed price in the merchant's currency, single use, expiring."""
    check_amount(amount)
    if reference is not None and not limits.is_reference(reference):
        raise InvalidInput("reference must be 1-25 printable ASCII characters", code="INVALID_REFERENCE")
    if expires_in is not None:
        check_ttl(expires_in)
    body: dict[str, object] = {"terminal": terminal_id, "amount": amount, "currency": currency,
                               "reference": reference, "expires_in": expires_in}
    signing_key = core.keyring.active()  # before the write transaction: it may read the key table

    def effect(uow: UnitOfWork) -> View:
        conn, now = uow.conn, uow.now
        merchant, terminal = shop_rows(conn, merchant_id, terminal_id, currency)
        expires_at = now + (expires_in or terminal.request_ttl_seconds) * US
        expires_at -= expires_at % US  # whole seconds: the QR carries seconds
        request_id = uow.ids.new("pr", 16)
        payload = _payload_for(signing_key, merchant, terminal, request_id, amount, expires_at, reference)
        row = open_request(uow, kind="dynamic", merchant_id=merchant_id, terminal_id=terminal_id, amount=amount,
                           currency=currency, reference=reference, request_id=request_id, payload=payload,
                           expires_at=expires_at)
        uow.journal("request.created", {"request": request_id, "amount": amount, "currency": currency})
        data = states.view(row)
        outbox.record(uow, "payment_request.created", merchant_id=merchant_id, request_id=request_id, data=data)
        return data

    return idempotency.run(
        core, scope=f"merchant:{merchant_id}", key=idempotency_key, operation="create_request", body=body,
        effect=effect,
    )


def static_code(core: Core, *, merchant_id: str, terminal_id: str) -> View:
    """The terminal's static merchant code: signed, no amount, no expiry; the payer enters the amount."""
    with core.db.read() as conn:
        merchant, terminal = shop_rows(conn, merchant_id, terminal_id)
    code_id = f"sc_{terminal_id}"
    payload = _payload_for(core.keyring.active(), merchant, terminal, code_id, None, None, None)
    return {"id": code_id, "object": "static_code", "payload": payload}


def get_request(core: Core, request_id: str, *, merchant_id: str | None = None) -> View:
    with core.db.read() as conn:
        row = request_row(conn, request_id, merchant_id)
        return states.view(row, get_merchant_row(conn, row.merchant_id))


def read_payload(core: Core, payload: object) -> codec.RequestPayload:
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


def scan(core: Core, *, wallet_id: str, payload: str) -> View:
    """What the wallet shows after scanning: the authoritative request, the payee, and a quote."""
    fields = read_payload(core, payload)

    def effect(uow: UnitOfWork) -> View:
        conn = uow.conn
        wallet = get_wallet_row(conn, wallet_id)
        if fields.amount_minor is None:
            merchant = get_merchant_row(conn, fields.merchant_id)
            return {"object": "static_code", "id": fields.request_id, "status": "open", "amount": None,
                    "currency": merchant.currency, "payee": states.view_payee(merchant), "quote": None}
        row = request_row(conn, fields.request_id)
        moves.move_or_refuse(uow, row.id, states.CONFIRMING)
        merchant = get_merchant_row(conn, row.merchant_id)
        quote = quotes.create(uow, wallet=wallet, request_id=row.id, price=Money(row.amount, row.currency))
        if row.status == states.AWAITING:  # the till shows which currency the customer is paying in
            charge = quote["pay"] if quote else {"amount": row.amount, "currency": row.currency}
            outbox.record(uow, "payment_request.customer_confirming", merchant_id=row.merchant_id,
                          request_id=row.id, data={"id": row.id, "status": states.CONFIRMING,
                                                   "wallet_currency": wallet.currency, "quoted": charge})
        data = states.view(request_row(conn, row.id), merchant)
        data["quote"] = quote
        uow.journal("request.scanned", {"request": row.id, "wallet": wallet.id, "quote": quote and quote["id"]})
        return data

    return core.transact(effect)


def cancel_request(core: Core, *, merchant_id: str, request_id: str, idempotency_key: str | None = None) -> View:
    def effect(uow: UnitOfWork) -> View:
        row = request_row(uow.conn, request_id, merchant_id)
        moves.move_or_refuse(uow, row.id, states.CANCELLED)
        uow.journal("request.cancelled", {"request": request_id})
        data = states.view(request_row(uow.conn, request_id))
        outbox.record(uow, "payment_request.cancelled", merchant_id=merchant_id, request_id=request_id, data=data)
        return data

    return idempotency.run(core, scope=f"merchant:{merchant_id}", key=idempotency_key, operation="cancel",
                           body={"request": request_id}, effect=effect)


_DUE = (
    select(payment_requests.c.id, payment_requests.c.merchant_id)
    .where(*moves.where_movable(states.EXPIRED))
    .order_by(payment_requests.c.expires_at)
    .limit(bindparam("limit"))
)


def expire_due(core: Core, *, limit: int = 500) -> int:
    """The sweeper: move open requests past their expiry to ``expired``; return how many moved."""

    def effect(uow: UnitOfWork) -> int:
        moved = []
        for row in uow.conn.execute(_DUE, {"now": uow.now, "limit": limit}).all():
            if moves.move(uow, row.id, states.EXPIRED):
                moved.append(row.id)
                outbox.record(uow, "payment_request.expired", merchant_id=row.merchant_id, request_id=row.id,
                              data={"id": row.id, "status": states.EXPIRED})
        if moved:
            uow.journal("requests.expired", {"requests": moved})
        return len(moved)

    return core.transact(effect)
