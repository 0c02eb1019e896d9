"""Keep the UI's catalogues in step: extract messages, merge them into the ja and zh_Hans .po files,
and compile .mo files. ``python scripts/translations.py update`` after changing UI text; ``compile``
runs on install (Makefile) and in the app's build hook. The .po files are the source of truth."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "pos" / "web" / "translations"
LOCALES = ("ja", "zh_Hans")


def pybabel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True, cwd=ROOT)


def update() -> None:
    pot = TRANSLATIONS / "messages.pot"
    pybabel("extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext", "--no-location", "--omit-header",
            "--sort-output", "-o", str(pot), ".")
    for locale in LOCALES:
        po = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"
        if po.exists():
            pybabel("update", "-i", str(pot), "-d", str(TRANSLATIONS), "-l", locale, "--no-fuzzy-matching")
        else:
            pybabel("init", "-i", str(pot), "-d", str(TRANSLATIONS), "-l", locale)


def compile_all() -> None:
    from pos.web.catalogues import compile_catalogues

    compile_catalogues(TRANSLATIONS)


if __name__ == "__main__":
    {"update": update, "compile": compile_all}[sys.argv[1] if len(sys.argv) > 1 else "compile"]()
