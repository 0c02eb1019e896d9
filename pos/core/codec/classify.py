"""Recognise payment strings that are not EMV merchant-presented codes, without guessing.

Each recogniser looks for the format's own unmistakable marks; anything else is "unknown".
"""

from __future__ import annotations

import base64
import binascii
import re
from urllib.parse import parse_qsl, urlsplit

_ALIPAY_CODE = re.compile(r"(2[5-9]|30)\d{14,22}\Z", re.ASCII)
_WECHAT_CODE = re.compile(r"1[0-5]\d{16}\Z", re.ASCII)
_ALIPAY_HOSTS = ("qr.alipay.com", "render.alipay.com", "ds.alipay.com", "mobilecodec.alipay.com")
_WECHAT_HOSTS = ("wx.tenpay.com", "payapp.weixin.qq.com", "wxpay.wxutil.com")
_BASE64 = re.compile(r"[A-Za-z0-9+/]+={0,2}\Z", re.ASCII)


def classify(text: str) -> tuple[str, dict[str, object]] | None:
    """(scheme, fields) for a recognised non-EMV payment string, or None."""
    stripped = text.strip()
    if _ALIPAY_CODE.match(stripped):
        return "alipay_payment_code", {"code": stripped, "length": str(len(stripped))}
    if _WECHAT_CODE.match(stripped):
        return "wechatpay_payment_code", {"code": stripped, "length": str(len(stripped))}
    lower = stripped.lower()
    if lower.startswith("upi://pay"):
        return "upi", _uri_fields(stripped)
    if lower.startswith(("wxp://", "weixin://wxpay/")):
        return "wechat_url", _uri_fields(stripped)
    if lower.startswith(("https://", "http://", "alipays://", "alipay://")):
        host = (urlsplit(stripped).hostname or "").lower()
        if lower.startswith(("alipays://", "alipay://")) or host in _ALIPAY_HOSTS:
            return "alipay_url", _uri_fields(stripped)
        if host in _WECHAT_HOSTS:
            return "wechat_url", _uri_fields(stripped)
    if stripped.startswith("BCD\n") or stripped.startswith("BCD\r\n"):
        fields = _epc(stripped)
        if fields is not None:
            return "epc", fields
    cpm = _emv_cpm(stripped)
    if cpm is not None:
        return "emv_cpm", cpm
    return None


def _uri_fields(uri: str) -> dict[str, object]:
    parts = urlsplit(uri)
    return {
        "scheme": parts.scheme.lower(),
        "host": parts.netloc or None,
        "path": parts.path or None,
        "params": dict(parse_qsl(parts.query, keep_blank_values=True)) or None,
    }


_EPC_KEYS = ("service_tag", "version", "encoding", "identification", "bic", "name", "iban",
             "amount", "purpose", "reference", "text", "information")


def _epc(text: str) -> dict[str, object] | None:
    """The EPC069-12 SEPA credit transfer QR: fixed lines, "BCD" / 001|002 / 1-8 / "SCT"."""
    lines = text.replace("\r\n", "\n").split("\n")
    if len(lines) < 7 or len(lines) > 12 or lines[1] not in ("001", "002") or lines[3] != "SCT":
        return None
    return {key: (lines[i] or None) if i < len(lines) else None for i, key in enumerate(_EPC_KEYS)}


def _emv_cpm(text: str) -> dict[str, object] | None:
    """EMV consumer-presented mode: base64 of BER-TLV starting with tag 85 "CPV01"."""
    if len(text) < 12 or _BASE64.match(text) is None:
        return None
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    if not data.startswith(b"\x85\x05CPV01"):
        return None
    return {"payload_format": "CPV01", "tags": _ber_tags(data)}


def _ber_tags(data: bytes) -> dict[str, str] | None:
    """Top-level BER-TLV tags (hex) -> values (hex); None if the structure does not hold."""
    out: dict[str, str] = {}
    i, n = 0, len(data)
    while i < n:
        tag_start = i
        i += 1
        if data[tag_start] & 0x1F == 0x1F:  # multi-byte tag: continuation bytes have bit 8 set
            while i < n and data[i] & 0x80:
                i += 1
            i += 1
        if i >= n:
            return None
        tag = data[tag_start:i].hex().upper()
        length = data[i]
        i += 1
        if length & 0x80:
            count = length & 0x7F
            if count == 0 or count > 2 or i + count > n:
                return None
            length = int.from_bytes(data[i : i + count], "big")
            i += count
        if i + length > n:
            return None
        out[tag] = data[i : i + length].hex().upper()
        i += length
    return out
