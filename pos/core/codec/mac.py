"""The signature of our requests: HMAC-SHA256 (RFC 2104) over a domain line and the canonical text,
truncated to 16 bytes and written in unpadded base64url (22 characters).

The keyed HMAC object (key setup and the domain line) is made once per secret by the standard
library and copied for each message: the key setup is cached, never a signature. hmac.digest would
redo the key setup on every call, which costs more than the hashing itself for a payload this short.
A test checks the result against hmac.digest for keys shorter than, as long as and longer than
SHA-256's block.
"""

from __future__ import annotations

import hashlib
import hmac
from binascii import b2a_base64

DOMAIN = b"qrpos-request-v1\n"
SIGNATURE_BYTES = 16
#: base64url without padding, and + / turned into - _
_URLSAFE = bytes.maketrans(b"+/", b"-_")
#: secret -> HMAC keyed with it, fed the domain line; a handful of keys in practice, emptied rather
#: than grown past _PREPARED_MAX (secrets read from a misbehaving source). Only immutable bytes are
#: kept: a bytearray secret may change after the call.
_prepared: dict[bytes, hmac.HMAC] = {}
_PREPARED_MAX = 64


def signature(canonical: str, secret: bytes) -> str:
    """The 22-character signature of ``canonical`` under ``secret``."""
    keyed = _prepared.get(secret) if type(secret) is bytes else None
    if keyed is None:
        keyed = hmac.new(secret, DOMAIN, hashlib.sha256)
        if type(secret) is bytes:
            if len(_prepared) >= _PREPARED_MAX:
                _prepared.clear()
            _prepared[secret] = keyed
    mac = keyed.copy()
    mac.update(canonical.encode("utf-8"))
    digest = mac.digest()
    # base64 of 16 bytes is 22 characters and "=="; binascii spares base64's Python layers
    return b2a_base64(digest[:SIGNATURE_BYTES], newline=False)[:22].translate(_URLSAFE).decode("ascii")
