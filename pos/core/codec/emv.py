"""Decode and encode EMVCo merchant-presented QR payloads, validating structure, CRC and values.

Only templates the specification defines are parsed as nested objects: 26-51 (merchant account),
62 (additional data, whose sub-IDs 50-99 are templates again), 64 (alternate language) and 80-99
(unreserved). Everything else is a scalar, whatever it looks like. 65-79 are reserved: kept and
flagged when read, never written.
"""

from __future__ import annotations

import re
from binascii import crc_hqx
from collections.abc import Mapping
from dataclasses import dataclass, field, fields

from pos.core.codec import profiles, tlv, validate
from pos.core.codec.crc import crc16
from pos.core.codec.errors import (
    BadValue,
    CrcMismatch,
    MissingObject,
    PayloadError,
    PayloadStructureError,
    PayloadTooLong,
)

MAX_LENGTH = 512

OBJECT_NAMES = validate.OBJECT_NAMES
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_HEX_DIGITS = "0123456789ABCDEFabcdef"


#: IDs whose values are templates: merchant accounts, additional data, language, unreserved
TEMPLATE_IDS = frozenset(
    [f"{n:02d}" for n in range(26, 52)] + ["62", "64"] + [f"{n:02d}" for n in range(80, 100)]
)
#: sub-IDs of 62 that are templates again (payment system specific)
_PAYMENT_SYSTEM_TEMPLATES = frozenset(f"{n:02d}" for n in range(50, 100))


def _name(tag: str) -> str:
    return validate.name(tag)


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


#: EmvPayload's slot setters: decode fills a new instance with them rather than through the frozen
#: dataclass __init__, an object.__setattr__ call per field, which took twice as long
_SETTERS = {f.name: getattr(EmvPayload, f.name).__set__ for f in fields(EmvPayload)}
_SET_RAW, _SET_SCHEME, _SET_OBJECTS = _SETTERS["raw"], _SETTERS["scheme"], _SETTERS["objects"]
_SET_TEMPLATES, _SET_WARNINGS = _SETTERS["templates"], _SETTERS["warnings"]


def decode(payload: str) -> EmvPayload:
    """Decode and validate an EMV MPM payload: structure, CRC, values, and its scheme's profile.

    :raises PayloadError: (a subclass, with a stable code) on anything wrong; never anything else.
    """
    objects = _split(payload)
    _check_crc(payload, objects)
    templates, deferred = _parse_templates(payload, objects)
    scheme = profiles.detect(objects, templates)
    if deferred is not None and scheme not in profiles.SCALAR_UNRESERVED:
        raise deferred
    warnings = validate.check_values(scheme, objects, templates)
    profiles.check(scheme, objects, templates)
    code = object.__new__(EmvPayload)
    _SET_RAW(code, payload)
    _SET_SCHEME(code, scheme)
    _SET_OBJECTS(code, objects)
    _SET_TEMPLATES(code, templates)
    _SET_WARNINGS(code, warnings)
    return code


def _split(payload: str) -> dict[str, str]:
    if not isinstance(payload, str):
        raise PayloadError(f"a payload is text, not {type(payload).__name__}")
    if len(payload) > MAX_LENGTH:
        raise PayloadTooLong(
            f"payload is {len(payload)} characters; an EMV QR payload holds at most {MAX_LENGTH}"
        )
    if not payload:
        raise PayloadStructureError("payload is empty", code="PAYLOAD_EMPTY")
    if not payload.startswith("00"):
        raise PayloadStructureError(
            f"not an EMV QR payload: it must start with object 00 ({OBJECT_NAMES['00']}), "
            f"found {payload[:4]!r}",
            code="PAYLOAD_NOT_EMV",
        )
    # isprintable() is one C pass and rules out every control character; only a payload it
    # refuses (a control character, or merely a no-break space) needs the slower regex search
    bad = None if payload.isprintable() else _CONTROL.search(payload)
    if bad is not None:
        raise PayloadStructureError(
            f"control character U+{ord(bad.group()):04X} at offset {bad.start()}",
            code="PAYLOAD_BAD_CHARACTER",
        )
    objects = tlv.parse(payload)
    if "63" not in objects:
        raise MissingObject(f"missing mandatory {_name('63')}")
    last = next(reversed(objects))
    if last != "63":
        raise PayloadStructureError(
            f"{_name('63')} must be the last object, but object {last} follows it",
            code="PAYLOAD_BAD_ORDER",
        )
    return objects


def _check_crc(payload: str, objects: dict[str, str]) -> None:
    written = objects["63"]
    if len(written) != 4 or written.strip(_HEX_DIGITS):  # strip leaves nothing of 4 hex digits
        raise CrcMismatch(f"CRC {written!r} is not 4 hexadecimal digits", code="PAYLOAD_BAD_CRC")
    try:
        data = payload.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise PayloadStructureError(
            f"character at offset {exc.start} is not valid Unicode text", code="PAYLOAD_BAD_CHARACTER"
        ) from None
    computed = crc_hqx(data[:-4], 0xFFFF)
    if computed != int(written, 16):
        raise CrcMismatch(f"CRC mismatch: payload says {written}, computed {computed:04X}")


def _parse_templates(
    payload: str, objects: dict[str, str]
) -> tuple[dict[str, dict[str, str]], PayloadError | None]:
    """Parse the templates; an unreserved one (80-99) that does not parse is returned as the
    error to raise unless the scheme is known to write scalars there."""
    templates: dict[str, dict[str, str]] = {}
    deferred = None
    parse = tlv.parse
    for tag in objects:
        if tag not in TEMPLATE_IDS:
            continue
        try:
            sub = templates[tag] = parse(objects[tag])
        except PayloadError:
            # parsed again, knowing where the template starts, for a message with the right offset
            try:
                parse(objects[tag], _value_offset(objects, tag), f"{tag}.")
            except PayloadError as exc:
                if tag < "80":
                    raise
                deferred = deferred or exc
            continue
        if tag == "62" and not _PAYMENT_SYSTEM_TEMPLATES.isdisjoint(sub):
            offset = _value_offset(objects, tag)
            for subtag, subvalue in sub.items():
                if subtag >= "50":
                    parse(subvalue, offset + 4, f"62.{subtag}.")
                offset += 4 + len(subvalue)
    return templates, deferred


def _value_offset(objects: dict[str, str], tag: str) -> int:
    """Where the value of top-level object ``tag`` starts in the payload (for messages)."""
    offset = 0
    for other, value in objects.items():
        if other == tag:
            return offset + 4
        offset += 4 + len(value)
    raise KeyError(tag)


def encode(objects: Mapping[str, str | Mapping[str, str]]) -> str:
    """Write a payload: 00 first, then the other IDs in ascending order, then the CRC (63).

    Values are strings; templates are mappings of sub-ID to string. The result is decoded
    before it is returned, so the codec never writes what it would refuse to read.
    :raises PayloadError: for reserved IDs 65-79, a CRC given by the caller, or invalid content.
    """
    for tag in objects:
        if tag not in tlv.TWO_DIGITS:
            raise BadValue(f"object ID {tag!r} is not two digits")
        if "65" <= tag <= "79":
            raise BadValue(
                f"object {tag} is reserved for future use and is never written",
                code="PAYLOAD_RESERVED_OBJECT",
            )
    if "63" in objects:
        raise BadValue("object 63 (CRC) is computed by the encoder, not given")
    rest = sorted((tag, v) for tag, v in objects.items() if tag != "00")
    body = tlv.encode([("00", objects.get("00", "01")), *rest]) + "6304"
    if len(body) + 4 > MAX_LENGTH:
        raise PayloadTooLong(f"payload would be {len(body) + 4} characters; at most {MAX_LENGTH}")
    payload = body + crc16(body)
    decode(payload)
    return payload
