"""Serving the app on a real socket: HTTP or HTTPS with a local CA, for phones on the shop's network.

- :mod:`pos.serving.certs`: a local CA and a server certificate for this machine, made once, kept in a folder
- :mod:`pos.serving.server`: :func:`start` / :func:`serve` on cheroot, with a plain-HTTP side port for the CA
- :mod:`pos.serving.hardened`: cheroot changed so that idle connections and slow handshakes stop nothing
- :mod:`pos.serving.refusals`: what the server refuses before the app runs, in JSON under the API's paths
- :mod:`pos.serving.streams`: at most N event streams at once, beside the workers for normal requests
- :mod:`pos.serving.trust`: the side port's ``/ca.crt``, iOS profile, ``/trust`` page and redirect to HTTPS

It serves any WSGI app: nothing here imports Flask, the web app or the payment core.
"""

from pos.serving.certs import CertPaths, Names, ensure, fingerprint, load_cert, this_machine
from pos.serving.refusals import Refusals
from pos.serving.server import Limits, Running, serve, start, tls_context

__all__ = ["CertPaths", "Limits", "Names", "Refusals", "Running", "ensure", "fingerprint", "load_cert", "serve",
           "start", "this_machine", "tls_context"]
