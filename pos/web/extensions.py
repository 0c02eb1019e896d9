"""The Flask extensions, in one place: translations (Flask-Babel) and CSRF protection (Flask-WTF).

Rate limits (Flask-Limiter) are set up by :mod:`pos.web.limits`. The JSON API under ``/api`` is exempt
from CSRF (it takes bearer credentials, never cookies); every page form and every page ``fetch`` that
changes something carries the session's CSRF token (a hidden field or the ``X-CSRFToken`` header).
"""

from __future__ import annotations

from pathlib import Path

from flask_babel import Babel
from flask_wtf.csrf import CSRFProtect

from pos.web import i18n

TRANSLATIONS = Path(__file__).resolve().parent / "translations"

babel = Babel()
csrf = CSRFProtect()


def init_app(app, *, api_blueprints) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # the token lives as long as the session
    babel.init_app(app, locale_selector=i18n.select_locale)
    csrf.init_app(app)
    for blueprint in api_blueprints:
        csrf.exempt(blueprint)
    i18n.init_app(app)
