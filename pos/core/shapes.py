"""Type names for what the core hands out: a public view is a JSON-ready dict (API, CLI, wallet)."""

from __future__ import annotations

View = dict[str, object]  # a public object: payment, request, refund, quote, summary...
