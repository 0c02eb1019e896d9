"""What decode and read_signed_request return equals what the classes' own constructors make:
the decoder fills its frozen instances through their slots, so these pin that it fills them all."""

from __future__ import annotations

import dataclasses

import pytest

from pos.core.codec import EmvPayload, RequestPayload, build_signed_request, decode, read_signed_request

REQUEST = RequestPayload("pr_1", "m_1", "t_1", "5812", "JPY", 1200, "JP", "RAMEN", "TOKYO", "1500002",
                         "渋谷ラーメン", "東京", "ja", "INV-1", "ORDER-1", "COUNTER-1", 1767225600)


def test_a_decoded_payload_equals_the_one_its_constructor_makes_from_the_same_parts():
    payload = build_signed_request(REQUEST, key_id="k1", secret=b"s")
    code = decode(payload)
    assert code == EmvPayload(payload, "qrpos", dict(code.objects), dict(code.templates), code.warnings)


def test_a_read_request_equals_hashes_like_and_is_as_frozen_as_the_one_that_was_signed():
    read = read_signed_request(build_signed_request(REQUEST, key_id="k1", secret=b"s"), {"k1": b"s"})
    assert read == REQUEST and hash(read) == hash(REQUEST)
    assert dataclasses.asdict(read) == dataclasses.asdict(REQUEST)
    with pytest.raises(dataclasses.FrozenInstanceError):
        read.mcc = "0000"  # type: ignore[misc]
