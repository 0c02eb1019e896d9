"""PDFs for people: 80 mm receipts and counter posters, in English, Japanese and Chinese (fpdf2).

    render_receipt(receipt, lang="en")   -> bytes   a receipt on 80 mm roll paper, as long as its content
    render_poster(poster, paper="A4")    -> bytes   a shop's static QR code for the counter (A4 or A5)
    missing_glyphs(text, lang) / check_glyphs(text, lang)   can this text be printed?

They are made from plain data (:class:`Shop`, :class:`ReceiptItem`, :class:`RefundEntry`, :class:`Receipt`,
:class:`Poster`), never from the database or a request, so the terminal's pages and the CLI print the
same document. The fonts are subsets of IPAexGothic and Noto Sans SC shipped in assets/fonts/; every
character is checked against them before anything is drawn, because fpdf2 drops missing glyphs silently.
Errors (:class:`PrintingError` and subclasses) are core ``InvalidInput`` errors with stable codes.
"""

from pos.printing.documents import Poster, Receipt, ReceiptItem, RefundEntry, Shop
from pos.printing.errors import InvalidDocument, MissingGlyphError, PrintingError, UnsupportedLanguage
from pos.printing.fonts import check_glyphs, missing_glyphs
from pos.printing.labels import LABELS, LANGUAGES
from pos.printing.poster import render_poster
from pos.printing.receipt import render_receipt

__all__ = [
    "LABELS",
    "LANGUAGES",
    "InvalidDocument",
    "MissingGlyphError",
    "Poster",
    "PrintingError",
    "Receipt",
    "ReceiptItem",
    "RefundEntry",
    "Shop",
    "UnsupportedLanguage",
    "check_glyphs",
    "missing_glyphs",
    "render_poster",
    "render_receipt",
]
