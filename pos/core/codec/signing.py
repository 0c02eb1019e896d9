"""Our signed payment request profile: what the terminal writes and the wallet trusts.

Layout (see docs/payload-profile.md): merchant account template 26 with our GUID, merchant id
(01) and terminal id (02); 52/53/54/58/59/60/61; 62 with bill number (01), reference (05) and
terminal label (07); 64 with language, local-script name and city; unreserved template 80 with
our GUID, request id (01), expiry in unix seconds (02), key id (03) and signature (04).

The signature is HMAC-SHA256 over every object except the signature value and the CRC, truncated
to 16 bytes and written in unpadded base64url (22 characters).
"""

from __future__ import annotations

import base64
import hmac
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from pos.core.codec import emv, values
from pos.core.codec.errors import BadValue, MissingObject, NotQrpos, PayloadError, SignatureInvalid
from pos.core.codec.profiles import QRPOS_GUID, SCHEMES
from pos.core.money import CURRENCIES, alpha_from_numeric

ACCOUNT_TAG = "26"
UNRESERVED_TAG = "80"
SIGNATURE_BYTES = 16
_DOMAIN = b"qrpos-request-v1\n"
_SIG = re.compile(r"[A-Za-z0-9_-]{22}\Z", re.ASCII)


def _ascii(lo: int, hi: int, *, spaces: bool = True) -> Callable[[str], bool]:
    def check(v: str) -> bool:
        return lo <= len(v) <= hi and v.isascii() and v.isprintable() and (spaces or " " not in v)
    return check


def _word(hi: int, extra: dict[int, int | None]) -> Callable[[str], bool]:
    def check(v: str) -> bool:
        stripped = v.translate(extra)
        return 0 < len(v) <= hi and v.isascii() and (stripped == "" or stripped.isalnum())
    return check


_NO_UNDERSCORE = str.maketrans("", "", "_")
_NO_KEY_PUNCT = str.maketrans("", "", "_.-")
_CHECKS = {  # field -> (predicate, description); str methods are faster here than regexes
    "request_id": (_word(25, _NO_UNDERSCORE), "1-25 of A-Z a-z 0-9 _"),
    "merchant_id": (_ascii(1, 20, spaces=False), "1-20 printable ASCII"),
    "terminal_id": (_ascii(1, 16, spaces=False), "1-16 printable ASCII"),
    "mcc": (lambda v: len(v) == 4 and v.isascii() and v.isdigit(), "4 digits"),
    "country": (lambda v: len(v) == 2 and v.isascii() and v.isalpha() and v.isupper(),
                "2 upper-case letters"),
    "merchant_name": (_ascii(1, 25), "1-25 printable ASCII"),
    "merchant_city": (_ascii(1, 15), "1-15 printable ASCII"),
    "postal_code": (_ascii(1, 10), "1-10 printable ASCII"),
    "language": (lambda v: len(v) == 2 and v.isascii() and v.isalpha(), "2 letters (ISO 639)"),
    "bill_number": (_ascii(1, 25), "1-25 printable ASCII"),
    "reference": (_ascii(1, 25), "1-25 printable ASCII"),
    "terminal_label": (_ascii(1, 25), "1-25 printable ASCII"),
    "key_id": (_word(8, _NO_KEY_PUNCT), "1-8 of A-Z a-z 0-9 _ . -"),
}
_OPTIONAL = frozenset({"postal_code", "language", "bill_number", "reference", "terminal_label"})
_LOCAL = re.compile(r"[^\x00-\x1f\x7f]{1,25}\Z")


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


def build_signed_request(p: RequestPayload, *, key_id: str, secret: bytes) -> str:
    """Encode ``p`` as an EMV payload signed with ``secret`` under ``key_id``.

    :raises PayloadError: (BadValue) when a field does not fit the profile.
    """
    _check_request(p, key_id)
    objects = _objects(p, key_id)
    objects[UNRESERVED_TAG]["04"] = _sign(objects, secret)
    return emv.encode(objects)


def read_signed_request(payload: str, keys: Mapping[str, bytes]) -> RequestPayload:
    """Decode, validate and verify one of our requests; the expiry is carried, not checked.

    :raises SignatureInvalid: for an unknown key id or a signature that does not match.
    :raises NotQrpos: for a valid EMV code of another scheme.
    :raises PayloadError: for anything malformed.
    """
    code = emv.decode(payload)
    if code.scheme != "qrpos":
        raise NotQrpos(f"this is a valid {SCHEMES[code.scheme]} code, not a qrpos payment request")
    return verify(code, keys)


def verify(code: emv.EmvPayload, keys: Mapping[str, bytes]) -> RequestPayload:
    """Check the profile and signature of a decoded qrpos payload and return its request."""
    p = _request(code)
    extra = code.templates[UNRESERVED_TAG]
    key_id, signature = extra["03"], extra["04"]
    secret = keys.get(key_id)
    if secret is None:
        raise SignatureInvalid(f"signature key {key_id!r} is unknown")
    canonical = _canonical_as_written(code)
    if canonical is None:
        canonical = _canonical(_unsigned(code))
    # both are ASCII (the signature matched _SIG in _request), so compare_digest takes them as str
    if not hmac.compare_digest(_mac(canonical, secret), signature):
        raise SignatureInvalid(f"signature does not match (key {key_id!r}): the payload was altered")
    return p


def profile_problem(code: emv.EmvPayload) -> PayloadError | None:
    """Why a payload with our GUID does not follow our profile, or None."""
    try:
        _request(code)
    except PayloadError as exc:
        return exc
    return None


def _sign(objects: Mapping[str, str | Mapping[str, str]], secret: bytes) -> str:
    return _mac(_canonical(objects), secret)


def _mac(canonical: str, secret: bytes) -> str:
    digest = hmac.digest(secret, _DOMAIN + canonical.encode("utf-8"), "sha256")[:SIGNATURE_BYTES]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _canonical(objects: Mapping[str, str | Mapping[str, str]]) -> str:
    """All objects but the CRC and the signature value, IDs and sub-IDs in ascending order."""
    parts = []
    for tag in sorted(objects):
        value = objects[tag]
        if tag == "63":
            continue
        if not isinstance(value, str):
            items = sorted(value.items())
            if tag == UNRESERVED_TAG:
                items = [(k, v) for k, v in items if k != "04"]
            value = "".join(f"{k}{len(v):02d}{v}" for k, v in items)
        parts.append(f"{tag}{len(value):02d}{value}")
    return "".join(parts)


def _canonical_as_written(code: emv.EmvPayload) -> str | None:
    """The canonical text cut out of the payload itself, or None when the payload is not written
    in canonical order (IDs and sub-IDs ascending, as our encoder writes them).

    Then every object is already written as _canonical would write it, so the canonical text is
    the payload without its CRC object (last, 8 characters) and without sub-object 80.04, with
    80's length reduced to match: the same text, cut instead of rebuilt object by object.
    """
    objects, templates, raw = code.objects, code.templates, code.raw
    tags = list(objects)
    tags.pop()  # "63": decode checked that the CRC is last and 4 characters long
    if tags != sorted(tags):
        return None
    for sub in templates.values():
        keys = list(sub)
        if keys != sorted(keys):
            return None
    # the unreserved template ends before the objects after it (81-99) and the CRC
    end = len(raw) - 8 - sum(4 + len(objects[tag]) for tag in tags[tags.index(UNRESERVED_TAG) + 1 :])
    value = objects[UNRESERVED_TAG]
    start = end - len(value)
    extra = templates[UNRESERVED_TAG]
    keys = list(extra)
    cut = sum(4 + len(extra[key]) for key in keys[: keys.index("04")])
    kept = value[:cut] + value[cut + 4 + len(extra["04"]) :]
    return f"{raw[: start - 4]}{UNRESERVED_TAG}{len(kept):02d}{kept}{raw[end : len(raw) - 8]}"


def _unsigned(code: emv.EmvPayload) -> dict[str, str | Mapping[str, str]]:
    return {tag: code.templates.get(tag, value) for tag, value in code.objects.items()}


def _check_request(p: RequestPayload, key_id: str) -> None:
    for name, (check, what) in _CHECKS.items():
        value = key_id if name == "key_id" else getattr(p, name)
        if value is None and name in _OPTIONAL:
            continue
        if not isinstance(value, str) or not check(value):
            raise BadValue(f"{name} {value!r} must be {what}")
    if p.currency not in CURRENCIES:
        raise BadValue(f"currency {p.currency!r} is not supported", code="PAYLOAD_BAD_CURRENCY")
    if p.amount_minor is not None and (
        isinstance(p.amount_minor, bool) or not isinstance(p.amount_minor, int) or p.amount_minor <= 0
    ):
        raise BadValue(f"amount_minor {p.amount_minor!r} must be a positive integer or None",
                       code="PAYLOAD_BAD_AMOUNT")
    for name in ("name_local", "city_local"):
        value = getattr(p, name)
        if value is not None and (not isinstance(value, str) or _LOCAL.match(value) is None):
            raise BadValue(f"{name} {value!r} must be 1-25 printable characters")
    if p.city_local is not None and len(p.city_local) > 15:
        raise BadValue(f"city_local {p.city_local!r} must be at most 15 characters")
    if (p.name_local is None) != (p.language is None) or (p.city_local and not p.name_local):
        raise BadValue("name_local and language go together (city_local needs both)")
    if p.expires_at is not None and (
        isinstance(p.expires_at, bool) or not isinstance(p.expires_at, int)
        or not 0 <= p.expires_at < 10**10
    ):
        raise BadValue(f"expires_at {p.expires_at!r} must be unix seconds (0 to 9999999999)")


def _objects(p: RequestPayload, key_id: str) -> dict:
    numeric, exponent = CURRENCIES[p.currency]
    objects: dict = {
        "00": "01",
        "01": "11" if p.amount_minor is None else "12",
        ACCOUNT_TAG: {"00": QRPOS_GUID, "01": p.merchant_id, "02": p.terminal_id},
        "52": p.mcc, "53": numeric, "58": p.country, "59": p.merchant_name, "60": p.merchant_city,
    }
    if p.amount_minor is not None:
        objects["54"] = values.minor_to_amount(p.amount_minor, exponent)
    if p.postal_code is not None:
        objects["61"] = p.postal_code
    extra = {k: v for k, v in (("01", p.bill_number), ("05", p.reference),
                               ("07", p.terminal_label)) if v is not None}
    if extra:
        objects["62"] = extra
    if p.name_local is not None:
        objects["64"] = {"00": p.language, "01": p.name_local}
        if p.city_local is not None:
            objects["64"]["02"] = p.city_local
    unreserved = {"00": QRPOS_GUID, "01": p.request_id}
    if p.expires_at is not None:
        unreserved["02"] = str(p.expires_at)
    unreserved["03"] = key_id
    objects[UNRESERVED_TAG] = unreserved
    return objects


def _request(code: emv.EmvPayload) -> RequestPayload:
    o, t = code.objects, code.templates
    account = t.get(ACCOUNT_TAG, {})
    extra = t.get(UNRESERVED_TAG, {})
    if account.get("00") != QRPOS_GUID or extra.get("00") != QRPOS_GUID:
        raise MissingObject(f"a qrpos request carries template {ACCOUNT_TAG} and "
                            f"{UNRESERVED_TAG}, both with GUID {QRPOS_GUID!r}")
    for where, sub, tag in ((ACCOUNT_TAG, account, "01"), (ACCOUNT_TAG, account, "02"),
                            (UNRESERVED_TAG, extra, "01"), (UNRESERVED_TAG, extra, "03"),
                            (UNRESERVED_TAG, extra, "04")):
        if tag not in sub:
            raise MissingObject(f"qrpos request lacks {where}.{tag}")
    if _SIG.match(extra["04"]) is None:
        raise BadValue(f"signature {extra['04']!r} is not 22 base64url characters")
    expires = extra.get("02")
    if expires is not None and (len(expires) > 10 or not values.is_digits(expires)):
        raise BadValue(f"expiry {expires!r} is not unix seconds")
    try:
        currency = alpha_from_numeric(o["53"])
    except Exception:
        raise BadValue(f"currency {o['53']!r} is not one qrpos supports",
                       code="PAYLOAD_BAD_CURRENCY") from None
    initiation = o.get("01")
    if (initiation == "12") != ("54" in o):
        raise BadValue("a qrpos request is dynamic (01=12) with an amount, or static (01=11) without")
    local = t.get("64", {})
    extra62 = t.get("62", {})
    p = RequestPayload(
        request_id=extra["01"], merchant_id=account["01"], terminal_id=account["02"],
        mcc=o["52"], currency=currency,
        amount_minor=values.amount_to_minor(o["54"], CURRENCIES[currency][1]) if "54" in o else None,
        country=o["58"], merchant_name=o["59"], merchant_city=o["60"], postal_code=o.get("61"),
        name_local=local.get("01"), city_local=local.get("02"), language=local.get("00"),
        bill_number=extra62.get("01"), reference=extra62.get("05"),
        terminal_label=extra62.get("07"),
        expires_at=int(expires) if expires is not None else None,
    )
    _check_request(p, extra["03"])
    return p
