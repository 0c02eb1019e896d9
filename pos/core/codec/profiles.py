"""National profiles recognised by their merchant-account GUIDs, and the rules each one adds.

Real codes relax the EMV specification in a few known ways; those relaxations are granted
only to the scheme that is known for them (``RELAXED_MANDATORY``, ``FORMAT_INDICATORS``).
"""

from __future__ import annotations

import re
from typing import Final

from pos.core.codec.errors import ProfileViolation

QRPOS_GUID: Final = "app.qrpos"
_QRPOS_GUID_UPPER: Final = QRPOS_GUID.upper()

#: scheme -> human name (English; explain.py translates)
SCHEMES: Final[dict[str, str]] = {
    "qrpos": "qrpos payment request",
    "jpqr": "JPQR (Japan)",
    "promptpay": "PromptPay (Thailand)",
    "pix": "Pix (Brazil)",
    "paynow": "PayNow (Singapore)",
    "sgqr": "SGQR (Singapore)",
    "qris": "QRIS (Indonesia)",
    "duitnow": "DuitNow QR (Malaysia)",
    "vietqr": "VietQR (Vietnam)",
    "khqr": "KHQR (Cambodia)",
    "emvco": "EMVCo merchant-presented QR",
}

#: mandatory objects that a scheme's real codes are known to leave out
RELAXED_MANDATORY: Final[dict[str, frozenset[str]]] = {
    "promptpay": frozenset({"52", "59", "60"}),
    "vietqr": frozenset({"52", "59", "60"}),
}

#: payload format indicators (object 00) accepted per scheme; "01" everywhere else
FORMAT_INDICATORS: Final[dict[str, frozenset[str]]] = {"duitnow": frozenset({"01", "02"})}

#: schemes whose real codes put scalars (a hash) in unreserved objects 80-99
SCALAR_UNRESERVED: Final[frozenset[str]] = frozenset({"duitnow"})

#: scheme -> (allowed currencies, country)
_CURRENCY_COUNTRY: Final[dict[str, tuple[frozenset[str], str]]] = {
    "jpqr": (frozenset({"392"}), "JP"),
    "promptpay": (frozenset({"764"}), "TH"),
    "pix": (frozenset({"986"}), "BR"),
    "paynow": (frozenset({"702"}), "SG"),
    "sgqr": (frozenset({"702"}), "SG"),
    "qris": (frozenset({"360"}), "ID"),
    "duitnow": (frozenset({"458"}), "MY"),
    "vietqr": (frozenset({"704"}), "VN"),
    "khqr": (frozenset({"116", "840"}), "KH"),
}

_JPQR_ID: Final = (("01", 13), ("02", 4), ("03", 6), ("04", 6))
_DIGITS: Final = re.compile(r"\d+\Z", re.ASCII)


def guids(templates: dict[str, dict[str, str]]) -> dict[str, str]:
    """Merchant account template ID -> its GUID (sub-ID 00), upper-cased for comparison."""
    return {
        tag: sub.get("00", "").upper()
        for tag, sub in templates.items()
        if "26" <= tag <= "51"
    }


def detect(objects: dict[str, str], templates: dict[str, dict[str, str]]) -> str:
    """The scheme a decoded payload belongs to, by the GUIDs of its merchant account templates."""
    found = {sub.get("00", "").upper() for tag, sub in templates.items() if "26" <= tag <= "51"}
    if _QRPOS_GUID_UPPER in found:
        return "qrpos"
    if "JP.OR.PAYMENTSJAPAN" in found:
        return "jpqr"
    if "SG.SGQR" in found:
        return "sgqr"
    if "SG.PAYNOW" in found:
        return "paynow"
    if "BR.GOV.BCB.PIX" in found:
        return "pix"
    if "ID.CO.QRIS.WWW" in found:
        return "qris"
    for guid in found:
        if guid.startswith("A000000677"):
            return "promptpay"
        if guid.startswith("A000000615"):
            return "duitnow"
        if guid.startswith("A000000727"):
            return "vietqr"
    if objects.get("58") == "KH" and any(
        "@" in templates.get(tag, {}).get("00", "") for tag in ("29", "30")
    ):
        return "khqr"
    return "emvco"


def check(scheme: str, objects: dict[str, str], templates: dict[str, dict[str, str]]) -> None:
    """Apply the scheme's own rules on top of the EMV ones.

    :raises ProfileViolation: naming the scheme and the rule broken.
    """
    rule = _CURRENCY_COUNTRY.get(scheme)
    if rule is not None:
        currencies, country = rule
        name = SCHEMES[scheme]
        if objects.get("53") not in currencies:
            raise ProfileViolation(
                f"{name} requires currency {' or '.join(sorted(currencies))}, "
                f"got {objects.get('53')!r}"
            )
        if objects.get("58") != country:
            raise ProfileViolation(f"{name} requires country {country}, got {objects.get('58')!r}")
    if scheme == "jpqr":
        _check_jpqr(objects, templates)
    elif scheme == "pix":
        account = _account(templates, "BR.GOV.BCB.PIX")
        if "01" not in account and "25" not in account:
            raise ProfileViolation("Pix requires a key (26.01) or a location URL (26.25)")


def _account(templates: dict[str, dict[str, str]], guid: str) -> dict[str, str]:
    for tag, g in guids(templates).items():
        if g == guid:
            return templates[tag]
    return {}


def _check_jpqr(objects: dict[str, str], templates: dict[str, dict[str, str]]) -> None:
    if "61" not in objects:
        raise ProfileViolation("JPQR requires a postal code (object 61)")
    language = templates.get("64")
    if language is None or language.get("00", "").upper() != "JA":
        raise ProfileViolation("JPQR requires object 64 with language JA")
    account = _account(templates, "JP.OR.PAYMENTSJAPAN")
    for sub, width in _JPQR_ID:
        value = account.get(sub, "")
        if len(value) != width or not _DIGITS.match(value):
            raise ProfileViolation(
                f"JPQR id part {sub} must be {width} digits, got {value!r} "
                "(the JPQR id is 13/4/6/6 digits)"
            )
