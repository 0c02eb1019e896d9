"""Real `qrpos serve` processes for the reliability tests (:func:`tests.serve_process.serve`), with limits
raised for a crowd, and the percentile their figures use."""

from __future__ import annotations

from tests.serve_process import ROOT, serve

__all__ = ["CROWD_LIMITS", "ROOT", "percentile", "serve"]

# A crowd of wallets on one machine shares one client address: the per-address limits are for the
# internet, not for this test. The sign-in limit per wallet stays as it is.
CROWD_LIMITS = {"QRPOS_RATELIMIT_PER_ADDRESS": "100000/second", "QRPOS_RATELIMIT_SIGN_IN": "100000/minute",
                "QRPOS_RATELIMIT_PER_KEY": "100000/second"}


def percentile(values: list[float], p: float) -> float:
    """The ``p``-th percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]
