"""Explain a payment QR in plain words (English, Japanese or Chinese), object by object."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from pos.core.codec import inspect, labels
from pos.core.codec.emv import EmvPayload
from pos.core.codec.labels import pick


def explain(payload: str, lang: str = "en", keys: Mapping[str, bytes] | None = None) -> str:
    """Text explaining every object of ``payload``, its scheme, CRC and (for ours) signature.

    :raises PayloadError: when the payload is rejected; the caller shows the message.
    """
    scheme, fields, code = inspect.read(payload, keys)
    head = f"{pick(labels.PHRASES['scheme'], lang)}: {pick(labels.SCHEME_NAMES[scheme], lang)}"
    if code is None:
        lines = [head]
        lines += [f"  {key}: {value}" for key, value in _flat(fields)]
        return "\n".join(lines)
    return "\n".join([head, *_emv_lines(code, lang, keys)])


def _flat(fields: Mapping[str, object], prefix: str = "") -> Iterator[tuple[str, object]]:
    for key, value in fields.items():
        if isinstance(value, Mapping):
            yield from _flat(value, f"{prefix}{key}.")
        elif value is not None:
            yield f"{prefix}{key}", value


def _emv_lines(code: EmvPayload, lang: str, keys: Mapping[str, bytes] | None) -> list[str]:
    lines = []
    for tag, value in code.objects.items():
        if tag in code.templates:
            lines.append(f"{tag}  {_top_label(tag, lang)}")
            for sub, subvalue in code.templates[tag].items():
                lines.append(f"    {sub}  {_sub_label(code, tag, sub, lang)}: {subvalue}")
            if tag == "80" and code.scheme == "qrpos":
                lines.append(f"    -> {_signature_note(code, lang, keys)}")
            continue
        note = _note(tag, value, lang)
        lines.append(f"{tag}  {_top_label(tag, lang)}: {value}" + (f"  ({note})" if note else ""))
    return lines


def _note(tag: str, value: str, lang: str) -> str:
    if tag == "01":
        return pick(labels.PHRASES["static" if value == "11" else "dynamic"], lang)
    if tag == "55":
        return pick(labels.PHRASES[f"tip_{value}"], lang)
    if tag == "63":
        return pick(labels.PHRASES["crc_ok"], lang)
    if "65" <= tag <= "79":
        return pick(labels.PHRASES["warning"], lang)
    return ""


def _signature_note(code: EmvPayload, lang: str, keys: Mapping[str, bytes] | None) -> str:
    key_id = code.templates["80"].get("03", "")
    if keys is not None:  # inspect.read verified it, or raised
        return f"{pick(labels.PHRASES['sig_ok'], lang)} {key_id}"
    return f"{pick(labels.PHRASES['sig_unchecked'], lang)} {key_id}"


def _top_label(tag: str, lang: str) -> str:
    if tag in labels.TOP:
        return pick(labels.TOP[tag], lang)
    if "02" <= tag <= "25":
        return pick(labels.CARD, lang)
    if "26" <= tag <= "51":
        return pick(labels.ACCOUNT, lang)
    if "65" <= tag <= "79":
        return pick(labels.RFU, lang)
    return pick(labels.UNRESERVED, lang)


def _sub_label(code: EmvPayload, tag: str, sub: str, lang: str) -> str:
    if tag == "62":
        if sub in labels.ADDITIONAL:
            return pick(labels.ADDITIONAL[sub], lang)
        return pick(labels.ADDITIONAL_TEMPLATE if sub >= "50" else labels.ADDITIONAL_RFU, lang)
    if tag == "64":
        return pick(labels.LANGUAGE_SUB.get(sub, labels.ADDITIONAL_RFU), lang)
    if sub == "00":
        return pick(labels.GUID, lang)
    guid = code.templates[tag].get("00", "").upper()
    table = _scheme_table(guid, tag)
    return pick(table.get(sub, labels.DETAIL), lang)


def _scheme_table(guid: str, tag: str) -> dict[str, tuple[str, str, str]]:
    if guid == "APP.QRPOS":
        return labels.SCHEME_SUB["qrpos_unreserved" if tag >= "80" else "qrpos"]
    for name, marker in (("jpqr", "JP.OR.PAYMENTSJAPAN"), ("pix", "BR.GOV.BCB.PIX"),
                         ("paynow", "SG.PAYNOW")):
        if guid == marker:
            return labels.SCHEME_SUB[name]
    return {}
