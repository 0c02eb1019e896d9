"""The ISO code lists pinned in pos.core.codec.iso agree with the iso4217 package and Babel's CLDR."""

import iso4217
from babel import Locale

from pos.core.codec.iso import COUNTRIES, CURRENCY_EXPONENTS, LANGUAGES
from pos.core.money import CURRENCIES


def test_the_currency_exponents_are_those_of_iso_4217_for_every_currency_with_minor_units():
    published = {f"{c.number:03d}": c.exponent for c in iso4217.Currency if c.exponent is not None}
    assert published == CURRENCY_EXPONENTS


def test_every_currency_qrpos_supports_is_in_the_list_with_the_same_exponent():
    assert all(CURRENCY_EXPONENTS[numeric] == exponent for numeric, exponent in CURRENCIES.values())


def test_the_countries_are_cldrs_two_letter_regions_but_the_codes_iso_3166_does_not_assign():
    regions = {code for code in Locale("en").territories if len(code) == 2 and code.isalpha()}
    # exceptionally reserved (AC CP CQ DG EA IC TA), transitional (EU EZ UN), user-assigned (QO XA XB XK ZZ)
    not_iso = {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "XK", "ZZ"}
    assert len(COUNTRIES) == 249
    assert regions - not_iso == COUNTRIES


def test_the_languages_are_cldrs_two_letter_languages():
    languages = {code for code in Locale("en").languages if len(code) == 2 and code.isalpha()}
    assert languages == LANGUAGES
