"""Looking at PDF pages in tests: their size, and their pixels (rasterised by PDFium, as a viewer would)."""

from __future__ import annotations

import io

import pypdf
import pytest
from PIL import Image

MM_PER_PT = 25.4 / 72


def page_size_mm(pdf: bytes) -> tuple[float, float]:
    [page] = pypdf.PdfReader(io.BytesIO(pdf)).pages
    return float(page.mediabox.width) * MM_PER_PT, float(page.mediabox.height) * MM_PER_PT


def page_image(pdf: bytes, dpi: int = 200) -> Image.Image:
    """The first page as a greyscale image; skips the test when pypdfium2 is not installed."""
    pdfium = pytest.importorskip("pypdfium2")
    document = pdfium.PdfDocument(pdf)
    try:
        return document[0].render(scale=dpi / 72, grayscale=True).to_pil()
    finally:
        document.close()
