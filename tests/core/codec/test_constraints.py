"""Every rule of the EMV MPM data object tables (v1.1) has a payload that breaks it and is refused
with the rule's typed error; every way real codes bend a rule that we accept has a payload that
shows it is still accepted. docs/payload-profile.md lists both, by the ids used here.

Each payload is the EMVCo specification's own example with one change and a correct CRC, so the
one broken rule is the only thing wrong with it.
"""

from pathlib import Path

import pytest

from pos.core.codec import (
    BadValue,
    CrcMismatch,
    MissingObject,
    PayloadStructureError,
    PayloadTooLong,
    decode,
    tlv,
)

from .vectors import EMVCO_SPEC_EXAMPLE, REAL_WORLD, with_crc

_SPEC = decode(EMVCO_SPEC_EXAMPLE)
#: the example as {ID: value or {sub-ID: value}}, in its own order, without the CRC
BASE = {t: dict(_SPEC.templates[t]) if t in _SPEC.templates else v for t, v in _SPEC.objects.items() if t != "63"}
_BODY = EMVCO_SPEC_EXAMPLE[:-8]


def emv(changes: dict | None = None, drop: tuple[str, ...] = (), **subs: dict) -> str:
    """The example with objects replaced, added or dropped, and ``t62={"09": "X"}`` style changes
    inside a template (None drops a sub-object); written as given, never through the encoder."""
    objects = {**BASE, **(changes or {})}
    for tag in drop:
        del objects[tag]
    for key, change in subs.items():
        sub = {**objects.get(key[1:], {}), **change}
        objects[key[1:]] = {k: v for k, v in sub.items() if v is not None}
    return with_crc(tlv.encode(objects.items()))


def raw(old: str, new: str) -> str:
    """The example's text with ``old`` replaced by ``new`` and a correct CRC: for broken structure."""
    assert old in _BODY, old
    return with_crc(_BODY.replace(old, new, 1))


B, M, S = BadValue, MissingObject, PayloadStructureError
AMOUNT, CURRENCY, FORMAT = "PAYLOAD_BAD_AMOUNT", "PAYLOAD_BAD_CURRENCY", "PAYLOAD_BAD_FORMAT"
VALUE, MISSING = "PAYLOAD_BAD_VALUE", "PAYLOAD_MISSING_OBJECT"

# (id, error class, code, payload); the id names the object and the rule
RULES: list[tuple[str, type, str, str]] = [
    # the payload and its data objects
    ("payload-at-most-512", PayloadTooLong, "PAYLOAD_TOO_LONG",
     emv({tag: {"00": "a.b", "01": "x" * 80} for tag in ("80", "81", "82", "83")})),
    ("payload-no-control-characters", S, "PAYLOAD_BAD_CHARACTER", raw("6007BEIJING", "6007BEI\tING")),
    ("payload-valid-unicode", S, "PAYLOAD_BAD_CHARACTER",  # a lone surrogate: no CRC can be computed
     _BODY.replace("6007BEIJING", "6007BEI\ud800ING") + "6304A13A"),
    ("id-two-digits", S, "PAYLOAD_BAD_TLV", raw("5802CN", "5802CNA102XY")),
    ("length-two-digits", S, "PAYLOAD_BAD_TLV", raw("5802CN", "58x2CN")),
    ("length-not-00", S, "PAYLOAD_BAD_LENGTH", raw("5802CN", "5802CN6100")),
    ("value-within-payload", S, "PAYLOAD_TRUNCATED", EMVCO_SPEC_EXAMPLE[:120]),
    ("id-once-per-level", S, "PAYLOAD_DUPLICATE_OBJECT", raw("5802CN", "5802CN5802CN")),
    ("sub-id-once-per-template", S, "PAYLOAD_DUPLICATE_OBJECT",
     raw("6233030412340603***0708A60086670902ME", "6239030412340603***0708A60086670902ME0702A6")),
    # 00, 01
    ("00-first", S, "PAYLOAD_NOT_EMV", with_crc(tlv.encode([("01", "12"), *((t, v) for t, v in BASE.items()
                                                                             if t not in ("00", "01"))]))),
    ("00-is-01", B, FORMAT, emv({"00": "02"})),
    ("00-two-digits", B, FORMAT, emv({"00": "1"})),
    ("01-11-or-12", B, VALUE, emv({"01": "13"})),
    # 02-51 merchant account information
    ("02-51-at-least-one", M, MISSING, emv(drop=("29", "31"))),
    ("02-25-ans", B, VALUE, emv({"04": "カード4111111111111111"})),
    ("26-51-tlv", S, "PAYLOAD_BAD_TLV", emv({"29": "ABCDE"})),
    ("26-51-guid-present", M, MISSING, emv(t29={"00": None})),
    ("26-51-guid-at-most-32", B, VALUE, emv(t29={"00": "com.example." + "x" * 21})),
    ("26-51-guid-ans", B, VALUE, emv(t29={"00": "cn.支付"})),
    # 52, 53
    ("52-mandatory", M, MISSING, emv(drop=("52",))),
    ("52-four-digits", B, VALUE, emv({"52": "41A1"})),
    ("52-not-three-digits", B, VALUE, emv({"52": "411"})),
    ("53-mandatory", M, MISSING, emv(drop=("53",))),
    ("53-three-digits", B, VALUE, emv({"53": "CNY"})),
    ("53-iso-4217", B, CURRENCY, emv({"53": "000"})),
    ("53-has-minor-units", B, CURRENCY, emv({"53": "959"})),
    # 54
    ("54-no-grouping", B, AMOUNT, emv({"54": "1,000"})),
    ("54-no-sign", B, AMOUNT, emv({"54": "-5.00"})),
    ("54-no-plus", B, AMOUNT, emv({"54": "+5.00"})),
    ("54-no-exponent", B, AMOUNT, emv({"54": "1e3"})),
    ("54-no-space", B, AMOUNT, emv({"54": "23 72"})),
    ("54-one-decimal-mark", B, AMOUNT, emv({"54": "1.2.34"})),
    ("54-integer-digits", B, AMOUNT, emv({"54": ".50"})),
    ("54-at-most-13", B, AMOUNT, emv({"54": "12345678901.00"})),
    ("54-decimals-of-currency", B, AMOUNT, emv({"54": "23.725"})),
    ("54-decimals-of-jpy", B, AMOUNT, emv({"54": "1200.5", "53": "392", "58": "JP"})),
    ("54-not-zero", B, AMOUNT, emv({"54": "0.00"})),
    # 55, 56, 57
    ("55-01-02-03", B, VALUE, emv({"55": "04"})),
    ("56-with-55-02", M, MISSING, emv({"55": "02"})),
    ("56-only-with-55-02", B, VALUE, emv({"56": "1.00"})),
    ("56-not-without-55", B, VALUE, emv({"56": "1.00"}, drop=("55",))),
    ("56-amount-format", B, AMOUNT, emv({"55": "02", "56": "1,00"})),
    ("56-at-most-13", B, AMOUNT, emv({"55": "02", "56": "12345678901.00"})),
    ("56-not-zero", B, AMOUNT, emv({"55": "02", "56": "0"})),
    ("57-with-55-03", M, MISSING, emv({"55": "03"})),
    ("57-only-with-55-03", B, VALUE, emv({"55": "02", "56": "1.00", "57": "5"})),
    ("57-not-without-55", B, VALUE, emv({"57": "5"}, drop=("55",))),
    ("57-at-most-99.99", B, AMOUNT, emv({"55": "03", "57": "150"})),
    ("57-at-least-00.01", B, AMOUNT, emv({"55": "03", "57": "00.00"})),
    ("57-two-decimals", B, AMOUNT, emv({"55": "03", "57": "5.125"})),
    ("57-digits", B, AMOUNT, emv({"55": "03", "57": "5%"})),
    # 58, 59, 60, 61
    ("58-mandatory", M, MISSING, emv(drop=("58",))),
    ("58-upper-case", B, VALUE, emv({"58": "cn"})),
    ("58-two-letters", B, VALUE, emv({"58": "CHN"})),
    ("58-iso-3166", B, VALUE, emv({"58": "ZZ"})),
    ("59-mandatory", M, MISSING, emv(drop=("59",))),
    ("59-at-most-25", B, VALUE, emv({"59": "BEST TRANSPORT COMPANY LTD"})),
    ("60-mandatory", M, MISSING, emv(drop=("60",))),
    ("60-at-most-15", B, VALUE, emv({"60": "BEIJING CHAOYANG"})),
    ("61-at-most-10", B, VALUE, emv({"61": "100020-0001"})),
    ("61-ans", B, VALUE, emv({"61": "〒100020"})),
    # 62 additional data
    ("62-tlv", S, "PAYLOAD_BAD_TLV", emv({"62": "ABCDE"})),
    *[(f"62.{sub}-at-most-25", B, VALUE, emv(t62={sub: "X" * 26})) for sub in ("01", "02", "03", "04", "05",
                                                                               "06", "07", "08")],
    *[(f"62.{sub}-ans", B, VALUE, emv(t62={sub: "請求書-1"})) for sub in ("01", "02", "03", "04", "05", "06",
                                                                       "07", "08")],
    ("62.09-a-m-e", B, VALUE, emv(t62={"09": "X"})),
    ("62.09-each-once", B, VALUE, emv(t62={"09": "MM"})),
    ("62.09-at-most-3", B, VALUE, emv(t62={"09": "AMEA"})),
    ("62.10-at-most-20", B, VALUE, emv(t62={"10": "1" * 21})),
    ("62.10-ans", B, VALUE, emv(t62={"10": "税号12345"})),
    ("62.11-three-characters", B, VALUE, emv(t62={"11": "12"})),
    ("62.11-not-four", B, VALUE, emv(t62={"11": "1234"})),
    ("62.11-ans", B, VALUE, emv(t62={"11": "一二三"})),
    ("62.50-99-tlv", S, "PAYLOAD_BAD_TLV", emv(t62={"50": "ABCDE"})),
    ("62.50-99-guid-present", M, MISSING, emv(t62={"50": "0103abc"})),
    ("62.50-99-guid-at-most-32", B, VALUE, emv(t62={"50": tlv.encode_one("00", "x" * 33)})),
    ("62.50-99-guid-ans", B, VALUE, emv(t62={"50": tlv.encode_one("00", "cn.支付")})),
    # 63
    ("63-mandatory", M, MISSING, _BODY),
    ("63-last", S, "PAYLOAD_BAD_ORDER", EMVCO_SPEC_EXAMPLE + "6102AB"),
    ("63-four-hex-digits", CrcMismatch, "PAYLOAD_BAD_CRC", _BODY + "6304A13G"),
    ("63-length-04", CrcMismatch, "PAYLOAD_BAD_CRC", _BODY + "6303A13"),
    ("63-matches-the-payload", CrcMismatch, "PAYLOAD_CRC_MISMATCH", EMVCO_SPEC_EXAMPLE[:-4] + "A13B"),
    # 64 merchant information, alternate language
    ("64-tlv", S, "PAYLOAD_BAD_TLV", emv({"64": "ABCDE"})),
    ("64.00-mandatory", M, MISSING, emv(t64={"00": None})),
    ("64.01-mandatory", M, MISSING, emv(t64={"01": None})),
    ("64.00-two-letters", B, VALUE, emv(t64={"00": "ZHO"})),
    ("64.00-iso-639-1", B, VALUE, emv(t64={"00": "XX"})),
    ("64.01-at-most-25", B, VALUE, emv(t64={"01": "最" * 26})),
    ("64.02-at-most-15", B, VALUE, emv(t64={"02": "北" * 16})),
    # 80-99 unreserved templates
    ("80-99-tlv", S, "PAYLOAD_BAD_TLV", emv({"91": "ABCDE"})),
    ("80-99-guid-present", M, MISSING, emv(t91={"00": None})),
    ("80-99-guid-at-most-32", B, VALUE, emv(t91={"00": "A0" * 17})),
    ("80-99-guid-ans", B, VALUE, emv(t91={"00": "cn.支付"})),
]


@pytest.mark.parametrize("rule,error,code,payload", RULES, ids=[rule for rule, *_ in RULES])
def test_a_payload_that_breaks_a_rule_is_refused_with_the_rules_typed_error(rule, error, code, payload):
    with pytest.raises(error) as caught:
        decode(payload)
    assert caught.value.code == code, caught.value.message
    assert caught.value.message


def _real(scheme: str, contains: str) -> str:
    return next(p for s, p, _ in REAL_WORLD if s == scheme and contains in p)


# (id, payload, what must hold of the decoded code) for the rules we bend, as real codes do
ACCEPTED: list[tuple[str, str, object]] = [
    ("59-60-any-script", emv({"59": "JOÃO & CIA", "60": "Maceió"}), lambda c: c.get("60") == "Maceió"),
    ("54-fewer-decimals", _real("paynow", "540450.0"), lambda c: c.amount == "50.0"),
    ("54-decimal-mark-alone", emv({"54": "98."}), lambda c: c.amount == "98."),
    ("52-any-four-digits", _real("pix", "52040000"), lambda c: c.get("52") == "0000"),
    ("64.00-any-case", emv(t64={"00": "zh"}), lambda c: c.templates["64"]["00"] == "zh"),
    ("guid-any-ans", _real("khqr", "abaakhppxxx@abaa"), lambda c: c.scheme == "khqr"),
    ("promptpay-omits-52-59-60", _real("promptpay", "5802TH5303764"), lambda c: "59" not in c.objects),
    ("vietqr-omits-52-59-60", _real("vietqr", "5802VN"), lambda c: "59" not in c.objects),
    ("duitnow-format-02-scalar-82", _real("duitnow", "8240"), lambda c: c.get("82") is not None),
    ("65-79-kept-and-flagged", emv({"67": "abc"}),
     lambda c: c.warnings == ("object 67 is reserved for future use (RFU)",)),
    ("62-reserved-sub-ids-kept-and-flagged", emv(t62={"00": "x", "12": "y"}),
     lambda c: c.warnings == ("object 62.00 is reserved for future use (RFU)",
                              "object 62.12 is reserved for future use (RFU)")),
    ("64-reserved-sub-ids-kept-and-flagged", emv(t64={"03": "z"}),
     lambda c: c.warnings == ("object 64.03 is reserved for future use (RFU)",)),
    ("62.09-any-order", emv(t62={"09": "EAM"}), lambda c: c.templates["62"]["09"] == "EAM"),
]


@pytest.mark.parametrize("rule,payload,holds", ACCEPTED, ids=[rule for rule, *_ in ACCEPTED])
def test_a_way_real_codes_bend_a_rule_is_accepted(rule, payload, holds):
    assert holds(decode(payload))


def test_a_payment_system_template_inside_62_with_its_guid_is_accepted():
    code = decode(emv(t62={"50": tlv.encode_one("00", "com.example") + tlv.encode_one("01", "x")}))
    assert code.templates["62"]["50"] == "0011com.example0101x" and code.warnings == ()


def test_the_payload_profile_document_lists_every_rule_and_every_accepted_deviation():
    doc = (Path(__file__).resolve().parents[3] / "docs" / "payload-profile.md").read_text("utf-8")
    listed = {line.split("`")[1] for line in doc.splitlines() if line.startswith("| `")}
    assert listed == {rule for rule, *_ in RULES} | {rule for rule, *_ in ACCEPTED}


def test_every_rule_id_is_used_once():
    ids = [rule for rule, *_ in RULES] + [rule for rule, *_ in ACCEPTED]
    assert len(ids) == len(set(ids))
