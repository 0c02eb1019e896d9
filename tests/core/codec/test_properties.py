"""Property-based tests: random valid field sets round-trip; the decoder only ever raises
PayloadError, whatever it is given."""

import string

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pos.core.codec import (
    PayloadError,
    PayloadStructureError,
    RequestPayload,
    build_signed_request,
    decode,
    encode,
    inspect_payload,
    read_signed_request,
    tlv,
)
from pos.core.codec.crc import crc16
from pos.core.codec.iso import COUNTRIES
from pos.core.codec.values import minor_to_amount
from pos.core.money import CURRENCIES

from .vectors import EMVCO_SPEC_EXAMPLE, REAL_WORLD

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# printable text of any script (kana, kanji, Thai, Latin...), no control characters or surrogates
WORLD_TEXT = st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn"))
ASCII = st.sampled_from(string.ascii_letters + string.digits + " .-_*")


def text(alphabet, lo, hi):
    return st.text(alphabet, min_size=lo, max_size=hi).filter(lambda s: s.strip() == s and s)


@st.composite
def field_sets(draw):
    currency = draw(st.sampled_from(sorted(CURRENCIES)))
    numeric, exponent = CURRENCIES[currency]
    guid = draw(st.sampled_from(["com.example.pay", "D15600000000", "A0000001234", "org.test"]))
    account = {"00": guid}
    for sub in draw(st.sets(st.sampled_from(["01", "02", "03", "05"]), max_size=2)):
        account[sub] = draw(text(ASCII, 1, 20))
    objects = {
        "01": draw(st.sampled_from(["11", "12"])),
        draw(st.sampled_from(["26", "29", "31", "45", "51"])): account,
        "52": draw(st.from_regex(r"\A[0-9]{4}\Z")),
        "53": numeric,
        "58": draw(st.sampled_from(sorted(COUNTRIES - {"KH"}))),  # KH with an @ GUID would be KHQR
        "59": draw(text(WORLD_TEXT, 1, 25)),
        "60": draw(text(WORLD_TEXT, 1, 15)),
    }
    if draw(st.booleans()):
        objects["54"] = minor_to_amount(draw(st.integers(1, 10**9)), exponent)
    if draw(st.booleans()):
        objects["02"] = draw(st.from_regex(r"\A[0-9]{8,16}\Z"))
    if draw(st.booleans()):
        objects["61"] = draw(text(ASCII, 1, 10))
    if draw(st.booleans()):
        subs = draw(st.sets(st.sampled_from(["01", "02", "03", "05", "07", "08"]), min_size=1, max_size=3))
        objects["62"] = {sub: draw(text(ASCII, 1, 25)) for sub in subs}
    if draw(st.booleans()):
        objects["64"] = {"00": draw(st.sampled_from(["ja", "ZH", "th", "KO"])),
                         "01": draw(text(WORLD_TEXT, 1, 25))}
        if draw(st.booleans()):
            objects["64"]["02"] = draw(text(WORLD_TEXT, 1, 15))
    if draw(st.booleans()):
        objects[draw(st.sampled_from(["80", "91", "99"]))] = {
            "00": "com.example.extra", "01": draw(text(ASCII, 1, 30))}
    if draw(st.booleans()):
        objects["55"] = "01"
    return objects


def as_objects(code):
    return {t: code.templates.get(t, v) for t, v in code.objects.items() if t != "63"}


@SETTINGS
@given(field_sets())
def test_a_random_valid_field_set_encodes_and_decodes_to_itself(objects):
    payload = encode(objects)
    assert len(payload) <= 512
    code = decode(payload)
    assert as_objects(code) == {"00": "01", **objects}
    assert code.scheme == "emvco"
    assert inspect_payload(payload)["ok"]


@SETTINGS
@given(field_sets(), st.sampled_from(["65", "70", "79"]), text(ASCII, 1, 20))
def test_reserved_objects_are_kept_and_flagged_when_read(objects, tag, value):
    body = encode(objects)[:-8] + tlv.encode_one(tag, value) + "6304"
    assume(len(body) + 4 <= 512)
    code = decode(body + crc16(body))
    assert code.fields()["rfu"] == {tag: value}
    assert code.warnings


VALID = [payload for _, payload, _ in REAL_WORLD]


def _check_decoder(payload):
    try:
        decode(payload)
    except PayloadError:
        pass
    result = inspect_payload(payload)
    assert set(result) in ({"ok", "scheme", "fields"}, {"ok", "error"})


@SETTINGS
@given(st.text(max_size=600))
def test_the_decoder_raises_only_payload_errors_on_any_text(payload):
    _check_decoder(payload)


@SETTINGS
@given(st.sampled_from(VALID), st.integers(0, 600), st.integers(0, 600), st.text(max_size=6))
def test_the_decoder_raises_only_payload_errors_on_damaged_codes(payload, start, length, insert):
    start %= len(payload) + 1
    _check_decoder(payload[:start] + insert + payload[start + length % 8:])


@SETTINGS
@given(st.sampled_from(VALID), st.integers(0, 600), st.sampled_from(list("0123456789A9")))
def test_a_single_changed_character_never_passes_unnoticed_as_the_same_code(payload, at, char):
    at %= len(payload) - 4
    damaged = payload[:at] + char + payload[at + 1:]
    assume(damaged != payload)
    result = inspect_payload(damaged)
    assert not result["ok"] or result["fields"] != inspect_payload(payload)["fields"]


@SETTINGS
@given(st.binary(max_size=200))
def test_the_decoder_survives_bytes_decoded_leniently(data):
    _check_decoder(data.decode("utf-8", errors="replace"))
    _check_decoder(data.decode("latin-1"))


def test_non_text_input_is_a_payload_error():
    for value in (None, 42, b"000201", ["00"]):
        assert inspect_payload(value)["ok"] is False
        try:
            decode(value)
        except PayloadError:
            pass


@st.composite
def requests(draw):
    currency = draw(st.sampled_from(sorted(CURRENCIES)))
    local = draw(st.booleans())
    dynamic = draw(st.booleans())
    return RequestPayload(
        request_id=draw(st.from_regex(r"\A[A-Za-z0-9_]{1,25}\Z")),
        merchant_id=draw(st.from_regex(r"\A[A-Za-z0-9_]{1,20}\Z")),
        terminal_id=draw(st.from_regex(r"\A[A-Za-z0-9_]{1,16}\Z")),
        mcc=draw(st.from_regex(r"\A[0-9]{4}\Z")),
        currency=currency,
        amount_minor=draw(st.integers(1, 10**10)) if dynamic else None,
        country=draw(st.sampled_from(["JP", "CN", "TW", "HK", "US"])),
        merchant_name=draw(text(ASCII, 1, 25)),
        merchant_city=draw(text(ASCII, 1, 15)),
        postal_code=draw(st.none() | text(ASCII, 1, 10)),
        name_local=draw(text(WORLD_TEXT, 1, 25)) if local else None,
        city_local=draw(st.none() | text(WORLD_TEXT, 1, 15)) if local else None,
        language=draw(st.sampled_from(["ja", "zh"])) if local else None,
        bill_number=draw(st.none() | text(ASCII, 1, 25)),
        reference=draw(st.none() | text(ASCII, 1, 25)),
        terminal_label=draw(st.none() | text(ASCII, 1, 25)),
        expires_at=draw(st.none() | st.integers(0, 9_999_999_999)),
    )


@SETTINGS
@given(requests(), st.binary(min_size=1, max_size=64))
def test_every_terminal_request_round_trips(request, secret):
    payload = build_signed_request(request, key_id="k1", secret=secret)
    assert len(payload) <= 512
    assert read_signed_request(payload, {"k1": secret}) == request


@SETTINGS
@given(requests(), st.sampled_from(["k1", "k.2", "key_3-x"]))
def test_the_canonical_text_cut_from_a_payload_is_the_one_rebuilt_object_by_object(request, key_id):
    from pos.core.codec.signing import _canonical, _cut_as_written, _unsigned

    code = decode(build_signed_request(request, key_id=key_id, secret=b"s"))
    cut = _cut_as_written(code.raw, code.objects, code.templates)
    assert cut == _canonical(_unsigned(code.objects, code.templates))
    # an object after the unreserved template (written by someone else: the signature then fails)
    objects = {t: code.templates.get(t, v) for t, v in code.objects.items() if t != "63"}
    body = tlv.encode([*objects.items(), ("81", {"00": "org.example", "01": "x"})]) + "6304"
    assume(len(body) + 4 <= 512)
    extended = decode(body + crc16(body))
    assert _cut_as_written(extended.raw, extended.objects, extended.templates) == _canonical(
        _unsigned(extended.objects, extended.templates)
    )


def test_the_spec_example_is_among_the_damaged_code_seeds():
    assert EMVCO_SPEC_EXAMPLE in VALID


# TLV-like text: mostly well-formed objects, with now and then a bad header, a repeated ID or a cut
TLV_PIECES = st.one_of(
    st.tuples(st.sampled_from(["00", "01", "26", "62", "80", "99"]), text(WORLD_TEXT, 1, 12)).map(
        lambda pair: tlv.encode_one(*pair)),
    st.sampled_from(["0100", "0x01a", "58", "5805AB", "1a02ab", "63041234"]),
)


@SETTINGS
@given(st.lists(TLV_PIECES, max_size=8))
def test_tlv_parsing_splits_well_formed_text_and_says_why_it_refuses_the_rest(pieces):
    """The splitter's quick loop and its precise walk of refused text agree: either every object
    comes back and writes the text again, or a structure error names an object and an offset."""
    text = "".join(pieces)
    try:
        objects = tlv.parse(text, 7, "62.")
    except PayloadStructureError as exc:
        assert exc.code in ("PAYLOAD_TRUNCATED", "PAYLOAD_BAD_TLV", "PAYLOAD_BAD_LENGTH", "PAYLOAD_DUPLICATE_OBJECT")
        assert "offset" in exc.message
    else:
        assert tlv.encode(objects.items()) == text
