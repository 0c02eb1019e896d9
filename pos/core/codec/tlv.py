"""EMV QR data objects: ID (2 digits) + length (2 digits, counting code points) + value.

Parsing is one flat pass; a template is parsed again from its value only where the
specification says it is a template (see ``emv.TEMPLATE_IDS``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final, NoReturn

from pos.core.codec.errors import PayloadStructureError

#: "00".."99" -> 0..99; a dict lookup refuses non-ASCII digits that str.isdigit() would accept.
TWO_DIGITS: Final[dict[str, int]] = {f"{n:02d}": n for n in range(100)}
#: 0..99 -> "00".."99": the ID a header names, the length field an encoder writes
TWO_DIGIT_TEXT: Final[tuple[str, ...]] = tuple(TWO_DIGITS)


#: whether this module runs compiled by mypyc (pos.core.codec.compiled): parse reads headers its own
#: way then
_COMPILED: Final = not __file__.endswith(".py")


def _label(prefix: str, tag: str) -> str:
    return f"object {prefix}{tag}"


#: every valid header "IDLL" -> (ID, 4 + length): one slice and one lookup per object
_HEADERS: Final[dict[str, tuple[str, int]]] = {
    f"{tag:02d}{length:02d}": (f"{tag:02d}", 4 + length) for tag in range(100) for length in range(1, 100)
}


def parse(text: str, base: int = 0, prefix: str = "") -> dict[str, str]:
    """Split ``text`` into {ID: value} in order of appearance.

    :param base: offset of ``text`` inside the whole payload, so messages point at the right place.
    :param prefix: "62." when parsing inside template 62, for messages.
    :raises PayloadStructureError: on a short header, a non-numeric ID or length, an empty object,
        a value running past the end, or an ID seen twice at this level.
    """
    # The loops only split; anything unexpected (a header that is not 4 ASCII digits, an empty
    # object, an ID seen before, a value running past the end) hands over to _refuse, which walks
    # the text again to say exactly what is wrong. Every payload is parsed in five or more places,
    # so each operation per object counts, and what is cheapest differs: interpreted, one slice and
    # one dict lookup per header; compiled, where those two are most of the cost, reading the four
    # digits as numbers from a one-byte-per-character copy (ASCII kept, anything else a "?").
    # The codec's tests run both ways (make test), and so does benchmarks/codec_equivalence.py.
    out: dict[str, str] = {}
    i, n = 0, len(text)
    if _COMPILED:
        view = text.encode("ascii", "replace")
        while i + 4 <= n:
            a, b, c, d = view[i] - 48, view[i + 1] - 48, view[i + 2] - 48, view[i + 3] - 48  # "0" is 48
            if not (0 <= a <= 9 and 0 <= b <= 9 and 0 <= c <= 9 and 0 <= d <= 9) or c == d == 0:
                break
            tag = TWO_DIGIT_TEXT[a * 10 + b]
            if tag in out:
                break
            end = i + 4 + c * 10 + d
            out[tag] = text[i + 4 : end]
            i = end
    else:
        headers = _HEADERS
        try:
            while i < n:
                tag, step = headers[text[i : i + 4]]
                end = i + step
                if tag in out:
                    break
                out[tag] = text[i + 4 : end]
                i = end
        except KeyError:
            pass
    if i != n:
        _refuse(text, base, prefix)
    return out


def _refuse(text: str, base: int, prefix: str) -> NoReturn:
    """Raise the error for the first object of ``text`` that is not well formed."""
    seen: set[str] = set()
    i, n = 0, len(text)
    while i < n:
        header = _HEADERS.get(text[i : i + 4])
        if header is None:
            _bad_header(text, i, base, prefix)
        tag, step = header
        start = i + 4
        i += step
        if i > n:
            raise PayloadStructureError(
                f"{_label(prefix, tag)} declares {step - 4} characters but only {n - start} "
                f"remain at offset {base + start}",
                code="PAYLOAD_TRUNCATED",
            )
        if tag in seen:
            raise PayloadStructureError(
                f"duplicate {_label(prefix, tag)} at offset {base + start - 4}",
                code="PAYLOAD_DUPLICATE_OBJECT",
            )
        seen.add(tag)
    raise AssertionError(f"parse refused {text!r}, which is well formed")  # pragma: no cover


def _bad_header(text: str, i: int, base: int, prefix: str) -> NoReturn:
    """Say precisely what is wrong with the 4 characters at ``i``; always raises."""
    if len(text) - i < 4:
        where = f"template {prefix[:-1]}" if prefix else "payload"
        raise PayloadStructureError(
            f"{where} ends with {text[i:]!r} at offset {base + i}: an object needs at least "
            "4 characters",
            code="PAYLOAD_TRUNCATED",
        )
    tag, length = text[i : i + 2], text[i + 2 : i + 4]
    if tag not in TWO_DIGITS:
        raise PayloadStructureError(
            f"object ID {tag!r} at offset {base + i} is not two digits", code="PAYLOAD_BAD_TLV"
        )
    if length not in TWO_DIGITS:
        raise PayloadStructureError(
            f"{_label(prefix, tag)} at offset {base + i} has length {length!r}, not two digits",
            code="PAYLOAD_BAD_TLV",
        )
    raise PayloadStructureError(
        f"{_label(prefix, tag)} at offset {base + i} is empty (length 00)", code="PAYLOAD_BAD_LENGTH"
    )


def encode_one(tag: str, value: str) -> str:
    """One data object; the value must be 1-99 code points."""
    n = len(value)
    if not 0 < n < 100:
        raise PayloadStructureError(
            f"object {tag} would be {n} characters long; a value holds 1 to 99",
            code="PAYLOAD_BAD_LENGTH",
        )
    return f"{tag}{n:02d}{value}"


def encode(objects: Iterable[tuple[str, str | Mapping[str, str]]]) -> str:
    """Encode (ID, value) pairs in the given order; a mapping value is encoded as a template."""
    parts = []
    for tag, value in objects:
        if not isinstance(value, str):
            value = "".join(encode_one(sub, v) for sub, v in value.items())
        parts.append(encode_one(tag, value))
    return "".join(parts)
