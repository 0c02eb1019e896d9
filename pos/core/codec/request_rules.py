"""The field rules of a qrpos payment request (RequestPayload): what build_signed_request accepts and
read_signed_request returns. One set of rules for both ways; see check() for what a read skips.
"""

from __future__ import annotations

import re
from typing import Any, Final, NoReturn

from pos.core.codec.errors import BadValue
from pos.core.codec.records import RequestPayload
from pos.core.money import CURRENCIES

#: what each text field must be, for messages; check applies the rules with str methods,
#: which take a fraction of a regex's time on strings this short
_RULES: Final = {
    "request_id": "1-25 of A-Z a-z 0-9 _",
    "merchant_id": "1-20 printable ASCII",
    "terminal_id": "1-16 printable ASCII",
    "mcc": "4 digits",
    "country": "2 upper-case letters",
    "merchant_name": "1-25 printable ASCII",
    "merchant_city": "1-15 printable ASCII",
    "postal_code": "1-10 printable ASCII",
    "language": "2 letters (ISO 639)",
    "bill_number": "1-25 printable ASCII",
    "reference": "1-25 printable ASCII",
    "terminal_label": "1-25 printable ASCII",
    "key_id": "1-8 of A-Z a-z 0-9 _ . -",
}
_ID_PUNCTUATION: Final = "_"  # besides letters and digits, in a request id
_KEY_PUNCTUATION: Final = "_.-"  # in a key id
_LOCAL: Final = re.compile(r"[^\x00-\x1f\x7f]{1,25}\Z")
#: a RequestPayload whose fields are still to be checked, read as Any: compiled (mypyc), a read
#: typed str or int would refuse a value of another type with a TypeError, before the rule that
#: says which field is wrong could raise its BadValue
Unchecked = Any


def check(request: RequestPayload, key_id: object, *, decoded: bool = False) -> str:
    """Every field of a request against our profile, in field order; the first broken rule raises.
    Returns the key id, now known to be one.

    Written out field by field rather than as a table of predicates: this runs on every read of a
    scanned request, and a call per field cost more than all the checks together. "Printable
    ASCII" is isascii() and isprintable() (space to ~); isalnum() on ASCII is A-Z a-z 0-9.

    :param decoded: True when ``request`` was read from a payload that ``emv.decode`` accepted. Then the
        rules that decode's EMV rules imply are not tested again, since they cannot fail: mcc is
        object 52, 4 ASCII digits; country is 58, in ISO 3166-1's list; postal code, bill number,
        reference and terminal label are 61 and 62.01/05/07, 1-10 or 1-25 printable ASCII; language
        is 64.00, in ISO 639-1's list; currency was looked up in CURRENCIES; the amount is 54, a
        non-zero EMV amount, so its minor units are a positive int; the local name and city are
        64.01 and 64.02, 1-25 and 1-15 characters of a payload without control characters, and 64
        carries 00 and 01 together; the expiry is 80.02, at most 10 ASCII digits. What EMV leaves
        open (request, merchant, terminal and key ids; name and city in ASCII) is always tested.
    """
    p: Unchecked = request
    v: object = p.request_id
    if not (isinstance(v, str) and is_word(v, 25, _ID_PUNCTUATION)):
        _refuse("request_id", v)
    v = p.merchant_id
    if not (isinstance(v, str) and 0 < len(v) <= 20 and v.isascii() and v.isprintable() and " " not in v):
        _refuse("merchant_id", v)
    v = p.terminal_id
    if not (isinstance(v, str) and 0 < len(v) <= 16 and v.isascii() and v.isprintable() and " " not in v):
        _refuse("terminal_id", v)
    if not decoded:
        _check_codes(p)
    v = p.merchant_name
    if not (isinstance(v, str) and 0 < len(v) <= 25 and v.isascii() and v.isprintable()):
        _refuse("merchant_name", v)
    v = p.merchant_city
    if not (isinstance(v, str) and 0 < len(v) <= 15 and v.isascii() and v.isprintable()):
        _refuse("merchant_city", v)
    if not decoded:
        _check_extras(p)
    if not (isinstance(key_id, str) and is_word(key_id, 8, _KEY_PUNCTUATION)):
        _refuse("key_id", key_id)
    if not decoded:
        _check_rest(p)
    return key_id


def _check_codes(p: Unchecked) -> None:
    """mcc and country (implied by EMV objects 52 and 58 on a read)."""
    v: object = p.mcc
    if not (isinstance(v, str) and len(v) == 4 and v.isascii() and v.isdigit()):
        _refuse("mcc", v)
    v = p.country
    if not (isinstance(v, str) and len(v) == 2 and v.isascii() and v.isalpha() and v.isupper()):
        _refuse("country", v)


def _check_extras(p: Unchecked) -> None:
    """postal code, language, bill number, reference, terminal label (implied by 61, 64.00, 62 on a read)."""
    v: object = p.postal_code
    if v is not None and not (isinstance(v, str) and 0 < len(v) <= 10 and v.isascii() and v.isprintable()):
        _refuse("postal_code", v)
    v = p.language
    if v is not None and not (isinstance(v, str) and len(v) == 2 and v.isascii() and v.isalpha()):
        _refuse("language", v)
    v = p.bill_number
    if v is not None and not (isinstance(v, str) and 0 < len(v) <= 25 and v.isascii() and v.isprintable()):
        _refuse("bill_number", v)
    v = p.reference
    if v is not None and not (isinstance(v, str) and 0 < len(v) <= 25 and v.isascii() and v.isprintable()):
        _refuse("reference", v)
    v = p.terminal_label
    if v is not None and not (isinstance(v, str) and 0 < len(v) <= 25 and v.isascii() and v.isprintable()):
        _refuse("terminal_label", v)


def _check_rest(p: Unchecked) -> None:
    """currency, amount, local name and city, expiry (implied by 53, 54, 64, 80.02 on a read)."""
    if p.currency not in CURRENCIES:
        raise BadValue(f"currency {p.currency!r} is not supported", code="PAYLOAD_BAD_CURRENCY")
    amount = p.amount_minor
    if amount is not None and (isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0):
        raise BadValue(f"amount_minor {amount!r} must be a positive integer or None", code="PAYLOAD_BAD_AMOUNT")
    name, city = p.name_local, p.city_local
    if name is not None and not _is_local(name):
        raise BadValue(f"name_local {name!r} must be 1-25 printable characters")
    if city is not None and not _is_local(city):
        raise BadValue(f"city_local {city!r} must be 1-25 printable characters")
    if city is not None and len(city) > 15:
        raise BadValue(f"city_local {city!r} must be at most 15 characters")
    if (name is None) != (p.language is None) or (city and not name):
        raise BadValue("name_local and language go together (city_local needs both)")
    expires = p.expires_at
    if expires is not None and (
        isinstance(expires, bool) or not isinstance(expires, int) or not 0 <= expires < 10**10
    ):
        raise BadValue(f"expires_at {expires!r} must be unix seconds (0 to 9999999999)")


def _refuse(name: str, value: object) -> NoReturn:
    raise BadValue(f"{name} {value!r} must be {_RULES[name]}")


def is_word(v: str, longest: int, punctuation: str) -> bool:
    """1 to ``longest`` ASCII letters and digits, and the characters of ``punctuation``."""
    if not (0 < len(v) <= longest and v.isascii()):
        return False
    if v.isalnum():
        return True
    # str.replace, not str.translate: translate raises and clears a LookupError inside for every
    # character its table does not list, which made it the slowest check of a read
    for mark in punctuation:
        v = v.replace(mark, "")
    return v == "" or v.isalnum()


def _is_local(v: object) -> bool:
    """1-25 characters of any script but no control character (the name in the local script)."""
    if not isinstance(v, str):
        return False
    # isprintable() is one C pass that rules out every control character; the regex decides the rest
    return (0 < len(v) <= 25 and v.isprintable()) or _LOCAL.match(v) is not None
