"""The Flask application factory."""

from __future__ import annotations

from flask import Flask


def build_app(test_config: dict | None = None) -> Flask:
    app = Flask("pos", instance_relative_config=True)
    app.config.from_mapping(SECRET_KEY="dev", DATABASE_URL=None)
    if test_config is None:
        app.config.from_prefixed_env("QRPOS")
    else:
        app.config.update(test_config)

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    return app
