"""The codec's typed errors: each a PayloadError with a stable ``code``.

    PayloadError                         PAYLOAD_INVALID (pos.core.errors)
    ├── PayloadTooLong                   PAYLOAD_TOO_LONG
    ├── PayloadStructureError            PAYLOAD_TRUNCATED, PAYLOAD_BAD_TLV, PAYLOAD_DUPLICATE_OBJECT,
    │                                    PAYLOAD_BAD_ORDER, PAYLOAD_BAD_LENGTH, PAYLOAD_BAD_CHARACTER,
    │                                    PAYLOAD_NOT_EMV, PAYLOAD_EMPTY
    ├── CrcMismatch                      PAYLOAD_CRC_MISMATCH, PAYLOAD_BAD_CRC
    ├── MissingObject                    PAYLOAD_MISSING_OBJECT
    ├── BadValue                         PAYLOAD_BAD_VALUE, PAYLOAD_BAD_AMOUNT, PAYLOAD_BAD_CURRENCY,
    │                                    PAYLOAD_BAD_FORMAT, PAYLOAD_RESERVED_OBJECT
    ├── ProfileViolation                 PAYLOAD_PROFILE_VIOLATION (a national scheme's own rule)
    ├── SignatureInvalid                 PAYLOAD_SIGNATURE_INVALID
    └── NotQrpos                         PAYLOAD_NOT_QRPOS (valid EMV, but not one of our requests)
"""

from __future__ import annotations

from pos.core.errors import PayloadError


class PayloadTooLong(PayloadError):
    code = "PAYLOAD_TOO_LONG"


class PayloadStructureError(PayloadError):
    code = "PAYLOAD_BAD_TLV"


class CrcMismatch(PayloadError):
    code = "PAYLOAD_CRC_MISMATCH"


class MissingObject(PayloadError):
    code = "PAYLOAD_MISSING_OBJECT"


class BadValue(PayloadError):
    code = "PAYLOAD_BAD_VALUE"


class ProfileViolation(PayloadError):
    code = "PAYLOAD_PROFILE_VIOLATION"


class SignatureInvalid(PayloadError):
    code = "PAYLOAD_SIGNATURE_INVALID"


class NotQrpos(PayloadError):
    code = "PAYLOAD_NOT_QRPOS"


__all__ = [
    "BadValue",
    "CrcMismatch",
    "MissingObject",
    "NotQrpos",
    "PayloadError",
    "PayloadStructureError",
    "PayloadTooLong",
    "ProfileViolation",
    "SignatureInvalid",
]
