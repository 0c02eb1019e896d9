"""Line breaking on receipts: words stay whole in English, CJK breaks anywhere but never before 。 or ー."""

from __future__ import annotations

import pytest
from fpdf import FPDF

from pos.printing.flow import close_fonts, wrap
from pos.printing.fonts import add_fonts, use_font


@pytest.fixture(scope="module")
def pdf():
    pdf = FPDF(unit="mm")
    add_fonts(pdf)
    use_font(pdf, "ja", 8.5)
    yield pdf
    close_fonts(pdf)


def test_english_breaks_between_words(pdf):
    assert wrap(pdf, "Special shoyu ramen with extra chashu", 30) == ["Special shoyu ramen", "with extra chashu"]


def test_a_word_wider_than_the_paper_is_cut(pdf):
    lines = wrap(pdf, "Supercalifragilisticexpialidocious", 20)
    assert "".join(lines) == "Supercalifragilisticexpialidocious" and len(lines) > 1
    assert all(pdf.get_string_width(line) <= 20 for line in lines)


def test_japanese_breaks_between_characters_but_not_before_a_long_vowel_mark_or_a_full_stop(pdf):
    width = pdf.get_string_width("醤油ラ")  # "ー" would start the second line
    assert wrap(pdf, "醤油ラーメン", width) == ["醤油", "ラーメ", "ン"]
    width = pdf.get_string_width("大盛りです")
    assert wrap(pdf, "大盛りです。", width) == ["大盛りで", "す。"]


def test_narrow_spaces_from_babel_become_plain_spaces(pdf):
    assert wrap(pdf, "12:34\u202fPM", 100) == ["12:34 PM"]
