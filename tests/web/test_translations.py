"""The UI's catalogues: every message translated, each .mo the compiled .po, each locale really served."""

from __future__ import annotations

from pathlib import Path

import pytest

from pos.web.catalogues import compiled, problems

TRANSLATIONS = Path(__file__).resolve().parents[2] / "pos" / "web" / "translations"
LOCALES = ["ja", "zh_Hans"]


@pytest.mark.parametrize("locale", LOCALES)
def test_every_message_is_translated(locale):
    assert problems(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po") == []


@pytest.mark.parametrize("locale", LOCALES)
def test_the_compiled_catalogue_is_the_po_file_compiled_by_the_install(locale):
    po = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"
    mo = po.with_suffix(".mo")
    assert mo.exists(), "run `make` (or pip install) to compile the translations"
    assert mo.read_bytes() == compiled(po), "the .mo is stale: run `python scripts/translations.py compile`"


@pytest.mark.parametrize("lang, canary", [("ja", "レジにサインイン"), ("zh_Hans", "登录收银台"),
                                          ("en", "Sign in to the till")])
def test_each_locale_is_served_from_its_catalogue(client, lang, canary):
    assert canary in client.get(f"/terminal/login?lang={lang}").text


@pytest.mark.parametrize("header, canary", [("ja-JP,ja;q=0.9", "レジにサインイン"), ("zh-CN,zh;q=0.9", "登录收银台"),
                                            ("de-DE", "Sign in to the till")])
def test_the_browser_language_chooses_the_catalogue(client, header, canary):
    assert canary in client.get("/terminal/login", headers={"Accept-Language": header}).text
