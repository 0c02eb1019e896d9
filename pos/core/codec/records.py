"""The two values the codec returns: a decoded EMV payload and one of our payment requests.

They live apart from the modules that decode and sign, which are compiled with mypyc when the
machine can (see pos.core.codec.compiled): here they stay ordinary frozen dataclasses, immutable,
hashable and comparable, whichever way the codec runs. The decoder fills new instances through
their slot setters (see emv.decode and signing._request), which costs a fraction of the frozen
dataclass __init__ (an object.__setattr__ call per field).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class EmvPayload:
    """A decoded, validated payload. ``objects`` holds every top-level value as written, in
    order; ``templates`` the parsed sub-objects of those IDs that are templates."""

    raw: str
    scheme: str
    objects: dict[str, str]
    templates: dict[str, dict[str, str]]
    warnings: tuple[str, ...] = field(default=())

    def get(self, tag: str) -> str | None:
        return self.objects.get(tag)

    @property
    def initiation(self) -> str | None:
        return {"11": "static", "12": "dynamic"}.get(self.objects.get("01", ""))

    @property
    def amount(self) -> str | None:
        return self.objects.get("54")

    @property
    def currency(self) -> str | None:
        return self.objects.get("53")

    @property
    def crc(self) -> str:
        return self.objects["63"]

    def fields(self) -> dict[str, object]:
        """The inspector's ``fields`` object: every value as encoded, absent ones None."""
        o, t = self.objects, self.templates
        accounts = {tag: (t[tag] if tag in t else o[tag]) for tag in o if "02" <= tag <= "51"}
        unreserved = {tag: t.get(tag, o[tag]) for tag in o if tag >= "80"}
        rfu = {tag: o[tag] for tag in o if "65" <= tag <= "79"}
        return {
            "payload_format": o.get("00"),
            "initiation": self.initiation,
            "merchant_account": accounts or None,
            "mcc": o.get("52"),
            "currency": o.get("53"),
            "amount": o.get("54"),
            "country": o.get("58"),
            "merchant_name": o.get("59"),
            "merchant_city": o.get("60"),
            "postal_code": o.get("61"),
            "additional": dict(t["62"]) if "62" in t else None,
            "merchant_info_language": dict(t["64"]) if "64" in t else None,
            "unreserved": unreserved or None,
            "rfu": rfu or None,
            "tip_indicator": o.get("55"),
            "convenience_fee_fixed": o.get("56"),
            "convenience_fee_percentage": o.get("57"),
            "crc": o.get("63"),
        }


@dataclass(frozen=True, slots=True)
class RequestPayload:
    """What our terminal puts into a QR code (a payment request, or a static merchant code)."""

    request_id: str
    merchant_id: str
    terminal_id: str
    mcc: str
    currency: str
    amount_minor: int | None
    country: str
    merchant_name: str
    merchant_city: str
    postal_code: str | None = None
    name_local: str | None = None
    city_local: str | None = None
    language: str | None = None
    bill_number: str | None = None
    reference: str | None = None
    terminal_label: str | None = None
    expires_at: int | None = None
