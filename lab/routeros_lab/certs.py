"""A self-signed certificate for API-SSL, generated with ``cryptography`` when none is given."""

from __future__ import annotations

import datetime
import ipaddress
import os
import tempfile

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def generate(common_name: str = "routeros-lab") -> tuple[bytes, bytes]:
    """PEM certificate and key valid for localhost and 127.0.0.1."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                       critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_pem = cert.public_bytes(serialization.Encoding.PEM)
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return cert_pem, key_pem


def ensure_certificate(certfile: str | None, keyfile: str | None) -> tuple[str, str]:
    """Use the given files, or write a fresh self-signed pair to a private temp directory."""
    if certfile and keyfile:
        return certfile, keyfile
    cert_pem, key_pem = generate()
    folder = tempfile.mkdtemp(prefix="routeros-lab-tls-")
    certfile = os.path.join(folder, "cert.pem")
    keyfile = os.path.join(folder, "key.pem")
    with open(certfile, "wb") as handle:
        handle.write(cert_pem)
    fd = os.open(keyfile, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(key_pem)
    return certfile, keyfile
