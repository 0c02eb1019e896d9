"""The Flask application factory: config, the core, errors, limits, the API blueprints, docs."""

from __future__ import annotations

from pathlib import Path

from apiflask import APIFlask
from flask.json.provider import DefaultJSONProvider
from werkzeug.routing import BaseConverter

HERE = Path(__file__).resolve().parent


class IdConverter(BaseConverter):
    """Object ids in paths: anything else is a 404 before it reaches the database."""

    regex = r"[A-Za-z0-9_]{1,40}"


def build_app(test_config: dict | None = None) -> APIFlask:
    """Defaults, then QRPOS_* environment variables, then ``test_config``."""
    from pos.web import api, bounds, config, errors, extensions, headers, home, limits, live, phone, terminal
    from pos.web.sse import Notifier

    app = APIFlask(
        "pos", title="qrpos payment API", version="1.0.0", spec_path="/api/v1/openapi.json",
        docs_path="/api/v1/docs", docs_oauth2_redirect_path=None, json_errors=False,
        static_folder=str(HERE / "static"), template_folder=str(HERE / "templates"), instance_relative_config=True,
    )
    app.config.from_mapping(config.DEFAULTS)
    app.config.from_prefixed_env("QRPOS")
    if test_config is not None:
        app.config.update(test_config)
    config.ensure_secret_key(app)
    if isinstance(app.json, DefaultJSONProvider):
        app.json.ensure_ascii = False  # names in Japanese and Chinese stay readable in JSON
    app.extensions["qrpos.core"] = app.config["CORE"] or _open_core(app.config["DATABASE_URL"])
    app.extensions["qrpos.notifier"] = Notifier()
    live.init_app(app)  # what wakes the event streams: LISTEN/NOTIFY, a SQLite watcher, or each request

    app.url_map.converters["id"] = IdConverter
    errors.init_app(app)
    bounds.init_app(app)
    areas = api.register(app)
    extensions.init_app(app, api_blueprints=areas["all"])
    headers.init_app(app)
    limits.init_app(app, credential_blueprints=areas["credential"], sign_in_blueprint=areas["sign_in"])
    home.init_app(app)
    terminal.init_app(app)
    phone.init_app(app)

    @app.get("/healthz")
    @app.doc(hide=True)
    def healthz():
        return {"status": "ok"}

    return app


def _open_core(url):
    from pos.core.bootstrap import open_core

    return open_core(url)
