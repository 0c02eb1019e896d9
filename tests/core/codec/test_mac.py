"""The request signature with prepared key pads equals HMAC-SHA256 by the standard library."""

from __future__ import annotations

import hmac
from base64 import urlsafe_b64encode

import pytest

from pos.core.codec import mac


def _expected(canonical: str, secret: bytes) -> str:
    digest = hmac.digest(secret, mac.DOMAIN + canonical.encode("utf-8"), "sha256")
    return urlsafe_b64encode(digest[: mac.SIGNATURE_BYTES]).decode("ascii").rstrip("=")


@pytest.mark.parametrize("length", [0, 1, 16, 63, 64, 65, 200])
def test_signature_matches_hmac_sha256_for_keys_of_every_length_first_and_later_calls(length):
    secret = bytes((7 * i + length) % 256 for i in range(length))
    for canonical in ("000201", "0002015303392渋谷", "", "x" * 500, "000201"):
        assert mac.signature(canonical, secret) == _expected(canonical, secret)


def test_a_secret_that_is_not_bytes_is_signed_like_hmac_digest_signs_it_and_never_prepared():
    secret = bytearray(b"rotating secret")
    assert mac.signature("000201", secret) == _expected("000201", bytes(secret))  # type: ignore[arg-type]
    secret[0] ^= 1
    assert mac.signature("000201", secret) == _expected("000201", bytes(secret))  # type: ignore[arg-type]


def test_the_prepared_keys_stay_bounded_however_many_secrets_are_used():
    for i in range(3 * mac._PREPARED_MAX):
        secret = f"secret {i}".encode()
        assert mac.signature("000201", secret) == _expected("000201", secret)
    assert len(mac._prepared) <= mac._PREPARED_MAX

