"""The signature of our requests: HMAC-SHA256 (RFC 2104) over a domain line and the canonical text,
truncated to 16 bytes and written in unpadded base64url (22 characters).

HMAC hashes the key's inner and outer pads before any message byte. Those two SHA-256 states, and
the inner one's domain line, are prepared once per secret and copied for each message: the key setup
is cached, never a signature. hmac.digest would redo it (and look up "sha256" in OpenSSL) on every
call, which cost more than the hashing itself for a payload this short. A test checks the result
against hmac.digest for keys shorter than, as long as and longer than SHA-256's block.
"""

from __future__ import annotations

import hashlib
import hmac
from binascii import b2a_base64

DOMAIN = b"qrpos-request-v1\n"
SIGNATURE_BYTES = 16
_BLOCK = 64  # SHA-256's block size: longer keys are hashed first, shorter ones padded with zeros
_INNER_PAD = bytes(b ^ 0x36 for b in range(256))
_OUTER_PAD = bytes(b ^ 0x5C for b in range(256))
#: base64url without padding, and + / turned into - _
_URLSAFE = bytes.maketrans(b"+/", b"-_")
#: secret -> (inner state after the domain line, outer state); a handful of keys in practice,
#: emptied rather than grown past _PREPARED_MAX (secrets read from a misbehaving source)
_prepared: dict[bytes, tuple[hashlib._Hash, hashlib._Hash]] = {}
_PREPARED_MAX = 64


def signature(canonical: str, secret: bytes) -> str:
    """The 22-character signature of ``canonical`` under ``secret``."""
    pads = _prepared.get(secret) if type(secret) is bytes else None
    if pads is None:
        digest = _digest_once(canonical, secret)
    else:
        inner = pads[0].copy()
        inner.update(canonical.encode("utf-8"))
        outer = pads[1].copy()
        outer.update(inner.digest())
        digest = outer.digest()
    # base64 of 16 bytes is 22 characters and "=="; binascii spares base64's Python layers
    return b2a_base64(digest[:SIGNATURE_BYTES], newline=False)[:22].translate(_URLSAFE).decode("ascii")


def _digest_once(canonical: str, secret: bytes) -> bytes:
    """The digest by hmac.digest, preparing ``secret``'s pads for the next call when it is bytes."""
    digest = hmac.digest(secret, DOMAIN + canonical.encode("utf-8"), "sha256")
    if type(secret) is bytes:
        key = (hashlib.sha256(secret).digest() if len(secret) > _BLOCK else secret).ljust(_BLOCK, b"\0")
        inner = hashlib.sha256(key.translate(_INNER_PAD))
        inner.update(DOMAIN)
        if len(_prepared) >= _PREPARED_MAX:
            _prepared.clear()
        _prepared[secret] = (inner, hashlib.sha256(key.translate(_OUTER_PAD)))
    return digest
