"""Our signed payment requests round-trip, and altering any part of one is caught."""

import dataclasses

import pytest

from pos.core.codec import (
    NotQrpos,
    PayloadError,
    RequestPayload,
    SignatureInvalid,
    build_signed_request,
    decode,
    encode,
    inspect_payload,
    read_signed_request,
)
from pos.core.codec.crc import crc16

from .vectors import REAL_WORLD

KEYS = {"k1": b"terminal secret one", "k2": b"terminal secret two"}

RAMEN = RequestPayload(
    request_id="pr_7QK2xw9F3mZ", merchant_id="m_shibuya_ramen", terminal_id="t_01",
    mcc="5812", currency="JPY", amount_minor=1200, country="JP",
    merchant_name="SHIBUYA RAMEN", merchant_city="TOKYO", postal_code="1500002",
    name_local="渋谷ラーメン", city_local="東京都渋谷区", language="ja",
    bill_number="INV-2031", reference="ORDER-88", terminal_label="COUNTER-1",
    expires_at=1767225600,
)
STATIC = RequestPayload(
    request_id="st_counter1", merchant_id="m_tea", terminal_id="t_02", mcc="5814",
    currency="CNY", amount_minor=None, country="CN", merchant_name="TEA HOUSE",
    merchant_city="SHANGHAI", postal_code=None, name_local="茶馆", city_local=None,
    language="zh", bill_number=None, reference=None, terminal_label=None, expires_at=None,
)


def test_a_dynamic_request_round_trips():
    payload = build_signed_request(RAMEN, key_id="k1", secret=KEYS["k1"])
    assert len(payload) < 300
    assert read_signed_request(payload, KEYS) == RAMEN
    assert inspect_payload(payload)["scheme"] == "qrpos"


def test_a_static_merchant_code_has_no_amount_and_initiation_11():
    payload = build_signed_request(STATIC, key_id="k2", secret=KEYS["k2"])
    code = decode(payload)
    assert code.objects["01"] == "11" and "54" not in code.objects
    assert read_signed_request(payload, KEYS) == STATIC


def test_two_decimal_amounts_are_exact_minor_units():
    p = dataclasses.replace(STATIC, amount_minor=8880, request_id="pr_cny")
    payload = build_signed_request(p, key_id="k1", secret=KEYS["k1"])
    assert decode(payload).amount == "88.80"
    assert read_signed_request(payload, KEYS).amount_minor == 8880


def _variants(payload: str):
    """Every way of altering one object or sub-object's value while keeping a valid CRC."""
    code = decode(payload)
    for tag, value in code.objects.items():
        if tag == "63":
            continue
        if tag in code.templates:
            for sub, subvalue in code.templates[tag].items():
                objects = {t: dict(code.templates.get(t, {})) or v for t, v in code.objects.items()}
                objects[tag][sub] = _change(subvalue)
                yield f"{tag}.{sub}", objects
        else:
            objects = {t: dict(code.templates.get(t, {})) or v for t, v in code.objects.items()}
            objects[tag] = _change(value)
            yield tag, objects


def _change(value: str) -> str:
    if value.isdigit():
        return str(int(value) + 1).rjust(len(value), "0")
    return value[:-1] + ("X" if value[-1] != "X" else "Y")


def _write(objects) -> str:
    """Encode without validation, with a correct CRC, so only the signature can catch it."""
    from pos.core.codec import tlv

    rest = [(t, v) for t, v in objects.items() if t not in ("00", "63")]
    body = tlv.encode([("00", objects["00"]), *rest]) + "6304"
    return body + crc16(body)


def test_altering_any_field_of_a_signed_request_is_caught():
    payload = build_signed_request(RAMEN, key_id="k1", secret=KEYS["k1"])
    checked = 0
    for where, objects in _variants(payload):
        altered = _write(objects)
        assert altered != payload
        with pytest.raises(PayloadError) as caught:
            read_signed_request(altered, KEYS)
        assert caught.value.code != "PAYLOAD_CRC_MISMATCH", where
        checked += 1
    assert checked >= 20


def test_adding_or_removing_an_object_is_caught():
    payload = build_signed_request(RAMEN, key_id="k1", secret=KEYS["k1"])
    code = decode(payload)
    objects = {t: dict(code.templates.get(t, {})) or v for t, v in code.objects.items()}
    with_tip = dict(objects, **{"55": "01"})
    without_postcode = {t: v for t, v in objects.items() if t != "61"}
    for altered in (_write(with_tip), _write(without_postcode)):
        with pytest.raises(SignatureInvalid):
            read_signed_request(altered, KEYS)


def test_a_request_rewritten_in_another_order_still_verifies():
    """The signature covers the objects, not their order: a reader that rewrites the payload with
    its IDs and sub-IDs in another order (and a new CRC) keeps a valid request."""
    from pos.core.codec.signing import _canonical, _cut_as_written, _unsigned

    payload = build_signed_request(RAMEN, key_id="k1", secret=KEYS["k1"])
    code = decode(payload)
    objects = {t: dict(code.templates.get(t, {})) or v for t, v in code.objects.items() if t != "63"}
    reordered = {t: (dict(reversed(v.items())) if isinstance(v, dict) else v) for t, v in reversed(objects.items())}
    rewritten = _write({"00": "01", **reordered})
    assert rewritten != payload
    code = decode(rewritten)
    cut = _cut_as_written(code.raw, code.objects, code.templates)
    assert cut != _canonical(_unsigned(code.objects, code.templates))  # so the canonical text is rebuilt
    assert read_signed_request(rewritten, KEYS) == RAMEN


@pytest.mark.parametrize("position", [0, 1, 2])
def test_the_signature_may_sit_anywhere_in_its_template(position):
    """Cut out from wherever it is, 80.04 leaves the objects that were signed."""
    payload = build_signed_request(RAMEN, key_id="k1", secret=KEYS["k1"])
    code = decode(payload)
    objects = {t: dict(code.templates.get(t, {})) or v for t, v in code.objects.items() if t != "63"}
    unreserved = [(k, v) for k, v in objects["80"].items() if k != "04"]
    unreserved.insert(position, ("04", objects["80"]["04"]))
    rewritten = _write({**objects, "80": dict(unreserved)})
    assert read_signed_request(rewritten, KEYS) == RAMEN
    tampered = _write({**objects, "80": dict(unreserved), "59": "RAMEN SHOP"})
    with pytest.raises(SignatureInvalid):
        read_signed_request(tampered, KEYS)


def test_a_signature_with_an_unknown_key_or_wrong_secret_is_refused():
    payload = build_signed_request(RAMEN, key_id="k9", secret=b"someone else")
    with pytest.raises(SignatureInvalid, match="unknown"):
        read_signed_request(payload, KEYS)
    forged = build_signed_request(RAMEN, key_id="k1", secret=b"a guess")
    with pytest.raises(SignatureInvalid, match="does not match"):
        read_signed_request(forged, KEYS)


def test_a_valid_code_of_another_scheme_is_not_ours():
    with pytest.raises(NotQrpos) as caught:
        read_signed_request(REAL_WORLD[5][1], KEYS)
    assert caught.value.code == "PAYLOAD_NOT_QRPOS"
    assert "PromptPay" in caught.value.message


def test_inspect_checks_our_signature_when_given_keys():
    payload = build_signed_request(RAMEN, key_id="k1", secret=KEYS["k1"])
    assert inspect_payload(payload, KEYS)["ok"]
    wrong = inspect_payload(payload, {"k1": b"nope"})
    assert wrong["error"]["code"] == "PAYLOAD_SIGNATURE_INVALID"


@pytest.mark.parametrize("change", [
    {"request_id": "has space"}, {"request_id": "x" * 26}, {"merchant_id": "m" * 21},
    {"terminal_id": ""}, {"mcc": "58"}, {"currency": "XXX"}, {"amount_minor": 0},
    {"amount_minor": -5}, {"amount_minor": 12.5}, {"country": "jp"},
    {"merchant_name": "渋谷ラーメン"}, {"merchant_city": "A" * 16}, {"language": None},
    {"name_local": "名" * 26}, {"expires_at": -1},
])
def test_a_request_that_does_not_fit_the_profile_is_refused(change):
    with pytest.raises(PayloadError):
        build_signed_request(dataclasses.replace(RAMEN, **change), key_id="k1", secret=b"s")


def test_a_bad_key_id_is_refused():
    with pytest.raises(PayloadError):
        build_signed_request(RAMEN, key_id="much-too-long-key", secret=b"s")


def test_the_encoder_never_writes_reserved_objects():
    with pytest.raises(PayloadError) as caught:
        encode({"26": {"00": "x.y"}, "52": "5812", "53": "392", "58": "JP", "59": "A",
                "60": "B", "70": "rfu"})
    assert caught.value.code == "PAYLOAD_RESERVED_OBJECT"


def test_the_documented_example_still_decodes():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[3] / "docs" / "payload-profile.md").read_text("utf-8")
    example = doc.split("<!-- example -->")[1].strip().strip("`").strip()
    assert read_signed_request(example, {"demo": b"demo-secret"}) == RAMEN
