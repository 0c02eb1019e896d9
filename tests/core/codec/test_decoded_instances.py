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


def _variants():
    """Payloads with our GUID whose implied fields take edge values, written by the encoder."""
    from pos.core.codec import PayloadError, emv, signing

    base = signing._objects(REQUEST, "k1")
    base["80"]["04"] = "A" * 22
    edits = [
        ("52", "0000"), ("52", "9999"), ("58", "KH"), ("58", "US"), ("61", "~"), ("61", " " * 10),
        ("61", "!" * 10), ("54", "1"), ("54", "000000000001"), ("54", "1."), ("53", "840"), ("53", "156"),
        ("64", {"00": "JA", "01": "x"}), ("64", {"00": "zh", "01": "名" * 25, "02": "东" * 15}),
        ("64", {"00": "Ja", "01": "\u00a0 \u3000"}), ("62", {"01": " ", "05": "~" * 25, "07": "a" * 25}),
        ("80", {"00": "app.qrpos", "01": "r", "02": "0", "03": "k1", "04": "_" * 22}),
        ("80", {"00": "app.qrpos", "01": "r", "02": "9999999999", "03": "k1", "04": "-" * 22}),
    ]
    for tag, value in edits:
        objects = dict(base)
        if tag == "54":
            objects["53"] = "840" if "." in value else objects["53"]
        objects[tag] = value
        try:
            yield emv.encode(objects)
        except PayloadError:  # a variant the EMV rules refuse has nothing to prove
            continue


def test_every_rule_a_read_leaves_to_the_emv_rules_holds_for_what_it_reads():
    from pos.core.codec import emv, request_rules, signing

    read = 0
    for payload in _variants():
        code = emv.decode(payload)
        if code.scheme != "qrpos" or signing.profile_problem(code) is not None:
            continue
        request = signing._request(code.objects, code.templates)
        request_rules.check(request, code.templates["80"]["03"])  # every rule, none skipped
        read += 1
    assert read >= 12
