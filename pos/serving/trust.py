"""The plain-HTTP side port: the CA certificate for phones to trust, and a redirect to HTTPS for the rest.

A phone that does not trust the local CA yet cannot be asked over HTTPS without a warning, so the CA
travels over plain HTTP: ``/ca.crt`` (``application/x-x509-ca-cert``), ``/qrpos-ca.mobileconfig`` (an
iOS profile holding it) and ``/trust``, a page that says how to install it and which fingerprint to
compare. Every other path answers 307 to the same path on the HTTPS port, on the name the phone used
if the certificate names it, else on the server's first LAN address.
"""

from __future__ import annotations

import html
import ipaddress
import plistlib
import uuid
from collections.abc import Callable, Iterable

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from werkzeug.wrappers import Request, Response

from pos.serving.certs import CertPaths, Names, fingerprint, load_cert

PROFILE_NAMESPACE = uuid.UUID("3f1c1e2a-7b0e-4d55-9a8e-6a4f2b1c0d9e")


def side_app(paths: CertPaths, names: Names, *, https_port: int, primary_host: str) -> Callable:
    """The side port's WSGI app for the CA in ``paths`` and an HTTPS server on ``https_port``."""
    ca = load_cert(paths.ca_cert)
    pem = ca.public_bytes(serialization.Encoding.PEM)
    profile = mobileconfig(ca)
    hosts = names.dns | names.ips

    def app(environ: dict, start_response: Callable) -> Iterable[bytes]:
        request = Request(environ)
        if request.path == "/ca.crt":
            response = Response(pem, mimetype="application/x-x509-ca-cert",
                                headers={"Content-Disposition": 'attachment; filename="qrpos-ca.crt"'})
        elif request.path == "/qrpos-ca.mobileconfig":
            response = Response(profile, mimetype="application/x-apple-aspen-config",
                                headers={"Content-Disposition": 'attachment; filename="qrpos-ca.mobileconfig"'})
        elif request.path == "/trust":
            host = _host_of(request.host, hosts) or primary_host
            response = Response(trust_page(ca, https_url=_url(host, https_port, "/")), mimetype="text/html")
        else:
            host = _host_of(request.host, hosts) or primary_host
            query = request.query_string.decode("latin-1")
            target = _url(host, https_port, request.path) + (f"?{query}" if query else "")
            response = Response(status=307, headers={"Location": target})
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response(environ, start_response)

    return app


def mobileconfig(ca: x509.Certificate) -> bytes:
    """An iOS/iPadOS configuration profile that installs ``ca`` as a root (trust is then switched on
    in Settings > General > About > Certificate Trust Settings)."""
    digest = fingerprint(ca).replace(":", "")
    name = ca.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value
    payload = {
        "PayloadCertificateFileName": "qrpos-ca.crt",
        "PayloadContent": ca.public_bytes(serialization.Encoding.DER),
        "PayloadDescription": "The certificate authority of this qrpos shop server.",
        "PayloadDisplayName": name,
        "PayloadIdentifier": f"local.qrpos.ca.{digest[:16]}",
        "PayloadType": "com.apple.security.root",
        "PayloadUUID": str(uuid.uuid5(PROFILE_NAMESPACE, "ca" + digest)).upper(),
        "PayloadVersion": 1,
    }
    return plistlib.dumps({
        "PayloadContent": [payload],
        "PayloadDescription": "Lets this device open the qrpos shop server over HTTPS without a warning.",
        "PayloadDisplayName": name,
        "PayloadIdentifier": f"local.qrpos.profile.{digest[:16]}",
        "PayloadRemovalDisallowed": False,
        "PayloadType": "Configuration",
        "PayloadUUID": str(uuid.uuid5(PROFILE_NAMESPACE, "profile" + digest)).upper(),
        "PayloadVersion": 1,
    })


def trust_page(ca: x509.Certificate, *, https_url: str) -> str:
    """A phone-sized page: what the certificate is, how to trust it on Android and iOS, what to compare."""
    name = html.escape(str(ca.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value))
    url = html.escape(https_url)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Trust this qrpos server</title>
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:1rem auto;padding:0 1rem}}
code{{word-break:break-all;font-size:.85rem}}a.button{{display:inline-block;padding:.6rem 1rem;margin:.2rem 0;
border-radius:.4rem;background:#0b57d0;color:#fff;text-decoration:none}}</style></head>
<body>
<h1>Trust this qrpos server</h1>
<p>The shop's wallet page needs HTTPS for the camera. This server signs its own certificate with a
local certificate authority, <b>{name}</b>. Install it once on this phone and the page opens without a warning.</p>
<p><a class="button" href="/ca.crt">Download the certificate (Android)</a><br>
<a class="button" href="/qrpos-ca.mobileconfig">Download the profile (iPhone, iPad)</a></p>
<h2>Android</h2>
<ol><li>Download the certificate above.</li>
<li>Settings &rsaquo; Security &rsaquo; More security settings &rsaquo; Encryption &amp; credentials &rsaquo;
Install a certificate &rsaquo; CA certificate, then pick <code>qrpos-ca.crt</code>.</li></ol>
<h2>iPhone and iPad</h2>
<ol><li>Open this page in Safari and download the profile above; allow the download.</li>
<li>Settings &rsaquo; Profile Downloaded &rsaquo; Install.</li>
<li>Settings &rsaquo; General &rsaquo; About &rsaquo; Certificate Trust Settings: switch on <b>{name}</b>.</li></ol>
<h2>Check before you trust</h2>
<p>The certificate's SHA-256 fingerprint must match the one the server printed when it started:</p>
<p><code>{fingerprint(ca)}</code></p>
<p>Then open <a href="{url}">{url}</a>.</p>
<p>Without the certificate the browser warns that the connection is not private. You may go on past the
warning on a phone you trust, or use the wallet's photo upload, which needs no camera access.</p>
</body></html>
"""


def _host_of(header: str, allowed: frozenset[str]) -> str | None:
    """The host part of a Host header if the certificate names it (IPv6 in brackets), else None."""
    if header.startswith("["):
        end = header.find("]")
        host = header[1:end] if end > 0 else ""
    else:
        host = header.split(":", 1)[0]
    host = host.lower().rstrip(".")
    try:
        host = str(ipaddress.ip_address(host))
    except ValueError:
        pass
    return host if host in allowed else None


def _url(host: str, port: int, path: str) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"https://{shown}{'' if port == 443 else f':{port}'}{path}"
