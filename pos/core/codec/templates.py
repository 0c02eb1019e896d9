"""What the EMV MPM specification (v1.1) allows inside its templates.

    26-51, 80-99   00 globally unique identifier, ANS up to 32 (mandatory); 01-99 the owner's data
    62             01-08 ANS up to 25; 09 any of A, M, E once each; 10 ANS up to 20; 11 ANS of 3;
                   12-49 reserved; 50-99 templates with a GUID in 00
    64             00 language, ISO 639-1 (mandatory); 01 name, up to 25 (mandatory);
                   02 city, up to 15; 03-99 reserved

Sub-IDs reserved for future use (RFU) are kept and reported as warnings, as top-level 65-79 are:
a reader that refused them would refuse codes written to a later edition, as v1.0 readers would
have refused 62.10 and 62.11, which v1.1 defines.
"""

from __future__ import annotations

from typing import Final

from pos.core.codec import iso, tlv, values
from pos.core.codec.errors import BadValue, MissingObject

GUID_MAX: Final = 32
#: 62's sub-objects whose value is ANS: sub-ID -> longest
_ADDITIONAL_MAX: Final = {"01": 25, "02": 25, "03": 25, "04": 25, "05": 25, "06": 25, "07": 25, "08": 25, "10": 20}
_ADDITIONAL_NAMES: Final = {
    "01": "bill number", "02": "mobile number", "03": "store label", "04": "loyalty number",
    "05": "reference label", "06": "customer label", "07": "terminal label", "08": "purpose of transaction",
    "10": "merchant tax ID",
}
_CONSUMER_DATA: Final = frozenset("AME")  # 62.09: address, mobile number, e-mail to ask the consumer for
#: 64's sub-objects (any printable text): sub-ID -> (name, longest)
_LANGUAGE: Final = {"01": ("merchant name", 25), "02": ("merchant city", 15)}
#: ISO 639-1 codes in every mix of case ("ja", "JA", "Ja", "jA"): one lookup for a valid 64.00
_LANGUAGES_ANY_CASE: Final = frozenset(
    code for lower in iso.LANGUAGES for code in (lower, lower.upper(), lower.capitalize(), lower[0] + lower[1].upper())
)


def check(parsed: dict[str, dict[str, str]]) -> tuple[str, ...]:
    """Check the contents of every parsed template; return warnings for reserved sub-IDs.

    :raises BadValue, MissingObject: for the first rule broken.
    """
    warnings: tuple[str, ...] = ()
    for tag, sub in parsed.items():
        if tag == "62":
            warnings += _check_additional(sub)
        elif tag == "64":
            warnings += _check_language(sub)
        else:  # 26-51 and 80-99: the GUID's presence is checked with the other mandatory objects
            check_guid(tag, sub["00"])
    return warnings


def check_guid(where: str, guid: str) -> None:
    """A globally unique identifier: an AID, a UUID or a reverse domain name, in ANS, up to 32.

    Which of the three it is is not checked: real KHQR codes put an account id there.
    """
    if len(guid) > GUID_MAX or not guid.isascii() or not guid.isprintable():
        raise BadValue(
            f"globally unique identifier {where}.00 is {guid!r}; it must be 1-{GUID_MAX} printable "
            "ASCII characters (ANS)"
        )


def _check_additional(sub: dict[str, str]) -> tuple[str, ...]:
    warnings: tuple[str, ...] = ()
    for subtag, value in sub.items():
        limit = _ADDITIONAL_MAX.get(subtag)
        if limit is not None:
            if len(value) > limit or not value.isascii() or not value.isprintable():
                raise BadValue(
                    f"{_ADDITIONAL_NAMES[subtag]} 62.{subtag} is {value!r}; it must be 1-{limit} printable "
                    "ASCII characters (ANS)"
                )
        elif subtag == "09":
            if len(value) > 3 or len(set(value)) != len(value) or not _CONSUMER_DATA.issuperset(value):
                raise BadValue(
                    f"additional consumer data request 62.09 is {value!r}; it must be A, M and/or E, "
                    "each at most once"
                )
        elif subtag == "11":
            if len(value) != 3 or not values.is_ans(value):
                raise BadValue(f"merchant channel 62.11 is {value!r}; it must be 3 printable ASCII characters")
        elif subtag >= "50":
            template = tlv.parse(value)  # its structure was checked when the payload was split
            if "00" not in template:
                raise MissingObject(f"template 62.{subtag} has no globally unique identifier (sub-ID 00)")
            check_guid(f"62.{subtag}", template["00"])
        else:
            warnings += (f"object 62.{subtag} is reserved for future use (RFU)",)
    return warnings


def _check_language(sub: dict[str, str]) -> tuple[str, ...]:
    if "00" not in sub or "01" not in sub:
        raise MissingObject("template 64 needs a language (64.00) and a merchant name (64.01)")
    language = sub["00"]
    if language not in _LANGUAGES_ANY_CASE:
        if not values.is_alpha2(language):
            raise BadValue(f"language 64.00 is {language!r}; it must be 2 letters (ISO 639)")
        raise BadValue(f"language 64.00 is {language!r}, which is not an ISO 639-1 code")
    warnings: tuple[str, ...] = ()
    for subtag, value in sub.items():
        if subtag in _LANGUAGE:
            what, limit = _LANGUAGE[subtag]
            if len(value) > limit:
                raise BadValue(f"{what} 64.{subtag} is {len(value)} characters; at most {limit}")
        elif subtag != "00":
            warnings += (f"object 64.{subtag} is reserved for future use (RFU)",)
    return warnings
