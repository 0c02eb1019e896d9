"""qrpos: merchant terminal, payment API and the shared payment core.

``import pos.core`` never pulls in Flask: the web app is built lazily by :func:`create_app`.
"""

__all__ = ["create_app"]


def create_app(test_config=None):
    """Build the Flask app (terminal and API); Flask is imported only here."""
    from pos.web.app import build_app

    return build_app(test_config)
