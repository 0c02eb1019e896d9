"""JSON rendering for the API: deterministic bytes, so an idempotent replay is byte for byte the same."""

from __future__ import annotations

import json

from flask import Response

MIMETYPE = "application/json"


def dumps(data) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def render(data, status: int = 200, headers: dict | None = None) -> Response:
    """A JSON response with sorted keys, UTF-8 text (渋谷ラーメン stays readable) and no spaces."""
    return Response(dumps(data), status=status, headers=headers, mimetype=MIMETYPE)


def render_list(rows: list) -> Response:
    """A list of objects in the API's list shape, ``{"object": "list", "data": [...]}``."""
    return render({"object": "list", "data": rows})
