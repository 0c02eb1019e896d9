"""The plain-HTTP side port: the CA certificate, the iOS profile and the trust page, and a redirect
to HTTPS for everything else."""

from __future__ import annotations

import plistlib

import httpx
from cryptography.hazmat.primitives import serialization

from pos.serving import certs
from tests.serving.conftest import DEADLINE


def test_the_side_port_serves_the_ca_certificate_for_phones(start_server, cert_paths):
    server = start_server()
    response = httpx.get(server.side_urls("/ca.crt")[0], timeout=DEADLINE)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/x-x509-ca-cert"
    assert response.content == cert_paths.ca_cert.read_bytes() and b"PRIVATE" not in response.content


def test_the_ios_profile_installs_the_same_ca_as_a_root(start_server, cert_paths):
    server = start_server()
    response = httpx.get(server.side_urls("/qrpos-ca.mobileconfig")[0], timeout=DEADLINE)
    assert response.headers["content-type"] == "application/x-apple-aspen-config"
    (payload,) = plistlib.loads(response.content)["PayloadContent"]
    ca = certs.load_cert(cert_paths.ca_cert)
    assert payload["PayloadType"] == "com.apple.security.root"
    assert payload["PayloadContent"] == ca.public_bytes(serialization.Encoding.DER)


def test_the_trust_page_shows_the_fingerprint_and_the_https_address(start_server, cert_paths):
    server = start_server()
    page = httpx.get(server.side_urls("/trust")[0], timeout=DEADLINE)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert certs.fingerprint(certs.load_cert(cert_paths.ca_cert)) in page.text
    assert f"https://127.0.0.1:{server.port}/" in page.text and 'href="/ca.crt"' in page.text


def test_every_other_address_redirects_to_the_same_path_over_https(start_server, ca_context):
    server = start_server()
    side = f"http://127.0.0.1:{server.side_port}"
    moved = httpx.post(side + "/api/v1/ping?x=1", timeout=DEADLINE)
    assert moved.status_code == 307  # the method and body are kept
    assert moved.headers["location"] == f"https://127.0.0.1:{server.port}/api/v1/ping?x=1"
    by_name = httpx.get(f"http://localhost:{server.side_port}/ping", timeout=DEADLINE)
    assert by_name.headers["location"] == f"https://localhost:{server.port}/ping"
    followed = httpx.get(side + "/ping", verify=ca_context, follow_redirects=True, timeout=DEADLINE)
    assert followed.json() == {"ok": True, "scheme": "https"}


def test_a_host_the_certificate_does_not_name_is_not_sent_back_in_the_redirect(start_server):
    server = start_server()
    moved = httpx.get(f"http://127.0.0.1:{server.side_port}/ping", headers={"Host": "evil.example"},
                      timeout=DEADLINE)
    assert moved.headers["location"] == f"https://127.0.0.1:{server.port}/ping"
