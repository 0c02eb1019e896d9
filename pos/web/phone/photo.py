"""Reading the codes in a photo the phone sent: the one place the server decodes a picture.

It is the same pipeline as ``qrpos-wallet scan`` (:func:`wallet_app.scanner.decode_image_bytes`), which
reads what real cameras see: tilt, blur, glare, small and inverted codes (docs/scanner.md).
"""

from __future__ import annotations

from pos.core.errors import InvalidInput
from wallet_app.scanner import SourceUnavailable, decode_image_bytes


def read_codes(picture: bytes) -> list[str]:
    """Every QR code's text in the picture, in reading order.

    :raises InvalidInput: NOT_AN_IMAGE when the bytes are not a picture that can be read.
    """
    try:
        return decode_image_bytes(picture)
    except SourceUnavailable:
        raise InvalidInput("the upload is not a picture that can be read", code="NOT_AN_IMAGE") from None
