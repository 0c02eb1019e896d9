"""Every error the payment core raises, each with a stable ``code`` that the API and CLI show.

    QrposError
    ├── InvalidInput                      INVALID_INPUT (bad arguments: amounts, ids, options)
    │   ├── InvalidAmount                 INVALID_AMOUNT
    │   ├── UnsupportedCurrency           UNSUPPORTED_CURRENCY
    │   └── CurrencyMismatch              CURRENCY_MISMATCH
    ├── NotFound                          *_NOT_FOUND (merchant, terminal, wallet, request, payment, quote)
    ├── Unauthorized                      UNAUTHORIZED / BAD_CREDENTIALS / BAD_API_KEY / NOT_A_MANAGER
    │   ├── StaffLocked                   STAFF_LOCKED (too many wrong PINs at the till; retry_after)
    │   └── WalletLocked                  WALLET_LOCKED (too many wrong wallet PINs; retry_after)
    ├── StateConflict                     a legal operation at the wrong moment
    │   ├── RequestAlreadyPaid            REQUEST_ALREADY_PAID
    │   ├── RequestExpired                REQUEST_EXPIRED
    │   ├── RequestCancelled              REQUEST_CANCELLED
    │   ├── IllegalTransition             ILLEGAL_TRANSITION
    │   ├── QuoteExpired                  QUOTE_EXPIRED
    │   ├── PaymentCodeUsed               PAYMENT_CODE_USED / PAYMENT_CODE_EXPIRED
    │   └── IdempotencyKeyReused          IDEMPOTENCY_KEY_REUSED
    ├── Declined                          the payer cannot pay this
    │   ├── InsufficientFunds             INSUFFICIENT_FUNDS
    │   │   └── InsufficientMiles         INSUFFICIENT_MILES (miles are funds of their own unit)
    │   ├── MilesNotAccepted              MILES_NOT_ACCEPTED
    │   ├── MilesLimitExceeded            MILES_LIMIT_EXCEEDED
    │   ├── RefundExceedsPayment          REFUND_EXCEEDS_PAYMENT
    │   └── FxRateUnavailable             FX_RATE_UNAVAILABLE
    ├── PayloadError                      PAYLOAD_* (the EMVCo codec's errors, see pos.core.codec)
    └── LedgerInvariantBroken             LEDGER_INVARIANT_BROKEN (a bug: never expected in operation)
"""

from __future__ import annotations


class QrposError(Exception):
    """Base of every error the core raises on purpose; ``code`` is stable, ``message`` readable."""

    code = "QRPOS_ERROR"

    def __init__(self, message: str, *, code: str | None = None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


class InvalidInput(QrposError):
    code = "INVALID_INPUT"


class InvalidAmount(InvalidInput):
    code = "INVALID_AMOUNT"


class UnsupportedCurrency(InvalidInput):
    code = "UNSUPPORTED_CURRENCY"


class CurrencyMismatch(InvalidInput):
    code = "CURRENCY_MISMATCH"


class NotFound(QrposError):
    code = "NOT_FOUND"


class Unauthorized(QrposError):
    code = "UNAUTHORIZED"


class StaffLocked(Unauthorized):
    """Too many wrong PINs in a row at the till: no PIN is checked for ``retry_after`` seconds."""

    code = "STAFF_LOCKED"

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class WalletLocked(Unauthorized):
    """Too many wrong PINs in a row for one wallet: no PIN is checked for ``retry_after`` seconds."""

    code = "WALLET_LOCKED"

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class StateConflict(QrposError):
    code = "STATE_CONFLICT"


class RequestAlreadyPaid(StateConflict):
    code = "REQUEST_ALREADY_PAID"


class RequestExpired(StateConflict):
    code = "REQUEST_EXPIRED"


class RequestCancelled(StateConflict):
    code = "REQUEST_CANCELLED"


class IllegalTransition(StateConflict):
    code = "ILLEGAL_TRANSITION"


class QuoteExpired(StateConflict):
    code = "QUOTE_EXPIRED"


class PaymentCodeUsed(StateConflict):
    code = "PAYMENT_CODE_USED"


class IdempotencyKeyReused(StateConflict):
    code = "IDEMPOTENCY_KEY_REUSED"


class Declined(QrposError):
    code = "DECLINED"


class InsufficientFunds(Declined):
    code = "INSUFFICIENT_FUNDS"


class InsufficientMiles(InsufficientFunds):
    code = "INSUFFICIENT_MILES"


class MilesNotAccepted(Declined):
    code = "MILES_NOT_ACCEPTED"


class MilesLimitExceeded(Declined):
    code = "MILES_LIMIT_EXCEEDED"


class RefundExceedsPayment(Declined):
    code = "REFUND_EXCEEDS_PAYMENT"


class FxRateUnavailable(Declined):
    code = "FX_RATE_UNAVAILABLE"


class PayloadError(QrposError):
    code = "PAYLOAD_INVALID"


class LedgerInvariantBroken(QrposError):
    code = "LEDGER_INVARIANT_BROKEN"
