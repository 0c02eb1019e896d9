"""Fill the ja and zh_Hans catalogues from a Python file that maps English to (Japanese, Chinese).

``python scripts/fill_translations.py TABLE.py`` where TABLE.py defines ``T = {"English": ("日本語", "中文")}``.
Only empty or fuzzy entries are filled; existing translations are kept.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

TRANSLATIONS = Path(__file__).resolve().parents[1] / "pos" / "web" / "translations"


def fill(table: dict[str, tuple[str, str]]) -> None:
    for index, locale in enumerate(("ja", "zh_Hans")):
        po = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"
        with po.open("rb") as f:
            catalog = read_po(f, locale=locale)
        for message in catalog:
            if message.id and (not message.string or message.fuzzy) and message.id in table:
                message.string = table[message.id][index]
                message.flags.discard("fuzzy")
        with po.open("wb") as f:
            write_po(f, catalog, omit_header=False, no_location=True, width=120)


if __name__ == "__main__":
    fill(runpy.run_path(sys.argv[1])["T"])
