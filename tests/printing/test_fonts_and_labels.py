"""The shipped fonts are small TrueType subsets that cover the character sets and every label we print."""

from __future__ import annotations

import pytest
from fontTools.ttLib import TTFont

from pos.printing import LABELS, LANGUAGES, check_glyphs, missing_glyphs
from pos.printing.fonts import FONT_DIR, FONT_FILES, cmap
from pos.printing.labels import language


def test_the_fonts_are_small_truetype_subsets_with_their_licences():
    total = 0
    for path in FONT_FILES.values():
        with TTFont(path, lazy=True) as font:
            assert "glyf" in font and "CFF " not in font  # fpdf2 embeds TrueType outlines cleanly
            assert "IPA" not in font["name"].getDebugName(1)  # the IPA licence: a derived font is renamed
        total += path.stat().st_size
    assert total < 5_000_000
    assert (FONT_DIR / "IPA_Font_License_Agreement_v1.0.txt").exists()
    assert (FONT_DIR / "OFL-NotoSansSC.txt").exists()


def national_set(codec: str, last_row: int) -> set[str]:
    chars = set()
    for row in range(0xA1, last_row + 1):
        for cell in range(0xA1, 0xFF):
            try:
                chars.add(bytes([row, cell]).decode(codec))
            except UnicodeDecodeError:
                pass
    return chars


def test_japanese_text_can_use_all_of_jis_x_0208_and_chinese_text_all_of_gb_2312():
    assert missing_glyphs("".join(sorted(national_set("euc_jp", 0xF4))), "ja") == []
    assert missing_glyphs("".join(sorted(national_set("gb2312", 0xF7))), "zh") == []
    assert ord("汇") in cmap("sc") and ord("汇") not in cmap("jp")  # so Chinese text is set in Noto Sans SC


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_label_prints_in_its_language(lang):
    for text in LABELS[lang].values():
        check_glyphs(text, lang)


def test_every_language_has_every_label():
    assert {lang: set(table) for lang, table in LABELS.items()} == {lang: set(LABELS["en"]) for lang in LANGUAGES}


def test_language_tags_from_browsers_and_babel_map_to_the_three_languages():
    assert [language(tag) for tag in ("en_US", "ja-JP", "zh_Hans", "zh-Hans-CN", "ZH")] == ["en", "ja", "zh", "zh",
                                                                                          "zh"]


def test_babels_narrow_space_before_pm_prints_as_a_space():
    assert missing_glyphs("12:34\u202fPM", "en") == []
    assert missing_glyphs("tab\there", "en") == ["\t"]
