"""Compile the UI's gettext catalogues (.po → .mo) with Babel, and check them.

Run by the install (the hatch build hook in ``hatch_build.py``, and ``make``), never by hand; the
tests fail if a catalogue has an untranslated or fuzzy message or its .mo is not the compiled .po.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

FIXED_DATE = datetime(2026, 1, 1, tzinfo=UTC)


def compiled(po: Path) -> bytes:
    with po.open("rb") as f:
        catalog = read_po(f)
    # a .po without a header gets "now" as its dates, which would make every build's .mo differ
    catalog.creation_date = catalog.revision_date = FIXED_DATE
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def compile_catalogues(folder: Path) -> list[Path]:
    """Write every ``<locale>/LC_MESSAGES/messages.mo`` beside its .po when it differs."""
    written = []
    for po in sorted(folder.glob("*/LC_MESSAGES/messages.po")):
        mo, data = po.with_suffix(".mo"), compiled(po)
        if not mo.exists() or mo.read_bytes() != data:
            mo.write_bytes(data)
            written.append(mo)
    return written


def problems(po: Path) -> list[str]:
    with po.open("rb") as f:
        catalog = read_po(f)
    return [f"{po.parent.parent.name}: {'fuzzy' if m.fuzzy else 'untranslated'}: {m.id!r}"
            for m in catalog
            if m.id and (m.fuzzy or not m.string or (isinstance(m.string, tuple) and not all(m.string)))]
