"""Value rules of the EMV MPM data object table (v1.1) for the top-level objects: presence,
formats, lengths and allowed values; amounts and fees. Template contents are in templates.py.

Every rule raises BadValue or MissingObject with a message naming the object; docs/payload-profile.md
lists the rules, the tests that break each one, and where we follow real codes rather than the letter.
"""

from __future__ import annotations

from typing import Final, NoReturn

from pos.core.codec import iso, profiles, templates, values
from pos.core.codec.errors import BadValue, MissingObject

#: short English names used in error messages (explain.py has the full, translated ones)
OBJECT_NAMES: Final = {
    "00": "payload format indicator", "01": "point of initiation method",
    "52": "merchant category code", "53": "transaction currency", "54": "transaction amount",
    "55": "tip or convenience indicator", "56": "convenience fee fixed",
    "57": "convenience fee percentage", "58": "country", "59": "merchant name",
    "60": "merchant city", "61": "postal code", "62": "additional data", "63": "CRC",
    "64": "merchant information in an alternate language",
}
MANDATORY: Final = ("52", "53", "58", "59", "60")
_MANDATORY: Final = frozenset(MANDATORY)
#: scalar value formats, for messages: ID -> description (check_values tests them with str methods)
_FORMATS: Final = {"52": "4 digits", "53": "3 digits (ISO 4217 numeric)", "58": "2 upper-case letters (ISO 3166-1)"}
#: longest value, in code points; 59 and 60 may be any printable text (real codes write accents)
_MAX_LENGTHS: Final = {"59": 25, "60": 15, "61": 10}
# ID ranges as sets, so that each presence rule is one C-level set operation
_ACCOUNT_IDS: Final = frozenset(f"{n:02d}" for n in range(2, 52))
_PRIMITIVE_ACCOUNT_IDS: Final = frozenset(f"{n:02d}" for n in range(2, 26))  # 02-25: card schemes, ANS
_GUID_TEMPLATES: Final = frozenset([f"{n:02d}" for n in range(26, 52)] + [f"{n:02d}" for n in range(80, 100)])
_RFU_IDS: Final = frozenset(f"{n:02d}" for n in range(65, 80))
_FEE_IDS: Final = frozenset({"55", "56", "57"})
#: the IDs that need a rule most codes never reach: one pass over a payload's IDs rules them all out
_RARE_IDS: Final = _PRIMITIVE_ACCOUNT_IDS | _FEE_IDS | _RFU_IDS


def name(tag: str) -> str:
    """"object 58 (country)", for messages."""
    return f"object {tag} ({OBJECT_NAMES[tag]})" if tag in OBJECT_NAMES else f"object {tag}"


_name = name


def check_values(scheme: str, objects: dict[str, str], parsed: dict[str, dict[str, str]]) -> tuple[str, ...]:
    """Check every top-level rule and the templates' contents; return warnings (reserved IDs).

    :param parsed: the parsed templates (26-51, 62, 64 and the 80-99 that parse).
    :raises BadValue, MissingObject: for the first rule broken.
    """
    rare = not _RARE_IDS.isdisjoint(objects)
    fmt = objects["00"]
    if fmt not in profiles.FORMAT_INDICATORS.get(scheme, ("01",)):
        raise BadValue(f"{_name('00')} is {fmt!r}; only '01' is defined", code="PAYLOAD_BAD_FORMAT")
    if "01" in objects and objects["01"] not in ("11", "12"):
        raise BadValue(f"{_name('01')} is {objects['01']!r}; it must be 11 (static) or 12 (dynamic)")
    if _ACCOUNT_IDS.isdisjoint(objects):
        raise MissingObject("missing merchant account information (at least one object 02-51)")
    for tag, sub in parsed.items():
        if "00" not in sub and tag in _GUID_TEMPLATES:
            raise MissingObject(f"template {tag} has no globally unique identifier (sub-ID 00)")
    if not objects.keys() >= _MANDATORY:
        relaxed = profiles.RELAXED_MANDATORY.get(scheme, ())
        for tag in MANDATORY:
            if tag not in objects and tag not in relaxed:
                raise MissingObject(f"missing mandatory {_name(tag)}")
    mcc, currency, country = objects.get("52"), objects.get("53"), objects.get("58")
    if mcc is not None and not (len(mcc) == 4 and mcc.isascii() and mcc.isdigit()):
        _refuse_format("52", mcc)
    # an assigned currency or country code has the right format: only other values need the test
    if currency is not None and currency not in iso.CURRENCY_EXPONENTS and not (
        len(currency) == 3 and currency.isascii() and currency.isdigit()
    ):
        _refuse_format("53", currency)
    if country is not None and country not in iso.COUNTRIES and not (
        len(country) == 2 and country.isascii() and country.isalpha() and country.isupper()
    ):
        _refuse_format("58", country)
    _check_codes(currency, country)
    for tag, limit in _MAX_LENGTHS.items():
        if len(objects.get(tag, "")) > limit:
            raise BadValue(f"{_name(tag)} is {len(objects[tag])} characters; at most {limit}")
    if "61" in objects and not values.is_ans(objects["61"]):
        raise BadValue(f"{_name('61')} is {objects['61']!r}; it must be printable ASCII (ANS)")
    if rare and not _PRIMITIVE_ACCOUNT_IDS.isdisjoint(objects):
        _check_card_accounts(objects)
    if "54" in objects:
        values.check_amount(objects["54"], currency)
    if rare and not _FEE_IDS.isdisjoint(objects):
        _check_fees(objects)
    warnings = templates.check(parsed)
    if not rare or _RFU_IDS.isdisjoint(objects):
        return warnings
    rfu = tuple(f"object {tag} is reserved for future use (RFU)" for tag in objects if tag in _RFU_IDS)
    return rfu + warnings


def _refuse_format(tag: str, value: str) -> NoReturn:
    raise BadValue(f"{_name(tag)} is {value!r}; it must be {_FORMATS[tag]}")


def _check_codes(currency: str | None, country: str | None) -> None:
    """53 and 58 are not just digits and letters but codes that ISO assigned."""
    if currency is not None and currency not in iso.CURRENCY_EXPONENTS:
        raise BadValue(
            f"{_name('53')} is {currency!r}, which is not an ISO 4217 currency with minor units",
            code="PAYLOAD_BAD_CURRENCY",
        )
    if country is not None and country not in iso.COUNTRIES:
        raise BadValue(f"{_name('58')} is {country!r}, which is not an ISO 3166-1 country code")


def _check_card_accounts(objects: dict[str, str]) -> None:
    """02-25 belong to the card schemes (Visa 02-03, Mastercard 04-05, ...): ANS values."""
    for tag, value in objects.items():
        if tag in _PRIMITIVE_ACCOUNT_IDS and not values.is_ans(value):
            raise BadValue(f"merchant account object {tag} is {value!r}; it must be printable ASCII (ANS)")


def _check_fees(objects: dict[str, str]) -> None:
    indicator = objects.get("55")
    if indicator is not None and indicator not in ("01", "02", "03"):
        raise BadValue(f"{_name('55')} is {indicator!r}; it must be 01, 02 or 03")
    if indicator == "02":
        if "56" not in objects:
            raise MissingObject(f"{_name('55')} is 02 but {_name('56')} is missing")
        values.check_amount(objects["56"], objects.get("53"), what="convenience fee")
    elif "56" in objects:
        raise BadValue(f"{_name('56')} is present but {_name('55')} is {_shown(indicator)}, not 02")
    if indicator == "03":
        if "57" not in objects:
            raise MissingObject(f"{_name('55')} is 03 but {_name('57')} is missing")
        values.check_percentage(objects["57"])
    elif "57" in objects:
        raise BadValue(f"{_name('57')} is present but {_name('55')} is {_shown(indicator)}, not 03")


def _shown(value: str | None) -> str:
    return "absent" if value is None else repr(value)
