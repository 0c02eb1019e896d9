"""The signature of our requests: HMAC-SHA256 (RFC 2104) over a domain line and the canonical text,
truncated to 16 bytes and written in unpadded base64url (22 characters).

HMAC is written out here as RFC 2104 defines it, on the standard library's SHA-256: the two padded
key blocks are hashed once per secret, and each signature copies those two states. The standard
library's hmac object does the same work behind a Python layer (copy, update and digest are Python
methods there), which cost more than the hashing for a message this short; hmac.digest would also
redo the key setup on every call. A test checks every signature against hmac.digest for keys shorter
than, as long as and longer than SHA-256's block, and for a bytearray key.
"""

from __future__ import annotations

import hashlib
from binascii import b2a_base64
from typing import Final

DOMAIN: Final = b"qrpos-request-v1\n"
SIGNATURE_BYTES: Final = 16
#: base64url without padding, and + / turned into - _
_URLSAFE: Final = bytes.maketrans(b"+/", b"-_")
#: secret -> (inner, outer): SHA-256 fed its key block XOR ipad (and the domain line), and XOR opad;
#: a handful of keys in practice, emptied rather than grown past _PREPARED_MAX (secrets read from a
#: misbehaving source). Only immutable bytes are kept: a bytearray secret may change after the call.
_prepared: Final[dict[bytes, tuple[hashlib._Hash, hashlib._Hash]]] = {}
_PREPARED_MAX: Final = 64
_BLOCK: Final = 64  # SHA-256's block size in bytes
_IPAD: Final = bytes(x ^ 0x36 for x in range(256))
_OPAD: Final = bytes(x ^ 0x5C for x in range(256))


def signature(canonical: str, secret: bytes | bytearray) -> str:
    """The 22-character signature of ``canonical`` under ``secret``."""
    pads = _prepared.get(secret) if type(secret) is bytes else None
    if pads is None:
        pads = _pads(bytes(secret))
        if type(secret) is bytes:
            if len(_prepared) >= _PREPARED_MAX:
                _prepared.clear()
            _prepared[secret] = pads
    inner = pads[0].copy()
    inner.update(canonical.encode("utf-8"))
    outer = pads[1].copy()
    outer.update(inner.digest())
    # base64 of 16 bytes is 22 characters and "=="; binascii spares base64's Python layers
    return b2a_base64(outer.digest()[:SIGNATURE_BYTES], newline=False)[:22].translate(_URLSAFE).decode("ascii")


def _pads(secret: bytes) -> tuple[hashlib._Hash, hashlib._Hash]:
    """RFC 2104: the key, hashed first if longer than a block, padded with zeros to a block."""
    key = (hashlib.sha256(secret).digest() if len(secret) > _BLOCK else secret).ljust(_BLOCK, b"\0")
    inner = hashlib.sha256(key.translate(_IPAD))
    inner.update(DOMAIN)
    return inner, hashlib.sha256(key.translate(_OPAD))
