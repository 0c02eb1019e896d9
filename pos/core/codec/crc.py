"""The EMV QR checksum: CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF) over UTF-8 bytes."""

from __future__ import annotations

from binascii import crc_hqx


def crc16(text: str) -> str:
    """The CRC of ``text`` (everything up to and including "6304") as 4 uppercase hex digits."""
    return f"{crc_hqx(text.encode('utf-8'), 0xFFFF):04X}"

