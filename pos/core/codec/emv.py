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
from dataclasses import fields
from typing import Final

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
from pos.core.codec.records import EmvPayload

MAX_LENGTH: Final = 512

OBJECT_NAMES: Final = validate.OBJECT_NAMES
_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f]")
_HEX_DIGITS: Final = "0123456789ABCDEFabcdef"
_CONTROL_BYTES: Final = bytes([*range(0x20), 0x7F])


#: IDs whose values are templates: merchant accounts, additional data, language, unreserved
TEMPLATE_IDS: Final = frozenset(
    [f"{n:02d}" for n in range(26, 52)] + ["62", "64"] + [f"{n:02d}" for n in range(80, 100)]
)
#: sub-IDs of 62 that are templates again (payment system specific)
_PAYMENT_SYSTEM_TEMPLATES: Final = frozenset(f"{n:02d}" for n in range(50, 100))


def _name(tag: str) -> str:
    return validate.name(tag)


#: EmvPayload's slot setters: decode fills a new instance with them rather than through the frozen
#: dataclass __init__, an object.__setattr__ call per field, which took twice as long
_SETTERS: Final = {f.name: getattr(EmvPayload, f.name).__set__ for f in fields(EmvPayload)}
_SET_RAW, _SET_SCHEME, _SET_OBJECTS = _SETTERS["raw"], _SETTERS["scheme"], _SETTERS["objects"]
_SET_TEMPLATES, _SET_WARNINGS = _SETTERS["templates"], _SETTERS["warnings"]


def decode(payload: object) -> EmvPayload:
    """Decode and validate an EMV MPM payload: structure, CRC, values, and its scheme's profile.

    :param payload: typed object, not str: compiled, a str parameter would refuse anything else
        with a TypeError before the function could answer with a PayloadError.
    :raises PayloadError: (a subclass, with a stable code) on anything wrong; never anything else.
    """
    raw, scheme, objects, templates, warnings = decode_parts(payload)
    code = object.__new__(EmvPayload)
    _SET_RAW(code, raw)
    _SET_SCHEME(code, scheme)
    _SET_OBJECTS(code, objects)
    _SET_TEMPLATES(code, templates)
    _SET_WARNINGS(code, warnings)
    return code


Parts = tuple[str, str, dict[str, str], dict[str, dict[str, str]], tuple[str, ...]]


def decode_parts(payload: object) -> Parts:
    """decode's work without the EmvPayload: (raw, scheme, objects, templates, warnings), for a
    reader that needs only the parts (read_signed_request). Raises as decode does."""
    if not isinstance(payload, str):
        raise PayloadError(f"a payload is text, not {type(payload).__name__}")
    if len(payload) > MAX_LENGTH:
        raise PayloadTooLong(
            f"payload is {len(payload)} characters; an EMV QR payload holds at most {MAX_LENGTH}"
        )
    try:
        data: bytes | None = payload.encode("utf-8")  # for the CRC; also where control characters show
    except UnicodeEncodeError:
        data = None  # refused by _check_crc, after the structure (the error a reader sees first)
    objects = _split(payload, data)
    _check_crc(payload, data, objects)
    templates, deferred = _parse_templates(payload, objects)
    scheme = profiles.detect(objects, templates)
    if deferred is not None and scheme not in profiles.SCALAR_UNRESERVED:
        raise deferred
    warnings = validate.check_values(scheme, objects, templates)
    profiles.check(scheme, objects, templates)
    return payload, scheme, objects, templates, warnings


def _split(payload: str, data: bytes | None) -> dict[str, str]:
    if not payload:
        raise PayloadStructureError("payload is empty", code="PAYLOAD_EMPTY")
    if not payload.startswith("00"):
        raise PayloadStructureError(
            f"not an EMV QR payload: it must start with object 00 ({OBJECT_NAMES['00']}), "
            f"found {payload[:4]!r}",
            code="PAYLOAD_NOT_EMV",
        )
    # A control character is a byte below 0x20 or 0x7F in UTF-8, which writes every other character
    # with bytes from 0x80 up: deleting them all (one C pass, no per-character Unicode lookup) shows
    # whether there is any. Only then, or for text UTF-8 cannot encode, does the regex say where.
    clean = len(data.translate(None, _CONTROL_BYTES)) == len(data) if data is not None else payload.isprintable()
    bad = None if clean else _CONTROL.search(payload)
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


def _check_crc(payload: str, data: bytes | None, objects: dict[str, str]) -> None:
    written = objects["63"]
    if len(written) != 4 or written.strip(_HEX_DIGITS):  # strip leaves nothing of 4 hex digits
        raise CrcMismatch(f"CRC {written!r} is not 4 hexadecimal digits", code="PAYLOAD_BAD_CRC")
    if data is None:
        try:
            payload.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise PayloadStructureError(
                f"character at offset {exc.start} is not valid Unicode text", code="PAYLOAD_BAD_CHARACTER"
            ) from None
        raise AssertionError("decode found text UTF-8 cannot encode, which it encodes")  # pragma: no cover
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
    for tag in objects:
        if tag not in TEMPLATE_IDS:
            continue
        try:
            sub = templates[tag] = tlv.parse(objects[tag])
        except PayloadError:
            # parsed again, knowing where the template starts, for a message with the right offset
            try:
                tlv.parse(objects[tag], _value_offset(objects, tag), f"{tag}.")
            except PayloadError as exc:
                if tag < "80":
                    raise
                deferred = deferred or exc
            continue
        if tag == "62" and not _PAYMENT_SYSTEM_TEMPLATES.isdisjoint(sub):
            offset = _value_offset(objects, tag)
            for subtag, subvalue in sub.items():
                if subtag >= "50":
                    tlv.parse(subvalue, offset + 4, f"62.{subtag}.")
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
