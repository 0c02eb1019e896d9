"""Real-world codes of every scheme decode; malformed ones are refused with a precise message."""

import pytest

from pos.core.codec import PayloadError, classify, decode, inspect_payload
from pos.core.codec.crc import crc16

from .vectors import EMVCO_SPEC_EXAMPLE, MALFORMED, NON_EMV, REAL_WORLD


def test_there_are_enough_vectors_and_every_flaw_is_different():
    assert len(REAL_WORLD) >= 30
    assert len(MALFORMED) >= 30
    assert len({flaw for _, _, flaw in MALFORMED}) == len(MALFORMED)
    assert {scheme for scheme, _, _ in REAL_WORLD} >= {
        "emvco", "jpqr", "promptpay", "pix", "paynow", "sgqr", "qris", "duitnow", "vietqr", "khqr"}


@pytest.mark.parametrize("scheme,payload,source", REAL_WORLD, ids=[s for _, _, s in REAL_WORLD])
def test_a_real_world_code_decodes_to_its_scheme(scheme, payload, source):
    assert crc16(payload[:-4]) == payload[-4:].upper(), source
    result = inspect_payload(payload)
    assert result["ok"], result
    assert result["scheme"] == scheme
    fields = result["fields"]
    assert fields["crc"] == payload[-4:]
    assert "" not in fields.values()
    assert decode(payload).raw == payload


@pytest.mark.parametrize("code,payload,flaw", MALFORMED, ids=[f for _, _, f in MALFORMED])
def test_a_malformed_payload_is_refused_with_its_code(code, payload, flaw):
    result = inspect_payload(payload)
    assert result == {"ok": False, "error": {"code": code, "message": result["error"]["message"]}}
    assert result["error"]["message"]
    with pytest.raises(PayloadError) as caught:
        decode(payload)
    assert caught.value.code == code


@pytest.mark.parametrize("scheme,text,source", NON_EMV, ids=[s for _, _, s in NON_EMV])
def test_a_non_emv_payment_string_is_classified(scheme, text, source):
    result = inspect_payload(text)
    assert result["ok"] and result["scheme"] == scheme
    assert classify(text)[0] == scheme


@pytest.mark.parametrize("text", [
    "hello world", "https://example.com/pay?amount=1", "1234567890", "999999999999999999",
    "BCD\n001\n1\nXYZ\n", "aGVsbG8gd29ybGQ=", "WIFI:S:cafe;T:WPA;P:secret;;",
])
def test_anything_else_is_unknown_and_no_provider_is_guessed(text):
    assert inspect_payload(text) == {"ok": True, "scheme": "unknown", "fields": {}}


def test_the_emvco_specification_example_decodes_field_by_field():
    result = inspect_payload(EMVCO_SPEC_EXAMPLE)
    assert result == {"ok": True, "scheme": "emvco", "fields": {
        "payload_format": "01",
        "initiation": "dynamic",
        "merchant_account": {
            "29": {"00": "D15600000000", "05": "A93FO3230Q"},
            "31": {"00": "D15600000001", "03": "12345678"},
        },
        "mcc": "4111",
        "currency": "156",
        "amount": "23.72",
        "country": "CN",
        "merchant_name": "BEST TRANSPORT",
        "merchant_city": "BEIJING",
        "postal_code": None,
        "additional": {"03": "1234", "06": "***", "07": "A6008667", "09": "ME"},
        "merchant_info_language": {"00": "ZH", "01": "最佳运输", "02": "北京"},
        "unreserved": {"91": {"00": "A011223344998877", "07": "12345678"}},
        "rfu": None,
        "tip_indicator": "01",
        "convenience_fee_fixed": None,
        "convenience_fee_percentage": None,
        "crc": "A13A",
    }}


def test_the_crc_is_compared_case_insensitively():
    lower = EMVCO_SPEC_EXAMPLE[:-4] + "a13a"
    assert inspect_payload(lower)["fields"]["crc"] == "a13a"


def test_duitnow_may_write_format_indicator_02_and_a_scalar_in_82():
    duitnow = [p for s, p, _ in REAL_WORLD if s == "duitnow"]
    assert all(p.startswith("000202") or p.startswith("000201") for p in duitnow)
    code = decode(duitnow[-1])
    assert code.objects["00"] == "02"
    assert code.fields()["unreserved"] == {"82": "151624d4b83552c970df6f920824aaf4e04c86e9"}


def test_reserved_objects_are_kept_and_flagged():
    from .vectors import with_crc

    payload = with_crc(EMVCO_SPEC_EXAMPLE[:-8].replace("5802CN", "5802CN6703abc"))
    code = decode(payload)
    assert code.fields()["rfu"] == {"67": "abc"}
    assert code.warnings == ("object 67 is reserved for future use (RFU)",)


def test_a_10_kb_string_is_refused_at_once():
    import time

    started = time.perf_counter()
    result = inspect_payload("0002" + "01" * 5000)
    assert time.perf_counter() - started < 0.01
    assert result["error"]["code"] == "PAYLOAD_TOO_LONG"


def test_messages_name_the_problem_and_where():
    messages = {flaw: inspect_payload(p)["error"]["message"] for _, p, flaw in MALFORMED}
    assert messages["CRC off by one"] == "CRC mismatch: payload says A13B, computed A13A"
    assert messages["object 58 twice"] == "duplicate object 58 at offset 92"
    assert messages["missing 58 (country)"] == "missing mandatory object 58 (country)"
    assert messages["amount with a grouping comma"] == "amount '1,000' is not a valid EMV amount"
    assert messages["cut off in the middle of a value"] == (
        "object 60 declares 7 characters but only 6 remain at offset 114")
    assert messages["sub-object 62.07 twice"].startswith("duplicate object 62.07 at offset")
