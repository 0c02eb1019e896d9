"""A local certificate authority and the server certificate it signs, made once and kept in a folder.

Phones give the camera only to secure pages, so the server speaks HTTPS on the LAN. A self-signed
certificate made at each start would need trusting again at each start; instead a local CA is made
once (``ca.pem``: key and certificate, never leaves this machine; ``ca.crt``: the certificate phones
download and trust) and signs a short-lived server certificate (``server.pem``: key and certificate)
naming localhost, 127.0.0.1, ::1, the host name and its LAN addresses. On a later start both are
reused; the server certificate alone is issued again, by the same CA, when the names wanted differ
from the ones it has or when it nears expiry, so a phone that trusts the CA keeps trusting the server.

Keys are written 0600. ``ca.pem`` is created with ``os.link`` so that servers starting together end
up with one CA; ``server.pem`` is replaced atomically (any process's certificate is as good).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from pos.serving.addresses import hostname, lan_ipv4_addresses

CA_LIFETIME = dt.timedelta(days=3650)
# Apple platforms refuse TLS server certificates valid for more than 825 days; browsers cap publicly
# trusted ones at 398. Stay under both, and issue again a month before the end.
SERVER_LIFETIME = dt.timedelta(days=397)
RENEW_BEFORE = dt.timedelta(days=30)
LOOPBACK_NAMES = ("localhost",)
LOOPBACK_IPS = ("127.0.0.1", "::1")


@dataclass(frozen=True)
class CertPaths:
    """Where one server's certificates live."""

    folder: Path

    @property
    def ca(self) -> Path:
        """The CA's key and certificate (PEM, 0600): signs server certificates, stays here."""
        return self.folder / "ca.pem"

    @property
    def ca_cert(self) -> Path:
        """The CA certificate alone (PEM): what phones download and trust."""
        return self.folder / "ca.crt"

    @property
    def server(self) -> Path:
        """The server's key and certificate (PEM, 0600), as ``ssl.SSLContext.load_cert_chain`` takes it."""
        return self.folder / "server.pem"


@dataclass(frozen=True)
class Names:
    """What the server certificate must name: DNS names and IP addresses."""

    dns: frozenset[str]
    ips: frozenset[str]

    @classmethod
    def of(cls, dns: Iterable[str], ips: Iterable[str]) -> Names:
        return cls(frozenset(d.lower() for d in dns if d), frozenset(str(ipaddress.ip_address(i)) for i in ips))

    def san(self) -> x509.SubjectAlternativeName:
        return x509.SubjectAlternativeName(
            [x509.DNSName(d) for d in sorted(self.dns)]
            + [x509.IPAddress(ipaddress.ip_address(i)) for i in sorted(self.ips)]
        )


def this_machine(extra_dns: Iterable[str] = (), extra_ips: Iterable[str] = ()) -> Names:
    """localhost, loopback, the host name (and its mDNS ``.local`` name) and the LAN addresses."""
    name = hostname()
    dns = [*LOOPBACK_NAMES, *extra_dns, name]
    if name and "." not in name:
        dns.append(f"{name}.local")  # phones resolve it by mDNS where the host announces itself
    return Names.of(dns, [*LOOPBACK_IPS, *lan_ipv4_addresses(), *extra_ips])


def ensure(folder: Path, names: Names | None = None, *, now: dt.datetime | None = None) -> CertPaths:
    """Make or reuse the CA and a server certificate for ``names`` (default: :func:`this_machine`)."""
    names = names or this_machine()
    now = now or dt.datetime.now(dt.UTC)
    paths = CertPaths(Path(folder))
    paths.folder.mkdir(parents=True, exist_ok=True)
    ca_key, ca_cert = _ensure_ca(paths, now)
    if _server_needs_issuing(paths, ca_cert, names, now):
        key = ec.generate_private_key(ec.SECP256R1())
        cert = _server_cert(key, ca_key, ca_cert, names, now)
        _write_private(paths.server, _pem_key(key) + cert.public_bytes(serialization.Encoding.PEM), replace=True)
    return paths


def load_cert(path: Path) -> x509.Certificate:
    """The first certificate in a PEM file (after any key)."""
    return x509.load_pem_x509_certificate(_cert_block(path.read_bytes()))


def fingerprint(cert: x509.Certificate) -> str:
    """SHA-256 of the certificate as colon-separated hex, as phones show it to compare."""
    return ":".join(f"{b:02X}" for b in cert.fingerprint(hashes.SHA256()))


def names_of(cert: x509.Certificate) -> Names:
    """The DNS names and IP addresses a certificate's subjectAltName lists."""
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    return Names.of(san.get_values_for_type(x509.DNSName), map(str, san.get_values_for_type(x509.IPAddress)))


def _ensure_ca(paths: CertPaths, now: dt.datetime) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    existed = paths.ca.exists()
    loaded = _load_pair(paths.ca)
    if loaded is None or loaded[1].not_valid_after_utc - now < RENEW_BEFORE:
        key = ec.generate_private_key(ec.SECP256R1())
        cert = _ca_cert(key, now)
        # A damaged or expiring CA is replaced. On a first start another process may be making one
        # too: each links its own into place, the first one wins and everyone reads that one back.
        _write_private(paths.ca, _pem_key(key) + cert.public_bytes(serialization.Encoding.PEM), replace=existed)
        loaded = _load_pair(paths.ca)
        assert loaded is not None
    pem = loaded[1].public_bytes(serialization.Encoding.PEM)
    if not paths.ca_cert.exists() or paths.ca_cert.read_bytes() != pem:
        _write(paths.ca_cert, pem, mode=0o644)
    return loaded


def _server_needs_issuing(paths: CertPaths, ca_cert: x509.Certificate, names: Names, now: dt.datetime) -> bool:
    loaded = _load_pair(paths.server)
    if loaded is None:
        return True
    cert = loaded[1]
    try:
        cert.verify_directly_issued_by(ca_cert)
    except (ValueError, TypeError, InvalidSignature):  # signed by another CA (the CA was made again)
        return True
    return cert.not_valid_after_utc - now < RENEW_BEFORE or cert.not_valid_before_utc > now or names_of(cert) != names


def _ca_cert(key: ec.EllipticCurvePrivateKey, now: dt.datetime) -> x509.Certificate:
    name = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, f"qrpos local CA {hostname() or 'localhost'}"[:64]),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "qrpos"),
    ])
    public = key.public_key()
    return (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1)).not_valid_after(now + CA_LIFETIME)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                     content_commitment=False, key_encipherment=False, data_encipherment=False,
                                     key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )


def _server_cert(key: ec.EllipticCurvePrivateKey, ca_key: ec.EllipticCurvePrivateKey, ca_cert: x509.Certificate,
                 names: Names, now: dt.datetime) -> x509.Certificate:
    common = sorted(names.dns - set(LOOPBACK_NAMES)) or sorted(names.dns) or sorted(names.ips)
    public = key.public_key()
    ca_ski = ca_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    return (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common[0][:64]),
                                 x509.NameAttribute(NameOID.ORGANIZATION_NAME, "qrpos")]))
        .issuer_name(ca_cert.subject).public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1)).not_valid_after(now + SERVER_LIFETIME)
        .add_extension(names.san(), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=False, crl_sign=False,
                                     content_commitment=False, key_encipherment=False, data_encipherment=False,
                                     key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False)
        .sign(ca_key, hashes.SHA256())
    )


def _load_pair(path: Path) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate] | None:
    """The key and certificate in ``path``, or None when missing or unreadable (then it is made again)."""
    try:
        data = path.read_bytes()
        key = serialization.load_pem_private_key(data, password=None)
        cert = x509.load_pem_x509_certificate(_cert_block(data))
    except (OSError, ValueError, TypeError):
        return None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.public_key() != cert.public_key():
        return None
    return key, cert


def _cert_block(data: bytes) -> bytes:
    start = data.find(b"-----BEGIN CERTIFICATE-----")
    if start < 0:
        raise ValueError("no certificate in the file")
    return data[start:]


def _pem_key(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _write_private(path: Path, data: bytes, *, replace: bool) -> None:
    """Write a key file 0600: atomically replacing, or linked into place only if none is there yet."""
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    try:
        if replace:
            os.replace(draft, path)
        else:
            try:
                os.link(draft, path)
            except FileExistsError:
                pass  # another process made it first: everyone uses that one
    finally:
        draft.unlink(missing_ok=True)


def _write(path: Path, data: bytes, *, mode: int) -> None:
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    draft.write_bytes(data)
    os.chmod(draft, mode)
    os.replace(draft, path)
