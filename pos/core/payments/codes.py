"""Consumer-presented payment codes: the wallet shows a one-time code (about 60 s), the terminal
scans it and charges an amount, the way Alipay and WeChat Pay "pay codes" work at a till."""

from __future__ import annotations

import hashlib

from sqlalchemy import insert, select, update

from pos.core.errors import NotFound, PaymentCodeUsed
from pos.core.limits import check_amount
from pos.core.parties.merchants import shop_rows
from pos.core.parties.wallets import get_wallet_row
from pos.core.payments.lifecycle import open_request
from pos.core.payments.settlement import settle
from pos.core.platform import idempotency
from pos.core.platform.clock import US, iso
from pos.core.platform.context import Core
from pos.core.platform.unit_of_work import UnitOfWork
from pos.core.shapes import View
from pos.core.store.schema import payment_codes


def _digest(code: str) -> str:
    """The journal keeps a code's hash, not the code: it is a bearer credential for a minute."""
    return hashlib.sha256(code.encode()).hexdigest()


CODE_PREFIX = "99"  # our range: distinct from Alipay (25-30) and WeChat Pay (10-15) codes
CODE_LENGTH = 20


def create_payment_code(core: Core, *, wallet_id: str) -> View:

    def effect(uow: UnitOfWork) -> View:
        code = CODE_PREFIX + uow.ids.digits(CODE_LENGTH - len(CODE_PREFIX))
        expires_at = uow.now + uow.settings.payment_code_ttl_seconds * US
        get_wallet_row(uow.conn, wallet_id)
        uow.conn.execute(insert(payment_codes).values(code=code, wallet_id=wallet_id, created_at=uow.now,
                                                      expires_at=expires_at))
        uow.journal("payment_code.issued", {"wallet": wallet_id, "code_sha256": _digest(code)})
        return {"object": "payment_code", "code": code, "wallet_id": wallet_id, "expires_at": iso(expires_at)}

    return core.transact(effect)


def charge(
    core: Core,
    *,
    merchant_id: str,
    terminal_id: str,
    code: str,
    amount: int,
    currency: str,
    reference: str | None = None,
    idempotency_key: str | None = None,
) -> View:
    """Charge a scanned payment code: opens a request and settles it in one transaction."""
    check_amount(amount)
    body: dict[str, object] = {"terminal": terminal_id, "code": code, "amount": amount, "currency": currency,
                               "reference": reference}

    def effect(uow: UnitOfWork) -> View:
        conn = uow.conn
        shop_rows(conn, merchant_id, terminal_id, currency)
        row = conn.execute(select(payment_codes).where(payment_codes.c.code == str(code))).first()
        if row is None:
            raise NotFound("payment code is not valid", code="PAYMENT_CODE_INVALID")
        if row.used_by_request is not None:
            raise PaymentCodeUsed("payment code was already used; ask for a new one")
        if row.expires_at <= uow.now:
            raise PaymentCodeUsed("payment code has expired; ask for a new one", code="PAYMENT_CODE_EXPIRED")
        request_id = uow.ids.new("pr", 16)
        claimed = conn.execute(
            update(payment_codes)
            .where(payment_codes.c.code == row.code, payment_codes.c.used_by_request.is_(None))
            .values(used_by_request=request_id)
        )
        if claimed.rowcount != 1:
            raise PaymentCodeUsed("payment code was already used; ask for a new one")
        request = open_request(uow, kind="presented", merchant_id=merchant_id, terminal_id=terminal_id, amount=amount,
                               currency=currency, reference=reference, request_id=request_id)
        return settle(uow, request, get_wallet_row(conn, row.wallet_id), quote_id=None, miles=0)

    return idempotency.run(core, scope=f"merchant:{merchant_id}", key=idempotency_key, operation="charge",
                           body=body, effect=effect)
