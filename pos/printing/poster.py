"""A counter poster of a shop's static QR code (A4 or A5, portrait): the shop's names, "Scan to pay" in
English, Japanese and Chinese, and a QR code big enough to scan from a step away."""

from __future__ import annotations

from typing import Literal

from pos.printing import labels
from pos.printing.documents import Poster
from pos.printing.errors import InvalidDocument
from pos.printing.flow import Block, Column, Gap, Qr, Text, check, new_pdf

#: paper -> (width, height) in mm
PAPER = {"A4": (210.0, 297.0), "A5": (148.0, 210.0)}


def poster_blocks(poster: Poster, paper: Literal["A4", "A5"] = "A4") -> list[Block]:
    """What the poster says, top to bottom, sized for ``paper`` (A5 is A4 scaled by 1/sqrt 2)."""
    k = PAPER[paper][0] / PAPER["A4"][0]
    shop = poster.shop
    blocks: list[Block] = [Text(shop.name_local, shop.language, 40 * k, "C"), Text(shop.name, "en", 22 * k, "C"),
                           Gap(10 * k)]
    blocks += [Text(labels.label(lang, "scan_to_pay"), lang, 24 * k, "C") for lang in ("ja", "zh", "en")]
    blocks += [Gap(6 * k), Qr(poster.payload, 120 * k), Gap(5 * k)]
    blocks += [Text(labels.label(lang, "enter_amount"), lang, 11 * k, "C") for lang in ("ja", "zh", "en")]
    where = " · ".join(p for p in (shop.store_name, shop.terminal_label, poster.caption) if p)
    if where:
        blocks += [Gap(6 * k), Text(where, "en", 10 * k, "C")]
    return blocks


def render_poster(poster: Poster, paper: Literal["A4", "A5"] = "A4") -> bytes:
    """The poster as PDF bytes: one portrait page of ``paper``, the content centred on it.

    :raises MissingGlyphError: if the shop's names have a character the embedded fonts cannot print.
    :raises InvalidDocument: for an unknown paper size or content that does not fit the page.
    """
    if paper not in PAPER:
        raise InvalidDocument(f"a poster is printed on A4 or A5, not {paper!r}", code="INVALID_POSTER")
    width, height = PAPER[paper]
    blocks = poster_blocks(poster, paper)
    check(blocks)
    margin = 15 * width / PAPER["A4"][0]
    with new_pdf(f"{poster.shop.name} · {labels.label('en', 'scan_to_pay')}", poster.shop.language, blocks) as pdf:
        column = Column(pdf, margin, width - 2 * margin)
        used = column.height(blocks)
        if used > height - 2 * margin:
            raise InvalidDocument("the shop's names are too long for the poster", code="INVALID_POSTER")
        pdf.add_page(format=(width, height))
        column.draw(blocks, (height - used) / 2)
        return bytes(pdf.output())
