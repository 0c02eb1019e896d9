"""The double-entry ledger: accounts, append-only transactions of legs that sum to zero, and the
named checks that prove the books (:func:`verify`, :func:`audit` for ``qrpos ledger verify``)."""

from pos.core.ledger.postings import (
    MERCHANT,
    MILES,
    PLATFORM_FEES,
    PLATFORM_FX,
    PLATFORM_KINDS,
    PLATFORM_MILES,
    PLATFORM_MILES_FUNDING,
    PLATFORM_TOPUP,
    WALLET_CASH,
    WALLET_MILES,
    Batch,
    Leg,
    PostedTransaction,
    balance,
    open_account,
    open_platform_accounts,
    platform_account_id,
    post,
)
from pos.core.ledger.verify import audit, verify

__all__ = [
    "MERCHANT", "MILES", "PLATFORM_FEES", "PLATFORM_FX", "PLATFORM_KINDS", "PLATFORM_MILES", "PLATFORM_MILES_FUNDING",
    "PLATFORM_TOPUP", "WALLET_CASH", "WALLET_MILES", "Batch", "Leg", "PostedTransaction", "audit", "balance",
    "open_account",
    "open_platform_accounts", "platform_account_id", "post", "verify",
]
