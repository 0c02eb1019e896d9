"""The ISO code lists the EMV data objects refer to, pinned here so that decoding needs no data files.

    CURRENCY_EXPONENTS  ISO 4217 numeric code -> minor-unit digits (object 53; decimals of 54 and 56)
    COUNTRIES           ISO 3166-1 alpha-2, the 249 officially assigned codes (object 58)
    LANGUAGES           ISO 639-1 alpha-2, lower case (object 64.00)

Tests check the lists against the ``iso4217`` package and Babel's CLDR data, so a new edition shows
up as a failing test rather than as a code refused in a shop. Importing ``iso4217`` itself here would
cost a quarter of a second at every start of the CLI.
"""

from __future__ import annotations

#: ISO 4217 currencies with a minor unit, by exponent. Funds and metals (XAU, XDR, XXX...) have
#: none; nobody pays in them, and an amount in them could not be checked.
_CURRENCIES_BY_EXPONENT = {
    0: """108 152 174 262 324 352 392 410 548 600 646 704 800 940 950 952 953""",
    2: """008 012 032 036 044 050 051 052 060 064 068 072 084 090 096 104 116 124 132 136 144 156 170 188
          192 203 208 214 222 230 232 238 242 270 292 320 328 332 340 344 348 356 360 364 376 388 396 398
          404 408 417 418 422 426 430 446 454 458 462 480 484 496 498 504 516 524 532 533 554 558 566 578
          586 590 598 604 608 634 643 654 682 690 702 706 710 728 748 752 756 760 764 776 780 784 807 818
          826 834 840 858 860 882 886 901 924 925 926 928 929 930 933 934 936 938 941 943 944 946 947 948
          949 951 967 968 969 970 971 972 973 976 977 978 979 980 981 984 985 986 997""",
    3: """048 368 400 414 434 512 788""",
    4: """927 990""",
}


def _codes(text: str) -> list[str]:
    return text.split()


CURRENCY_EXPONENTS: dict[str, int] = {
    numeric: exponent for exponent, codes in _CURRENCIES_BY_EXPONENT.items() for numeric in _codes(codes)
}

COUNTRIES: frozenset[str] = frozenset(_codes("""
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV
    BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES
    ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE
    IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY
    MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU
    NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM
    SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE
    VG VI VN VU WF WS YE YT ZA ZM ZW
"""))

LANGUAGES: frozenset[str] = frozenset(_codes("""
    aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz
    ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii
    ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi
    mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw
    sa sc sd se sg sh si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug
    uk ur uz ve vi vo wa wo xh yi yo za zh zu
"""))
