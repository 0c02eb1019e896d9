"""Value rules of the EMV specification: mandatory objects, formats, amounts, fees, language."""

from __future__ import annotations

import re
from collections.abc import Mapping

from pos.core.codec import profiles, values
from pos.core.codec.errors import BadValue, MissingObject

#: short English names used in error messages (explain.py has the full, translated ones)
OBJECT_NAMES = {
    "00": "payload format indicator", "01": "point of initiation method",
    "52": "merchant category code", "53": "transaction currency", "54": "transaction amount",
    "55": "tip or convenience indicator", "56": "convenience fee fixed",
    "57": "convenience fee percentage", "58": "country", "59": "merchant name",
    "60": "merchant city", "61": "postal code", "62": "additional data", "63": "CRC",
    "64": "merchant information in an alternate language",
}
MANDATORY = ("52", "53", "58", "59", "60")
_MANDATORY = frozenset(MANDATORY)
#: scalar value formats: ID -> (regex, max length, description)
_FORMATS = {
    "52": (re.compile(r"\d{4}\Z", re.ASCII), "4 digits"),
    "53": (re.compile(r"\d{3}\Z", re.ASCII), "3 digits (ISO 4217 numeric)"),
    "58": (re.compile(r"[A-Z]{2}\Z", re.ASCII), "2 upper-case letters (ISO 3166-1)"),
}
_MAX_LENGTHS = {"59": 25, "60": 15, "61": 10}
# ID ranges as sets, so that each presence rule is one C-level set operation
_ACCOUNT_IDS = frozenset(f"{n:02d}" for n in range(2, 52))
_GUID_TEMPLATES = frozenset([f"{n:02d}" for n in range(26, 52)] + [f"{n:02d}" for n in range(80, 100)])
_RFU_IDS = frozenset(f"{n:02d}" for n in range(65, 80))


def name(tag: str) -> str:
    """"object 58 (country)", for messages."""
    return f"object {tag} ({OBJECT_NAMES[tag]})" if tag in OBJECT_NAMES else f"object {tag}"


_name = name


def check_values(scheme: str, objects: dict[str, str], templates: dict) -> tuple[str, ...]:
    fmt = objects["00"]
    if fmt not in profiles.FORMAT_INDICATORS.get(scheme, ("01",)):
        raise BadValue(f"{_name('00')} is {fmt!r}; only '01' is defined", code="PAYLOAD_BAD_FORMAT")
    if "01" in objects and objects["01"] not in ("11", "12"):
        raise BadValue(f"{_name('01')} is {objects['01']!r}; it must be 11 (static) or 12 (dynamic)")
    if _ACCOUNT_IDS.isdisjoint(objects):
        raise MissingObject("missing merchant account information (at least one object 02-51)")
    for tag, sub in templates.items():
        if "00" not in sub and tag in _GUID_TEMPLATES:
            raise MissingObject(f"template {tag} has no globally unique identifier (sub-ID 00)")
    if not objects.keys() >= _MANDATORY:
        relaxed = profiles.RELAXED_MANDATORY.get(scheme, ())
        for tag in MANDATORY:
            if tag not in objects and tag not in relaxed:
                raise MissingObject(f"missing mandatory {_name(tag)}")
    for tag, (pattern, what) in _FORMATS.items():
        if tag in objects and pattern.match(objects[tag]) is None:
            raise BadValue(f"{_name(tag)} is {objects[tag]!r}; it must be {what}")
    for tag, limit in _MAX_LENGTHS.items():
        if len(objects.get(tag, "")) > limit:
            raise BadValue(f"{_name(tag)} is {len(objects[tag])} characters; at most {limit}")
    if "54" in objects:
        values.check_amount(objects["54"], objects.get("53"))
    _check_fees(objects)
    if "64" in templates:
        _check_language(templates["64"])
    if _RFU_IDS.isdisjoint(objects):
        return ()
    return tuple(f"object {tag} is reserved for future use (RFU)" for tag in objects if tag in _RFU_IDS)


def _check_fees(objects: dict[str, str]) -> None:
    indicator = objects.get("55")
    if indicator is not None and indicator not in ("01", "02", "03"):
        raise BadValue(f"{_name('55')} is {indicator!r}; it must be 01, 02 or 03")
    if indicator == "02":
        if "56" not in objects:
            raise MissingObject(f"{_name('55')} is 02 but {_name('56')} is missing")
        values.check_amount(objects["56"], objects.get("53"), what="convenience fee")
    elif "56" in objects:
        raise BadValue(f"{_name('56')} is present but {_name('55')} is {indicator!r}, not 02")
    if indicator == "03":
        if "57" not in objects:
            raise MissingObject(f"{_name('55')} is 03 but {_name('57')} is missing")
        values.check_percentage(objects["57"])
    elif "57" in objects:
        raise BadValue(f"{_name('57')} is present but {_name('55')} is {indicator!r}, not 03")


def _check_language(sub: Mapping[str, str]) -> None:
    if "00" not in sub or "01" not in sub:
        raise MissingObject("template 64 needs a language (64.00) and a merchant name (64.01)")
    if not values.is_alpha2(sub["00"]):
        raise BadValue(f"language 64.00 is {sub['00']!r}; it must be 2 letters (ISO 639)")
