"""Identifiers and secrets: random by default, reproducible from a seed in tests and demos."""

from __future__ import annotations

import os
import random
import threading

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U
_DIGITS = "0123456789"


class IdGenerator:
    """``new("pay")`` -> "pay_7QK2M9..."; seeded generators repeat their sequence exactly.

    Unseeded ids draw from ``os.urandom``: 32 symbols divide 256, so ``byte & 31`` is uniform.
    """

    def __init__(self, seed: int | None = None):
        self._rng = random.Random(seed) if seed is not None else None
        self._lock = threading.Lock()

    def _bytes(self, n: int) -> bytes:
        if self._rng is None:
            return os.urandom(n)
        with self._lock:
            return self._rng.randbytes(n)

    def token(self, n: int) -> str:
        return "".join(_ALPHABET[b & 31] for b in self._bytes(n))

    def new(self, prefix: str, n: int = 16) -> str:
        return f"{prefix}_{self.token(n)}"

    def digits(self, n: int) -> str:
        out: list[str] = []
        while len(out) < n:  # rejection sampling keeps digits uniform (250 = 25 x 10)
            out.extend(_DIGITS[b % 10] for b in self._bytes(n) if b < 250)
        return "".join(out[:n])

    def secret_hex(self, nbytes: int = 32) -> str:
        return self._bytes(nbytes).hex()
