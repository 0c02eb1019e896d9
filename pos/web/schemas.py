"""Request and response models of the JSON API (pydantic, at the boundary only; the core never sees them).

Inputs are strict (an amount is a JSON integer, never "100" or 100.0) and refuse unknown fields, so
a typo in an integration fails loudly. Outputs describe the core's dicts for the OpenAPI document;
the views return the core's dicts as they are, rendered byte-stably by :mod:`pos.web.jsonio`.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from pos.core import limits

Amount = Field(gt=0, le=limits.MAX_AMOUNT, description="Integer minor units (1200 JPY is 1200; 12.50 USD is 1250).")
Currency = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 alphabetic code.", examples=["JPY"])
Reference = Field(None, min_length=1, max_length=limits.REFERENCE_MAX_LENGTH, pattern=limits.REFERENCE_CHARS)
ID = r"^[A-Za-z0-9_]+$"  # every object id: letters, digits, underscore
TEXT = r"^[^\x00-\x1f\x7f]+$"  # any script, no control characters (PostgreSQL refuses NUL in text)
PaymentStatus = Literal["paid", "partially_refunded", "refunded"]


class Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


class Query(BaseModel):
    model_config = ConfigDict(extra="forbid")  # query strings are text: lax parsing of numbers


class CreatePaymentRequest(Strict):
    amount: int = Amount
    currency: str = Currency
    reference: str | None = Reference
    expires_in: int | None = Field(None, ge=limits.REQUEST_TTL_MIN, le=limits.REQUEST_TTL_MAX,
                                   description="Seconds until it expires.")


class CreateCharge(Strict):
    code: str = Field(min_length=1, max_length=24, pattern=r"^[A-Za-z0-9]+$",
                      description="The consumer-presented payment code.")
    amount: int = Amount
    currency: str = Currency
    reference: str | None = Reference


class CreateRefund(Strict):
    amount: int = Amount


class CreateSession(Strict):
    wallet: str = Field(min_length=1, max_length=20, pattern=ID, description="Wallet id, e.g. w_8ZK1...")
    pin: str = Field(min_length=1, max_length=limits.PIN_ENTERED_MAX_LENGTH, pattern=r"^[0-9]+$")


class CreateScan(Strict):
    payload: str = Field(min_length=1, max_length=2000, pattern=TEXT, description="The QR code's text.")


class CreatePayment(Strict):
    payload: str = Field(min_length=1, max_length=2000, pattern=TEXT, description="The scanned QR code's text.")
    quote_id: str | None = Field(None, max_length=24, pattern=ID, description="Pay at this quote's rate (from a scan).")
    miles: int = Field(0, ge=0, le=limits.MILES_MAX_ASKED, description="Miles to spend on part of the price.")
    amount: int | None = Field(None, gt=0, le=limits.MAX_AMOUNT,
                               description="Only for static codes: the amount entered.")


class CreateWebhookEndpoint(Strict):
    url: str = Field(min_length=1, max_length=500, pattern=r"^[\x21-\x7e]+$", examples=["https://shop.example/qrpos-webhooks"])


class PaymentListQuery(Query):
    limit: int = Field(20, ge=1, le=limits.PAGE_MAX)
    starting_after: str | None = Field(None, max_length=24, pattern=ID,
                                       description="Cursor: the last id of the previous page.")
    status: PaymentStatus | None = None
    created_from: dt.datetime | None = Field(None, description="Inclusive, ISO 8601 with a time zone.")
    created_to: dt.datetime | None = Field(None, description="Exclusive, ISO 8601 with a time zone.")


class DailyReportQuery(Query):
    date: dt.date
    tz: str = Field("UTC", max_length=60, pattern=r"^[A-Za-z0-9_+/-]+$",
                    description="IANA time zone of the day, e.g. Asia/Tokyo.")


class DeliveryQuery(Query):
    event_id: str | None = Field(None, max_length=24, pattern=ID)
    status: Literal["pending", "succeeded", "failed"] | None = None
    limit: int = Field(50, ge=1, le=limits.PAGE_MAX)


# ---- responses (open models: the API may add fields, never remove them) ----

class Out(BaseModel):
    model_config = ConfigDict(extra="allow")


class Money(Out):
    amount: int
    currency: str


class Payee(Out):
    merchant_id: str
    name: str
    name_local: str | None
    city: str
    city_local: str | None
    country: str
    mcc: str


class Quote(Out):
    id: str
    price: Money
    pay: Money
    rate: str
    spread_bp: int
    expires_at: str


class PaymentRequest(Out):
    id: str
    object: str
    kind: str
    status: str
    amount: int | None
    currency: str
    reference: str | None
    payload: str | None
    created_at: str
    expires_at: str | None


class Scan(Out):
    id: str
    object: str
    status: str
    amount: int | None
    currency: str
    payee: Payee
    quote: Quote | None


class Payment(Out):
    id: str
    object: Literal["payment"]
    request_id: str
    status: str
    amount: int
    currency: str
    charged: Money
    miles_used: int
    miles_earned: int
    fee: Money
    refunded: Money
    created_at: str


class Refund(Out):
    id: str
    object: Literal["refund"]
    payment_id: str
    amount: int
    currency: str
    cash_back: Money
    miles_back: int
    payment: Payment | None = Field(None, description="The payment after this refund (on creation).")


class RefundList(Out):
    object: Literal["list"]
    data: list[Refund]


class PaymentList(Out):
    object: Literal["list"]
    data: list[Payment]
    has_more: bool
    next_cursor: str | None


class DailyReport(Out):
    object: Literal["daily_report"]
    date: str
    timezone: str
    payments: dict
    refunds: dict
    fees: Money
    net: Money
    requests: dict[str, int]


class Session(Out):
    token: str
    wallet_id: str
    expires_at: str


class Wallet(Out):
    id: str
    owner: str
    currency: str
    balance: Money
    miles: int


class PaymentCode(Out):
    code: str
    expires_at: str


class WebhookEndpoint(Out):
    id: str
    url: str
    status: Literal["enabled", "disabled"]
    secret: str | None = Field(None, description="Shown only when the endpoint is created.")


class WebhookEndpointList(Out):
    object: Literal["list"]
    data: list[WebhookEndpoint]


class WebhookDelivery(Out):
    id: str
    event_id: str
    status: Literal["pending", "succeeded", "failed"]
    attempts: int
    next_attempt_at: str | None
    attempt_log: list[dict]


class WebhookDeliveryList(Out):
    object: Literal["list"]
    data: list[WebhookDelivery]


class Pong(Out):
    status: Literal["ok"]
