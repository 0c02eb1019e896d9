"""What the wallet says when something cannot be done, in the reader's language, and what a code is.

Every refusal the core can give a payer (expired, already paid, tampered, insufficient funds, a stale
quote...) has a sentence here that says what happened and what to do; the page's fetch calls get it as
``{"error": {"code", "message"}}``, and pages get the friendly error page. Codes the wallet cannot pay
(Alipay, Pix, a web link...) are named so that the payer knows what they pointed the camera at.
"""

from __future__ import annotations

from flask import request
from flask_babel import lazy_gettext as _l

from pos.core.errors import QrposError
from pos.web import errors, page_errors

REFUSALS = {
    "REQUEST_EXPIRED": _l("This payment request has expired. Ask the shop for a new code."),
    "REQUEST_ALREADY_PAID": _l("This payment request has already been paid. Nothing more was charged."),
    "REQUEST_CANCELLED": _l("The shop stopped this payment request. Ask for a new code."),
    "REQUEST_NOT_FOUND": _l("This shop does not know that payment request. Ask for a new code."),
    "INSUFFICIENT_FUNDS": _l("There is not enough money in this wallet for this payment."),
    "INSUFFICIENT_MILES": _l("There are not enough miles in this wallet for that choice."),
    "QUOTE_EXPIRED": _l("The exchange rate quote ran out. Get a new quote, then pay."),
    "QUOTE_NOT_FOUND": _l("That exchange rate quote is no longer valid for this payment. Get a new quote."),
    "MILES_NOT_ACCEPTED": _l("Miles pay only prices in Japanese yen. Pay this one with cash."),
    "MILES_LIMIT_EXCEEDED": _l("That is more miles than one payment may use."),
    "FX_RATE_UNAVAILABLE": _l("There is no exchange rate for this currency right now, so it cannot be paid."),
    "PAYLOAD_MISMATCH": _l("This code does not match the payment request it names: it has been altered."),
    "IDEMPOTENCY_KEY_REUSED": _l("This payment was already tried with other choices. Scan the code again."),
    "WALLET_NOT_FOUND": _l("This wallet no longer exists. Sign in again."),
    "PAYMENT_NOT_FOUND": _l("There is no such payment in this wallet."),
    "STATIC_CODE": _l("This is a shop's printed code without an amount. Ask the till for a code with the amount."),
    "NO_CODE_IN_PHOTO": _l("No QR code could be read in that photo. Hold the phone steady, closer, and try again."),
    "NOT_AN_IMAGE": _l("That file is not a picture this wallet can read. Take a photo of the code."),
}
TAMPERED = _l("This code has been altered or damaged, so it cannot be paid. Ask the shop for a new one.")

# what a code the wallet cannot pay is, as a whole phrase (so each language can say it its own way)
OTHER_CODES = {
    "alipay_payment_code": _l("an Alipay payment code (one a customer shows)"),
    "alipay_url": _l("an Alipay code"),
    "wechatpay_payment_code": _l("a WeChat Pay payment code (one a customer shows)"),
    "wechat_url": _l("a WeChat Pay code"),
    "upi": _l("an Indian UPI payment code"),
    "epc": _l("a European bank transfer (SEPA) code"),
    "emv_cpm": _l("a card payment code (one a customer shows)"),
    "jpqr": _l("a JPQR code (Japan)"),
    "promptpay": _l("a PromptPay code (Thailand)"),
    "pix": _l("a Pix code (Brazil)"),
    "paynow": _l("a PayNow code (Singapore)"),
    "sgqr": _l("an SGQR code (Singapore)"),
    "qris": _l("a QRIS code (Indonesia)"),
    "duitnow": _l("a DuitNow code (Malaysia)"),
    "vietqr": _l("a VietQR code (Vietnam)"),
    "khqr": _l("a KHQR code (Cambodia)"),
    "emvco": _l("a payment code of another payment system"),
    "qrpos_payment_code": _l("a qrpos wallet's own payment code (for a till to scan)"),
    "link": _l("a web link"),
    "unknown": _l("a QR code that is not a payment code"),
}
NOT_FOR_US = _l("Not for this wallet: that is %(what)s. Point the camera at the shop's qrpos code.")


def refusal(code: str) -> str | None:
    """The wallet's sentence for a core error code (then the pages' shared one), or None."""
    if code.startswith("PAYLOAD_"):
        return str(TAMPERED)
    text = REFUSALS.get(code) or page_errors.MESSAGES.get(code)
    return str(text) if text else None


def what_it_is(kind: str) -> str:
    return str(NOT_FOR_US) % {"what": OTHER_CODES.get(kind, OTHER_CODES["unknown"])}


def init_blueprint(bp) -> None:
    @bp.errorhandler(QrposError)
    def wallet_refusal(error: QrposError):
        status = errors.status_for(error)
        text = refusal(error.code) or error.message
        if request.method != "GET" or request.accept_mimetypes.best == "application/json":
            return errors.error_response(status, error.code, text)
        retry = getattr(error, "retry_after", None)
        return page_errors.page(status, code=error.code, message=text,
                                headers={"Retry-After": str(retry)} if retry else None)
