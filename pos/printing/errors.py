"""Why a PDF could not be made; each error is an ``InvalidInput`` of the core, so pages and the API map it
like any other bad input (a friendly message, nothing written).

    InvalidInput (pos.core.errors)
    └── PrintingError                     PRINTING_ERROR
        ├── UnsupportedLanguage           UNSUPPORTED_LANGUAGE (a receipt is printed in en, ja or zh)
        ├── InvalidDocument               INVALID_RECEIPT / INVALID_POSTER (inconsistent data)
        └── MissingGlyphError             MISSING_GLYPH (a character no embedded font can print)
"""

from __future__ import annotations

from pos.core.errors import InvalidInput


class PrintingError(InvalidInput):
    code = "PRINTING_ERROR"


class UnsupportedLanguage(PrintingError):
    code = "UNSUPPORTED_LANGUAGE"


class InvalidDocument(PrintingError):
    code = "INVALID_RECEIPT"


class MissingGlyphError(PrintingError):
    """Some characters of ``text`` have no glyph in our fonts; ``characters`` lists them."""

    code = "MISSING_GLYPH"

    def __init__(self, text: str, characters: list[str]):
        shown = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in characters)
        super().__init__(f"cannot print {text!r}: no glyph for {shown} in the PDF fonts")
        self.text = text
        self.characters = characters
