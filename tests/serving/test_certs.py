"""The local CA and the server certificate: what they name, who signs what, when they are made again."""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import os
import sys
import threading

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509 import verification
from cryptography.x509.oid import ExtendedKeyUsageOID

from pos.serving import certs
from pos.serving.addresses import hostname, lan_ipv4_addresses, reachable_from_lan

SHOP = certs.Names.of(["localhost", "till-1", "till-1.local"], ["127.0.0.1", "::1", "192.168.1.20"])
MOVED = certs.Names.of(["localhost", "till-1", "till-1.local"], ["127.0.0.1", "::1", "192.168.1.57"])
NOW = dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.UTC)


def verifier(paths: certs.CertPaths, subject, now=NOW):
    store = verification.Store([certs.load_cert(paths.ca_cert)])
    return verification.PolicyBuilder().store(store).time(now).build_server_verifier(subject)


def test_the_server_certificate_names_localhost_loopback_this_host_and_its_lan_addresses(tmp_path):
    paths = certs.ensure(tmp_path)
    names = certs.names_of(certs.load_cert(paths.server))
    assert {"localhost"} <= names.dns and {"127.0.0.1", "::1"} <= names.ips
    assert set(lan_ipv4_addresses()) <= names.ips
    if hostname():
        assert hostname() in names.dns


def test_the_ca_signs_the_server_certificate_and_a_verifier_accepts_the_chain_for_each_name(tmp_path):
    paths = certs.ensure(tmp_path, SHOP, now=NOW)
    leaf = certs.load_cert(paths.server)
    for subject in (verification.DNSName("localhost"), verification.DNSName("till-1.local"),
                    verification.IPAddress(ipaddress.ip_address("192.168.1.20")),
                    verification.IPAddress(ipaddress.ip_address("::1"))):
        chain = verifier(paths, subject).verify(leaf, [])
        assert chain[-1] == certs.load_cert(paths.ca_cert)
    with pytest.raises(verification.VerificationError):
        verifier(paths, verification.IPAddress(ipaddress.ip_address("192.168.1.99"))).verify(leaf, [])


def test_the_ca_is_a_ca_named_after_the_host_and_the_server_certificate_is_for_servers_only(tmp_path):
    paths = certs.ensure(tmp_path, SHOP, now=NOW)
    ca, leaf = certs.load_cert(paths.ca_cert), certs.load_cert(paths.server)
    common_name = ca.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value
    assert common_name.startswith("qrpos local CA ")
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert not leaf.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert list(leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value) == [
        ExtendedKeyUsageOID.SERVER_AUTH]
    assert leaf.not_valid_after_utc - leaf.not_valid_before_utc <= dt.timedelta(days=398)  # Apple's and browsers' cap


def test_the_downloadable_ca_certificate_holds_no_key_and_the_key_files_are_private(tmp_path):
    paths = certs.ensure(tmp_path, SHOP)
    assert b"PRIVATE KEY" not in paths.ca_cert.read_bytes()
    assert b"PRIVATE KEY" in paths.ca.read_bytes() and b"PRIVATE KEY" in paths.server.read_bytes()
    if sys.platform != "win32":
        assert os.stat(paths.ca).st_mode & 0o777 == 0o600
        assert os.stat(paths.server).st_mode & 0o777 == 0o600


def test_a_second_start_reuses_the_ca_and_the_server_certificate(tmp_path):
    first = certs.ensure(tmp_path, SHOP, now=NOW)
    before = {p: p.read_bytes() for p in (first.ca, first.ca_cert, first.server)}
    second = certs.ensure(tmp_path, SHOP, now=NOW + dt.timedelta(days=100))
    assert {p: p.read_bytes() for p in (second.ca, second.ca_cert, second.server)} == before


def test_new_addresses_get_a_new_server_certificate_from_the_same_ca(tmp_path):
    paths = certs.ensure(tmp_path, SHOP, now=NOW)
    ca, old_server = paths.ca.read_bytes(), paths.server.read_bytes()
    certs.ensure(tmp_path, MOVED, now=NOW)
    assert paths.ca.read_bytes() == ca and paths.server.read_bytes() != old_server
    leaf = certs.load_cert(paths.server)
    assert certs.names_of(leaf) == MOVED
    verifier(paths, verification.IPAddress(ipaddress.ip_address("192.168.1.57"))).verify(leaf, [])


def test_a_server_certificate_a_month_from_expiry_is_issued_again_by_the_same_ca(tmp_path):
    paths = certs.ensure(tmp_path, SHOP, now=NOW)
    ca, old_server = paths.ca.read_bytes(), paths.server.read_bytes()
    later = NOW + certs.SERVER_LIFETIME - dt.timedelta(days=20)
    certs.ensure(tmp_path, SHOP, now=later)
    assert paths.ca.read_bytes() == ca and paths.server.read_bytes() != old_server
    verifier(paths, verification.DNSName("till-1"), now=later).verify(certs.load_cert(paths.server), [])


def test_a_damaged_server_file_or_one_signed_by_another_ca_is_replaced(tmp_path):
    paths = certs.ensure(tmp_path, SHOP, now=NOW)
    paths.server.write_bytes(b"not a certificate")
    certs.ensure(tmp_path, SHOP, now=NOW)
    verifier(paths, verification.DNSName("localhost")).verify(certs.load_cert(paths.server), [])

    other = certs.ensure(tmp_path / "other", SHOP, now=NOW)
    paths.server.write_bytes(other.server.read_bytes())
    certs.ensure(tmp_path, SHOP, now=NOW)
    verifier(paths, verification.DNSName("localhost")).verify(certs.load_cert(paths.server), [])


def test_servers_starting_together_end_up_with_one_ca(tmp_path):
    barrier = threading.Barrier(6)
    made = []

    def start():
        barrier.wait(timeout=10)
        made.append(certs.ensure(tmp_path, SHOP, now=NOW))

    threads = [threading.Thread(target=start) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert len(made) == 6
    ca_key = serialization.load_pem_private_key(made[0].ca.read_bytes(), password=None)
    assert ca_key.public_key() == certs.load_cert(made[0].ca_cert).public_key()
    verifier(made[0], verification.DNSName("localhost")).verify(certs.load_cert(made[0].server), [])
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no drafts left


def test_the_fingerprint_is_the_sha256_of_the_certificate_as_phones_show_it(tmp_path):
    paths = certs.ensure(tmp_path, SHOP)
    ca = certs.load_cert(paths.ca_cert)
    digest = hashlib.sha256(ca.public_bytes(serialization.Encoding.DER)).hexdigest().upper()
    assert certs.fingerprint(ca) == ":".join(digest[i:i + 2] for i in range(0, 64, 2))


@pytest.mark.parametrize("address, reachable", [
    ("192.168.1.20", True), ("10.0.0.7", True), ("203.0.113.9", True), ("127.0.1.1", False),
    ("169.254.3.4", False), ("0.0.0.0", False), ("224.0.0.1", False), ("fe80::1", False), ("nonsense", False),
])
def test_only_addresses_another_device_could_reach_count_as_lan_addresses(address, reachable):
    assert reachable_from_lan(address) is reachable
    assert all(reachable_from_lan(a) for a in lan_ipv4_addresses())
