"""Our signed payment request profile: what the terminal writes and the wallet trusts.

Layout (see docs/payload-profile.md): merchant account template 26 with our GUID, merchant id
(01) and terminal id (02); 52/53/54/58/59/60/61; 62 with bill number (01), reference (05) and
terminal label (07); 64 with language, local-script name and city; unreserved template 80 with
our GUID, request id (01), expiry in unix seconds (02), key id (03) and signature (04).

The signature is HMAC-SHA256 over every object except the signature value and the CRC, truncated
to 16 bytes and written in unpadded base64url (22 characters).
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import fields
from typing import Any, Final

from pos.core.codec import emv, mac, request_rules, tlv, values
from pos.core.codec.errors import BadValue, MissingObject, NotQrpos, PayloadError, SignatureInvalid
from pos.core.codec.profiles import QRPOS_GUID, SCHEMES
from pos.core.codec.records import EmvPayload, RequestPayload
from pos.core.money import CURRENCIES

ACCOUNT_TAG: Final = "26"
UNRESERVED_TAG: Final = "80"
SIGNATURE_BYTES: Final = mac.SIGNATURE_BYTES
#: what _request reads for an absent template; a dict (read only, never changed) so that compiled
#: code takes dict's fast paths
_NONE: Final[dict[str, str]] = {}
_BASE64URL_PUNCTUATION: Final = "_-"  # besides letters and digits, in a signature
#: ISO 4217 numeric -> (alpha code, minor-unit digits) of the currencies qrpos supports
_BY_NUMERIC: Final[dict[str, tuple[str, int]]] = {numeric: (alpha, e) for alpha, (numeric, e) in CURRENCIES.items()}




#: RequestPayload's slot setters in field order. _request fills a new instance with them instead of
#: the frozen dataclass __init__, which makes an object.__setattr__ call per field and cost a third
#: of the rest of _request; it then checks the instance with request_rules.check, the rules
#: build_signed_request applies (less those that decode's EMV rules already proved, see there).
_SET_FIELDS: Final = tuple(getattr(RequestPayload, f.name).__set__ for f in fields(RequestPayload))


def build_signed_request(p: RequestPayload, *, key_id: object, secret: bytes | bytearray) -> str:
    """Encode ``p`` as an EMV payload signed with ``secret`` under ``key_id``.

    ``key_id`` is typed object, not str: compiled, a str parameter would refuse anything else with
    a TypeError before request_rules.check could answer with a BadValue.

    :raises PayloadError: (BadValue) when a field does not fit the profile.
    """
    objects = _objects(p, request_rules.check(p, key_id))
    objects[UNRESERVED_TAG]["04"] = _sign(objects, secret)
    return emv.encode(objects)


def read_signed_request(payload: object, keys: Mapping[str, bytes]) -> RequestPayload:
    """Decode, validate and verify one of our requests; the expiry is carried, not checked.

    :raises SignatureInvalid: for an unknown key id or a signature that does not match.
    :raises NotQrpos: for a valid EMV code of another scheme.
    :raises PayloadError: for anything malformed.
    """
    raw, scheme, objects, templates, _ = emv.decode_parts(payload)
    if scheme != "qrpos":
        raise NotQrpos(f"this is a valid {SCHEMES[scheme]} code, not a qrpos payment request")
    return _verified(raw, objects, templates, keys)


def verify(code: EmvPayload, keys: Mapping[str, bytes]) -> RequestPayload:
    """Check the profile and signature of a decoded qrpos payload and return its request."""
    return _verified(code.raw, code.objects, code.templates, keys)


def _verified(
    raw: str, objects: dict[str, str], templates: dict[str, dict[str, str]], keys: Mapping[str, bytes]
) -> RequestPayload:
    p = _request(objects, templates)
    extra = templates[UNRESERVED_TAG]
    key_id, signature = extra["03"], extra["04"]
    secret = keys.get(key_id)
    if secret is None:
        raise SignatureInvalid(f"signature key {key_id!r} is unknown")
    # both are ASCII (_request checked the signature's characters), so compare_digest takes them as str
    if hmac.compare_digest(mac.signature(_cut_as_written(raw, objects, templates), secret), signature):
        return p
    if hmac.compare_digest(mac.signature(_canonical(_unsigned(objects, templates)), secret), signature):
        return p  # a payload written in another order than ours
    raise SignatureInvalid(f"signature does not match (key {key_id!r}): the payload was altered")


def profile_problem(code: EmvPayload) -> PayloadError | None:
    """Why a payload with our GUID does not follow our profile, or None."""
    try:
        _request(code.objects, code.templates)
    except PayloadError as exc:
        return exc
    return None


def _sign(objects: Mapping[str, str | Mapping[str, str]], secret: bytes | bytearray) -> str:
    return mac.signature(_canonical(objects), secret)


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


def _cut_as_written(raw: str, objects: dict[str, str], templates: dict[str, dict[str, str]]) -> str:
    """The payload without its CRC object and without sub-object 80.04, 80's length reduced to match.

    For a payload written as our encoder writes it (IDs and sub-IDs ascending) this is the canonical
    text, cut out rather than rebuilt object by object, and verify tries it first. It needs no check
    of the order: it parses to the payload's own objects less the signature, so a signature that
    matches it was made over exactly those objects, whatever their order. For a payload written in
    another order it differs from the canonical text, the signature does not match it, and verify
    builds the canonical text.
    """
    value = objects[UNRESERVED_TAG]
    # where 80's value ends: before the objects after it (81-99) and the CRC (decode: last, 8 characters)
    end = len(raw)
    after = False
    for tag, written in objects.items():
        if after:
            end -= 4 + len(written)
        elif tag == UNRESERVED_TAG:
            after = True
    cut = 0  # where 80.04 starts in 80's value
    for subtag, subvalue in templates[UNRESERVED_TAG].items():
        if subtag == "04":
            break
        cut += 4 + len(subvalue)
    signature = templates[UNRESERVED_TAG]["04"]
    kept = value[:cut] + value[cut + 4 + len(signature) :]
    return raw[: end - len(value) - 4] + UNRESERVED_TAG + tlv.TWO_DIGIT_TEXT[len(kept)] + kept + raw[end : len(raw) - 8]


def _unsigned(objects: dict[str, str], templates: dict[str, dict[str, str]]) -> dict[str, str | Mapping[str, str]]:
    return {tag: templates.get(tag, value) for tag, value in objects.items()}



def _objects(p: RequestPayload, key_id: str) -> dict[str, Any]:
    numeric, exponent = CURRENCIES[p.currency]
    objects: dict[str, Any] = {
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


def _request(o: dict[str, str], t: dict[str, dict[str, str]]) -> RequestPayload:
    """Our request from a decoded payload's objects ``o`` and templates ``t``, or why it is not one."""
    account = t.get(ACCOUNT_TAG, _NONE)
    extra = t.get(UNRESERVED_TAG, _NONE)
    account_guid, extra_guid = account.get("00"), extra.get("00")
    # None first, so that the comparisons are of two str (compiled: a direct comparison)
    if account_guid is None or extra_guid is None or account_guid != QRPOS_GUID or extra_guid != QRPOS_GUID:
        raise MissingObject(f"a qrpos request carries template {ACCOUNT_TAG} and "
                            f"{UNRESERVED_TAG}, both with GUID {QRPOS_GUID!r}")
    if not ("01" in account and "02" in account and "01" in extra and "03" in extra and "04" in extra):
        for where, sub, tag in ((ACCOUNT_TAG, account, "01"), (ACCOUNT_TAG, account, "02"),
                                (UNRESERVED_TAG, extra, "01"), (UNRESERVED_TAG, extra, "03"),
                                (UNRESERVED_TAG, extra, "04")):
            if tag not in sub:
                raise MissingObject(f"qrpos request lacks {where}.{tag}")
    signature = extra["04"]
    if not _is_signature(signature):
        raise BadValue(f"signature {signature!r} is not 22 base64url characters")
    expires = extra.get("02")
    if expires is not None and (len(expires) > 10 or not values.is_digits(expires)):
        raise BadValue(f"expiry {expires!r} is not unix seconds")
    currency_exponent = _BY_NUMERIC.get(o["53"])
    if currency_exponent is None:
        raise BadValue(f"currency {o['53']!r} is not one qrpos supports", code="PAYLOAD_BAD_CURRENCY")
    currency, exponent = currency_exponent
    amount, initiation = o.get("54"), o.get("01")
    dynamic = initiation is not None and initiation == "12"  # None first: a comparison of two str
    if dynamic != (amount is not None):
        raise BadValue("a qrpos request is dynamic (01=12) with an amount, or static (01=11) without")
    local = t.get("64", _NONE)
    extra62 = t.get("62", _NONE)
    p = object.__new__(RequestPayload)
    for set_field, value in zip(_SET_FIELDS, (  # in field order
        extra["01"], account["01"], account["02"], o["52"], currency,
        None if amount is None else values.amount_to_minor(amount, exponent),
        o["58"], o["59"], o["60"], o.get("61"), local.get("01"), local.get("02"), local.get("00"),
        extra62.get("01"), extra62.get("05"), extra62.get("07"),
        None if expires is None else int(expires),
    ), strict=True):
        set_field(p, value)
    request_rules.check(p, extra["03"], decoded=True)
    return p


def _is_signature(text: str) -> bool:
    """22 characters of base64url: A-Z a-z 0-9 - _."""
    return len(text) == 22 and request_rules.is_word(text, 22, _BASE64URL_PUNCTUATION)
