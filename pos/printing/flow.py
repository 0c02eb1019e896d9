"""A tiny flow layout for our PDFs: a document is a list of blocks laid top to bottom in one column.

Blocks are plain data, so a document can be checked (every glyph printable) before any font is loaded,
and measured before its page exists: a receipt's paper is exactly as long as its content.

    Text(text, lang, size, align)       a paragraph, wrapped to the column (CJK may break anywhere)
    Pair(left, right, lang, size)       a label or item on the left, an amount flush right
    Rule()                              a dashed separator
    Gap(mm)                             vertical space
    Qr(payload, size)                   a QR code drawn as vector squares (sharp at any print resolution)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from fpdf import FPDF

from pos import qrimage
from pos.printing.fonts import add_fonts, check_glyphs, clean, fonts_needed, use_font

PT = 25.4 / 72  # millimetres per point
LEADING = 1.45  # line height as a multiple of the font size


@dataclass(frozen=True, slots=True)
class Text:
    text: str
    lang: str
    size: float = 8.5
    align: str = "L"


@dataclass(frozen=True, slots=True)
class Pair:
    left: str
    right: str
    lang: str
    size: float = 8.5


@dataclass(frozen=True, slots=True)
class Rule:
    pass


@dataclass(frozen=True, slots=True)
class Gap:
    mm: float


@dataclass(frozen=True, slots=True)
class Qr:
    payload: str
    size: float


Block = Text | Pair | Rule | Gap | Qr
#: Characters a Japanese or Chinese line must not start with (closing brackets, stops, small kana, the long
#: vowel mark): the character before them moves down with them.
_NO_LINE_START = frozenset("、。，．・：；？！ー）」』】〕〉》”’ぁぃぅぇぉっゃゅょァィゥェォッャュョ々,.:;?!)]}%")
_UNITS = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+\s*|\s+")


@contextmanager
def new_pdf(title: str, lang: str, blocks: Iterable[Block]) -> Iterator[FPDF]:
    """An empty millimetre-based PDF with the fonts ``blocks`` need, no automatic page breaks and its metadata
    set; the font files fpdf2 keeps open (it reads them lazily) are closed when the block ends."""
    pdf = FPDF(unit="mm")
    try:
        pdf.set_auto_page_break(False)
        pdf.set_margins(0, 0, 0)
        pdf.set_title(title)
        pdf.set_lang(lang)
        pdf.set_creator("qrpos")
        add_fonts(pdf, fonts_needed(texts(blocks)))
        yield pdf
    finally:
        close_fonts(pdf)


def close_fonts(pdf: FPDF) -> None:
    """Close the font files of ``pdf`` (fpdf2 leaves them open)."""
    for font in pdf.fonts.values():
        ttfont = getattr(font, "ttfont", None)
        if ttfont is not None:
            ttfont.close()


def texts(blocks: Iterable[Block]) -> Iterator[tuple[str, str]]:
    """Every (text, language) the blocks print."""
    for block in blocks:
        if isinstance(block, Text):
            yield block.text, block.lang
        elif isinstance(block, Pair):
            yield block.left, block.lang
            yield block.right, block.lang


def check(blocks: Iterable[Block]) -> None:
    """Raise MissingGlyphError for the first text that a font cannot print, before anything is drawn."""
    for text, lang in texts(blocks):
        check_glyphs(text, lang)


def wrap(pdf: FPDF, text: str, width: float) -> list[str]:
    """Greedy line breaking: between words for Latin text, between any two characters for CJK."""
    lines, line = [], ""
    for unit in _UNITS.findall(clean(text)):
        if pdf.get_string_width((line + unit).rstrip()) <= width:
            line += unit
            continue
        if unit[0] in _NO_LINE_START and len(line.rstrip()) > 1:  # kinsoku: carry the last character over
            line, unit = line.rstrip()[:-1], line.rstrip()[-1] + unit
        if line.strip():
            lines.append(line.rstrip())
        line = unit.lstrip()
        while pdf.get_string_width(line.rstrip()) > width:  # one word wider than the column
            cut = next(i for i in range(len(line), 0, -1) if pdf.get_string_width(line[:i]) <= width or i == 1)
            lines.append(line[:cut])
            line = line[cut:]
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


class Column:
    """Lays blocks out in a column ``width`` mm wide whose left edge is ``x`` mm from the page's."""

    def __init__(self, pdf: FPDF, x: float, width: float):
        self.pdf, self.x, self.width = pdf, x, width

    def _lines(self, block: Text | Pair) -> tuple[list[str], float]:
        use_font(self.pdf, block.lang, block.size)
        if isinstance(block, Text):
            return wrap(self.pdf, block.text, self.width), block.size * PT * LEADING
        room = self.width - self.pdf.get_string_width(clean(block.right)) - 3
        return wrap(self.pdf, block.left, room), block.size * PT * LEADING

    def height_of(self, block: Block) -> float:
        if isinstance(block, (Text, Pair)):
            lines, line_height = self._lines(block)
            return len(lines) * line_height
        if isinstance(block, Rule):
            return 3.0
        if isinstance(block, Gap):
            return block.mm
        return block.size

    def height(self, blocks: Iterable[Block]) -> float:
        return sum(self.height_of(block) for block in blocks)

    def draw(self, blocks: Iterable[Block], y: float) -> float:
        """Draw ``blocks`` from ``y`` down; returns the y below the last one."""
        for block in blocks:
            y = self._draw(block, y)
        return y

    def _draw(self, block: Block, y: float) -> float:
        pdf = self.pdf
        if isinstance(block, (Text, Pair)):
            lines, line_height = self._lines(block)
            for number, line in enumerate(lines):
                pdf.set_xy(self.x, y + number * line_height)
                pdf.cell(self.width, line_height, line, align=block.align if isinstance(block, Text) else "L")
                if isinstance(block, Pair) and number == 0:  # drawn next, so it is read with its first line
                    pdf.set_xy(self.x, y)
                    pdf.cell(self.width, line_height, clean(block.right), align="R")
            return y + len(lines) * line_height
        if isinstance(block, Rule):
            with pdf.local_context(draw_color=(90, 90, 90), line_width=0.2):
                pdf.set_dash_pattern(dash=0.8, gap=0.8)
                pdf.line(self.x, y + 1.5, self.x + self.width, y + 1.5)
                pdf.set_dash_pattern()
            return y + 3.0
        if isinstance(block, Gap):
            return y + block.mm
        draw_qr(pdf, block.payload, self.x + (self.width - block.size) / 2, y, block.size)
        return y + block.size


def _runs(modules: qrimage.Matrix) -> Iterator[tuple[int, int, int]]:
    for y, row in enumerate(modules):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                yield start, y, x - start
            x += 1


def draw_qr(pdf: FPDF, payload: str, x: float, y: float, size: float, border: int = 2) -> None:
    """The QR code of ``payload`` as ONE filled path of module rectangles (no seams between them), in a
    ``size`` mm square at (x, y) that includes a ``border``-module quiet zone."""
    modules = qrimage.matrix(payload)
    module = size / (len(modules) + 2 * border)
    with pdf.local_context(fill_color=(0, 0, 0)), pdf.new_path() as path:
        path.style.fill_color = "#000000"
        path.style.stroke_color = None
        for mx, my, length in _runs(modules):
            path.rectangle(x + (mx + border) * module, y + (my + border) * module, length * module, module)
