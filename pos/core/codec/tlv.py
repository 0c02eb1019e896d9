"""EMV QR data objects: ID (2 digits) + length (2 digits, counting code points) + value.

Parsing is one flat pass; a template is parsed again from its value only where the
specification says it is a template (see ``emv.TEMPLATE_IDS``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pos.core.codec.errors import PayloadStructureError

#: "00".."99" -> 0..99; a dict lookup refuses non-ASCII digits that str.isdigit() would accept.
TWO_DIGITS: dict[str, int] = {f"{n:02d}": n for n in range(100)}


def _label(prefix: str, tag: str) -> str:
    return f"object {prefix}{tag}"


def parse(text: str, *, base: int = 0, prefix: str = "") -> dict[str, str]:
    """Split ``text`` into {ID: value} in order of appearance.

    :param base: offset of ``text`` inside the whole payload, so messages point at the right place.
    :param prefix: "62." when parsing inside template 62, for messages.
    :raises PayloadStructureError: on a short header, a non-numeric ID or length, an empty object,
        a value running past the end, or an ID seen twice at this level.
    """
    out: dict[str, str] = {}
    i, n = 0, len(text)
    while i < n:
        if n - i < 4:
            raise PayloadStructureError(
                f"{'template ' + prefix[:-1] + ' ends with' if prefix else 'payload ends with'} "
                f"{text[i:]!r} at offset {base + i}: an object needs at least 4 characters",
                code="PAYLOAD_TRUNCATED",
            )
        tag = text[i : i + 2]
        if tag not in TWO_DIGITS:
            raise PayloadStructureError(
                f"object ID {tag!r} at offset {base + i} is not two digits", code="PAYLOAD_BAD_TLV"
            )
        length = TWO_DIGITS.get(text[i + 2 : i + 4])
        if length is None:
            raise PayloadStructureError(
                f"{_label(prefix, tag)} at offset {base + i} has length {text[i + 2 : i + 4]!r}, "
                "not two digits",
                code="PAYLOAD_BAD_TLV",
            )
        if length == 0:
            raise PayloadStructureError(
                f"{_label(prefix, tag)} at offset {base + i} is empty (length 00)",
                code="PAYLOAD_BAD_LENGTH",
            )
        start = i + 4
        end = start + length
        if end > n:
            raise PayloadStructureError(
                f"{_label(prefix, tag)} declares {length} characters but only {n - start} "
                f"remain at offset {base + start}",
                code="PAYLOAD_TRUNCATED",
            )
        if tag in out:
            raise PayloadStructureError(
                f"duplicate {_label(prefix, tag)} at offset {base + i}",
                code="PAYLOAD_DUPLICATE_OBJECT",
            )
        out[tag] = text[start:end]
        i = end
    return out


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
