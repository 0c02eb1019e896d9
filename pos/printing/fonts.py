"""The fonts our PDFs embed, which one prints each language, and the glyph check that runs before drawing.

fpdf2 silently drops a character that no font has (only a log line says so), so a receipt could lose a
letter of a shop's name without anyone noticing. Every string is therefore checked against the fonts'
character maps first, and a missing glyph is an error that names the character.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont
from fpdf import FPDF

from pos.printing.errors import MissingGlyphError

FONT_DIR = Path(__file__).resolve().parent.parent.parent / "assets" / "fonts"

#: fpdf2 family name -> the TrueType file (subsets made by scripts/subset_fonts.py; see assets/fonts/README.md)
FONT_FILES = {
    "jp": FONT_DIR / "qrpos-gothic-jp.ttf",  # IPAexGothic subset: Japanese glyph shapes
    "sc": FONT_DIR / "NotoSansSC-Regular-subset.ttf",  # Noto Sans SC subset: simplified Chinese, good Latin
}

#: language -> (font that prints it, font for the characters it lacks). Japanese text needs Japanese glyph
#: shapes (直, 骨 differ from Chinese ones), Chinese text the simplified hanzi IPAexGothic lacks (汇, 谢).
FONTS_FOR = {"ja": ("jp", "sc"), "zh": ("sc", "jp"), "en": ("sc", "jp")}


@cache
def cmap(family: str) -> frozenset[int]:
    """The code points a font has a glyph for (read once per process)."""
    with TTFont(FONT_FILES[family], lazy=True) as font:
        return frozenset(font.getBestCmap())


def clean(text: str) -> str:
    """``text`` with narrow and thin spaces (Babel puts U+202F before "PM") as plain spaces, which every
    font has; the no-break space and the ideographic space are kept."""
    return "".join(" " if unicodedata.category(c) == "Zs" and c not in "\u00a0\u3000" else c for c in text)


def _printable(char: str, families: tuple[str, ...]) -> bool:
    if char in " \u3000":
        return True  # spaces have nothing to draw; control characters are not printable and get reported
    return any(ord(char) in cmap(family) for family in families)


def missing_glyphs(text: str, lang: str = "en") -> list[str]:
    """The distinct characters of ``text`` that neither font for ``lang`` can print, in order of appearance."""
    families = FONTS_FOR[lang]
    return list(dict.fromkeys(c for c in clean(text) if not _printable(c, families)))


def check_glyphs(text: str, lang: str = "en") -> str:
    """Return ``text`` if every character can be printed, else raise.

    :raises MissingGlyphError: naming the characters (and their code points) no font has.
    """
    missing = missing_glyphs(text, lang)
    if missing:
        raise MissingGlyphError(text, missing)
    return text


def fonts_needed(texts: Iterable[tuple[str, str]]) -> set[str]:
    """The font families that printing these (text, language) pairs uses: each language's own font, and
    the other one only where a text has characters its own font lacks. Loading a font costs 0.1-0.4 s."""
    needed = set()
    for text, lang in texts:
        primary, fallback = FONTS_FOR[lang]
        needed.add(primary)
        if any(not _printable(c, (primary,)) for c in clean(text)):
            needed.add(fallback)
    return needed


def add_fonts(pdf: FPDF, families: Iterable[str] = tuple(FONT_FILES)) -> None:
    """Register fonts on ``pdf`` (fonts cannot be shared between FPDF objects: subsetting mutates them)."""
    for family in sorted(families):
        pdf.add_font(family, fname=FONT_FILES[family])


def use_font(pdf: FPDF, lang: str, size: float) -> None:
    """Select the font that prints ``lang``, with the other one (when loaded) as fallback for glyphs it lacks."""
    primary, fallback = FONTS_FOR[lang]
    pdf.set_font(primary, size=size)
    pdf.set_fallback_fonts([fallback] if fallback in pdf.fonts else [], exact_match=False)
