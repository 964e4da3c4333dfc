"""``/certificate``: ``add`` writes the request; ``sign`` (``certs.py``) makes the key and the certificate."""

from __future__ import annotations

from .base import NAME_EXISTS, declare, f, ro

# /certificate add key-size (7.22.3 completion: RSA bits or an EC curve)
CERT_KEY_SIZES = ("1024", "1536", "2048", "4096", "8192", "prime256v1", "secp384r1", "secp521r1")

# Certificates: add writes the request, ``sign`` (certs.py) makes the key and the certificate and fills
# the read-only fields (fingerprint: SHA-256 of the DER certificate, as RouterOS prints it).
CERTIFICATE = declare("/certificate", {
    "kind": "list", "ordered": False, "verbs": ("print", "add", "set", "remove", "getall"), "ids": "seq",
    "name": "name", "mandatory": ("name",), "unique": (("name",), NAME_EXISTS),
    "fields": {
        "name": f("str"), "common-name": f("str"), "subject-alt-name": f("str"),
        "key-size": f("enum", default="2048", show="always", choices=CERT_KEY_SIZES),
        "days-valid": f("int", default="365", show="always", range=(1, 36500)),
        "digest-algorithm": f("enum", default="sha256", show="always", choices=("md5", "sha1", "sha256", "sha384", "sha512")),
        "key-usage": f("str"), "country": f("str"), "state": f("str"), "locality": f("str"),
        "organization": f("str"), "unit": f("str"), "trusted": f("bool", default="false", show="always"),
        "fingerprint": ro(), "private-key": ro("false"), "serial-number": ro(), "issuer": ro(),
        "invalid-before": ro(), "invalid-after": ro(), "ca": ro(),
    },
})
