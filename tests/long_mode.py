"""Long test modes behind one flag, so that CI stays short: ``QRPOS_LONG=1`` runs the fuzz and load
tests at their full size (see docs/reliability.md for the figures of both modes)."""

from __future__ import annotations

import os

LONG = os.environ.get("QRPOS_LONG", "0") not in ("0", "", "false", "no")


def scaled(ci: int, long: int) -> int:
    """``ci`` in a normal run, ``long`` with QRPOS_LONG=1."""
    return long if LONG else ci
