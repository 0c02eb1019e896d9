"""The EMVCo merchant-presented QR codec, part of the payment core: Python, compiled with mypyc where
the machine can (pos.core.codec.compiled says when, and why not).

    decode(payload)                  -> EmvPayload   any EMV MPM code, validated (structure, CRC,
                                                     values, national profile, our profile)
    encode(objects)                  -> str          write a payload (00 first, CRC last)
    build_signed_request(p, ...)     -> str          our signed payment request
    read_signed_request(payload, keys) -> RequestPayload
    inspect_payload(payload)         -> dict         the inspector's JSON object
    explain(payload, lang)           -> str          the inspector's text, en / ja / zh
    classify(text)                   -> (scheme, fields) | None   non-EMV payment strings

Every rejection is a PayloadError subclass with a stable code (see pos.core.codec.errors).
"""

# compiled first: it decides whether the mypyc build of the codec's modules may be imported
from pos.core.codec import compiled, errors
from pos.core.codec.classify import classify
from pos.core.codec.crc import crc16
from pos.core.codec.emv import MAX_LENGTH, EmvPayload, encode
from pos.core.codec.errors import *  # noqa: F403  (the typed errors: errors.__all__, added below)
from pos.core.codec.explain import explain
from pos.core.codec.inspect import decode, inspect_payload
from pos.core.codec.profiles import QRPOS_GUID, SCHEMES
from pos.core.codec.signing import RequestPayload, build_signed_request, read_signed_request

__all__ = [
    "MAX_LENGTH",
    "QRPOS_GUID",
    "SCHEMES",
    "EmvPayload",
    "RequestPayload",
    "build_signed_request",
    "classify",
    "compiled",
    "crc16",
    "decode",
    "encode",
    "explain",
    "inspect_payload",
    "read_signed_request",
]
__all__ += errors.__all__  # the typed errors, listed once, where they are defined
