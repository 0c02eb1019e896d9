"""The inspector's reading of any payment string: EMV MPM codes, or the other known formats."""

from __future__ import annotations

import re
from collections.abc import Mapping

from pos.core.codec import emv, signing
from pos.core.codec.classify import classify
from pos.core.codec.errors import PayloadError, PayloadStructureError, PayloadTooLong

_TLV_START = re.compile(r"\d{4}", re.ASCII)


def read(payload: str, keys: Mapping[str, bytes] | None = None) -> tuple[str, dict[str, object], emv.EmvPayload | None]:
    """(scheme, fields, decoded EMV payload or None).

    :param keys: signing secrets by key id; when given, a qrpos payload's signature is verified.
    :raises PayloadError: when an EMV payload is malformed (or, with keys, wrongly signed).
    """
    if not isinstance(payload, str):
        raise PayloadError(f"a payload is text, not {type(payload).__name__}")
    if len(payload) > emv.MAX_LENGTH:
        raise PayloadTooLong(
            f"payload is {len(payload)} characters; a payment QR payload holds at most {emv.MAX_LENGTH}"
        )
    if not payload.strip():
        raise PayloadStructureError("payload is empty", code="PAYLOAD_EMPTY")
    if not _looks_like_emv(payload):
        found = classify(payload)
        if found is not None:
            return found[0], found[1], None
        return "unknown", {}, None
    code = decode(payload)
    if keys is not None and code.scheme == "qrpos":
        signing.verify(code, keys)
    return code.scheme, code.fields(), code


def decode(payload: str) -> emv.EmvPayload:
    """Generic validated decode; a payload with our GUID must also follow our profile."""
    code = emv.decode(payload)
    if code.scheme == "qrpos":
        problem = signing.profile_problem(code)
        if problem is not None:
            raise problem
    return code


def inspect_payload(payload: str, keys: Mapping[str, bytes] | None = None) -> dict[str, object]:
    """``{"ok": True, "scheme": S, "fields": F}`` or ``{"ok": False, "error": {code, message}}``."""
    try:
        scheme, fields, _ = read(payload, keys)
    except PayloadError as exc:
        return {"ok": False, "error": exc.to_dict()}
    return {"ok": True, "scheme": scheme, "fields": fields}


def _looks_like_emv(payload: str) -> bool:
    if payload.startswith("00"):
        return True
    # a payload whose header was damaged still reads as TLV ending in a CRC: report it as EMV
    return _TLV_START.match(payload) is not None and "6304" in payload and classify(payload) is None
