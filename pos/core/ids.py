"""Identifiers and secrets: random by default, reproducible from a seed in tests and demos."""

from __future__ import annotations

import random
import secrets
import threading

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U


class IdGenerator:
    """``new("pay")`` -> "pay_7QK2M9..."; seeded generators repeat their sequence exactly."""

    def __init__(self, seed: int | None = None):
        self._rng = random.Random(seed) if seed is not None else secrets.SystemRandom()
        self._lock = threading.Lock()

    def token(self, n: int) -> str:
        with self._lock:
            return "".join(self._rng.choice(_ALPHABET) for _ in range(n))

    def new(self, prefix: str, n: int = 16) -> str:
        return f"{prefix}_{self.token(n)}"

    def digits(self, n: int) -> str:
        with self._lock:
            return "".join(self._rng.choice("0123456789") for _ in range(n))

    def secret_hex(self, nbytes: int = 32) -> str:
        with self._lock:
            return "".join(f"{self._rng.randrange(256):02x}" for _ in range(nbytes))
