"""Reading the codes in a photo the phone sent: the one place the server decodes a picture.

Today this is :func:`pos.qrimage.decode` (zxing-cpp); the scanning pipeline that reads what real
cameras see is being built elsewhere, and swaps in here.
"""

from __future__ import annotations

from pos import qrimage
from pos.core.errors import InvalidInput


def read_codes(picture: bytes) -> list[str]:
    """Every QR code's text in the picture, in reading order.

    :raises InvalidInput: NOT_AN_IMAGE when the bytes are not a picture that can be read.
    """
    try:
        return qrimage.decode(picture)
    except qrimage.QrImageError:
        raise InvalidInput("the upload is not a picture that can be read", code="NOT_AN_IMAGE") from None
