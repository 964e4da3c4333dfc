"""Certificates: the lab's own API-SSL certificate (generated when none is given), and RouterOS's
``/certificate sign`` and ``/ip service`` api-ssl ``certificate=``, so a router set up over SSH serves
the certificate it signed."""

from __future__ import annotations

import datetime
import hashlib
import ipaddress
import os
import ssl
import tempfile
import threading
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from .menus.ip import IP_SERVICES
from .reply import Fault, Reply, Trap
from .storage import Item


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


_CURVES = {"prime256v1": ec.SECP256R1, "secp384r1": ec.SECP384R1, "secp521r1": ec.SECP521R1}
_DIGESTS = {"sha1": hashes.SHA1, "sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}


def subject_alt_names(text: str) -> list[x509.GeneralName]:
    """``DNS:router.example,IP:192.0.2.1`` (the form of /certificate add subject-alt-name) -> names."""
    names: list[x509.GeneralName] = []
    for part in (p.strip() for p in text.split(",") if p.strip()):
        kind, _sep, value = part.partition(":")
        if kind == "DNS" and value:
            names.append(x509.DNSName(value))
        elif kind == "IP" and value:
            try:
                names.append(x509.IPAddress(ipaddress.ip_address(value)))
            except ValueError:
                raise ValueError("invalid value for argument subject-alt-name") from None
        elif kind == "email" and value:
            names.append(x509.RFC822Name(value))
        else:
            raise ValueError("invalid value for argument subject-alt-name")
    return names


def sign_self(values: dict[str, str], now: datetime.datetime | None = None) -> tuple[str, str, dict[str, str]]:
    """Sign a certificate template with its own new key: (certificate PEM, key PEM, printed fields)."""
    size = values.get("key-size", "2048")
    key: Any = ec.generate_private_key(_CURVES[size]()) if size in _CURVES else rsa.generate_private_key(65537, int(size))
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, values.get("common-name") or values["name"])]
    for field, oid in (("country", NameOID.COUNTRY_NAME), ("state", NameOID.STATE_OR_PROVINCE_NAME),
                       ("locality", NameOID.LOCALITY_NAME), ("organization", NameOID.ORGANIZATION_NAME),
                       ("unit", NameOID.ORGANIZATIONAL_UNIT_NAME)):
        if values.get(field):
            attributes.append(x509.NameAttribute(oid, values[field]))
    name = x509.Name(attributes)
    now = now or datetime.datetime.now(datetime.timezone.utc)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=int(values.get("days-valid", "365"))))
    )
    alt = subject_alt_names(values.get("subject-alt-name", ""))
    if alt:
        builder = builder.add_extension(x509.SubjectAlternativeName(alt), critical=False)
    cert = builder.sign(key, _DIGESTS.get(values.get("digest-algorithm", "sha256"), hashes.SHA256)())
    der = cert.public_bytes(serialization.Encoding.DER)
    printed = {
        "fingerprint": hashlib.sha256(der).hexdigest(), "private-key": "true", "trusted": "true",
        "serial-number": "%X" % cert.serial_number, "issuer": "CN=%s" % (values.get("common-name") or values["name"]),
        "invalid-before": cert.not_valid_before_utc.strftime("%Y-%m-%d %H:%M:%S"),
        "invalid-after": cert.not_valid_after_utc.strftime("%Y-%m-%d %H:%M:%S"),
    }
    cert_pem = cert.public_bytes(serialization.Encoding.PEM).decode()
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    return cert_pem, key_pem, printed


def _api_sign(router: Any, attrs: dict[str, str], user: str) -> Any:
    """``/certificate sign <number>``: self-signed (``ca=`` is not modelled). Counts as a write."""
    counts = router.counters["writes"]
    counts["/certificate"] = counts.get("/certificate", 0) + 1
    if router.user_groups.get(user, "full") == "read":
        return Reply(trap=Trap("not enough permissions (9)"))
    ref = attrs.get("number") or attrs.get(".id") or attrs.get("numbers")
    if not ref:
        return Reply(trap=Trap("missing value(s) of argument(s) number"))
    if attrs.get("ca"):
        return Reply(trap=Trap("lab: /certificate sign ca= is not modelled (self-signed only)"))
    with router.lock:
        table = router.tables["/certificate"]
        try:
            item = router.resolve_one(table, ref, None)
        except Fault as exc:
            return Reply(trap=Trap(str(exc)))
        if item.values.get("fingerprint"):
            # unverified text: RouterOS refuses to sign a certificate twice
            return Reply(trap=Trap("failure: certificate is already issued"))
        try:
            cert_pem, key_pem, printed = sign_self(item.values)
        except ValueError as exc:
            return Reply(trap=Trap(str(exc)))
        item.values.update(printed)
        item.meta = dict(item.meta or {}, cert_pem=cert_pem, key_pem=key_pem)
    return Reply(rows=[{"progress": "done"}])


def _add_services(router: Any) -> None:
    table = router.tables["/ip/service"]
    if table.items:
        return
    for name, port in IP_SERVICES:
        disabled = "true" if name == "www-ssl" else "false"
        table.insert(Item(table.next_id, {"name": name, "port": str(port), "disabled": disabled}))
        table.next_id += 1


def register(router: Any) -> None:
    _add_services(router)
    router.register_command("/certificate/sign", _api_sign)


_CONTEXTS: dict[str, ssl.SSLContext] = {}
_CONTEXTS_LOCK = threading.Lock()


def service_context(router: Any, default: ssl.SSLContext) -> ssl.SSLContext:
    """The context API-SSL serves now: the certificate ``/ip service`` api-ssl names once it is set
    and signed, else the lab's own (``--cert`` or generated)."""
    with router.lock:
        service = router.tables["/ip/service"].by_name.get("api-ssl")
        name = router.tables["/ip/service"].items[service].values.get("certificate") if service is not None else None
        cert_id = router.tables["/certificate"].by_name.get(name) if name and name != "none" else None
        meta = router.tables["/certificate"].items[cert_id].meta if cert_id is not None else None
    if not meta or "cert_pem" not in meta:
        return default
    with _CONTEXTS_LOCK:
        context = _CONTEXTS.get(meta["cert_pem"])
        if context is None:
            folder = tempfile.mkdtemp(prefix="routeros-lab-cert-")
            certfile, keyfile = os.path.join(folder, "cert.pem"), os.path.join(folder, "key.pem")
            with open(certfile, "w") as handle:
                handle.write(meta["cert_pem"])
            fd = os.open(keyfile, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(meta["key_pem"])
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(certfile, keyfile)
            _CONTEXTS[meta["cert_pem"]] = context
    return context
