"""PIN and API-key hashing with the standard library (scrypt, SHA-256) and constant-time checks."""

from __future__ import annotations

import hashlib
import hmac
import os


def hash_pin(pin: str, n: int = 2**14) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=n, r=8, p=1, dklen=32)
    return f"scrypt${n}${salt.hex()}${digest.hex()}"


def check_pin(pin: str, stored: str) -> bool:
    try:
        _, n, salt, digest = stored.split("$")
        actual = hashlib.scrypt(pin.encode(), salt=bytes.fromhex(salt), n=int(n), r=8, p=1, dklen=32)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual.hex(), digest)


def hash_api_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()
