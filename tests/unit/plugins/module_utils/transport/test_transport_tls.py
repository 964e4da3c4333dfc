# -*- coding: utf-8 -*-
"""Pure parts of transport security: defaults, fingerprints, the pin file, the plain-API warning."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import socket
import ssl

import pytest

from ansible_collections.multiwan.routeros.plugins.module_utils.connection import (
    connection_argument_spec,
    connection_warnings,
)
from ansible_collections.multiwan.routeros.plugins.module_utils.transport.api import (
    endpoint_key,
    known_fingerprint,
    normalize_fingerprint,
    ssl_context,
)
from ansible_collections.multiwan.routeros.plugins.module_utils.transport.base import socket_error_reason

FP = "c63fa212e133914025500f46f3b11f0bd65832969d881d64a69f37e0b9c3a870"


def test_tls_and_host_name_checking_are_the_defaults():
    spec = connection_argument_spec()
    assert spec["tls"]["default"] is True
    assert spec["validate_certs"]["default"] is True
    assert spec["validate_cert_hostname"]["default"] is True
    assert spec["tls_fingerprint"].get("no_log") is False
    assert spec["tls_known_hosts"]["type"] == "path"


def test_default_context_checks_the_host_name():
    ctx = ssl_context()
    assert ctx.check_hostname is True and ctx.verify_mode == ssl.CERT_REQUIRED
    opted_out = ssl_context(validate_cert_hostname=False)
    assert opted_out.check_hostname is False and opted_out.verify_mode == ssl.CERT_REQUIRED
    # A pinned fingerprint replaces the CA: the context accepts any chain, the pin is compared after the handshake.
    pinned = ssl_context(pinned=True)
    assert pinned.check_hostname is False and pinned.verify_mode == ssl.CERT_NONE


@pytest.mark.parametrize("text", [FP, FP.upper(), ":".join(FP[i:i + 2] for i in range(0, 64, 2)), "sha256:" + FP, " %s\n" % FP])
def test_fingerprint_forms_are_normalized(text):
    assert normalize_fingerprint(text) == FP


@pytest.mark.parametrize("text", ["", "abc", FP[:-1], FP + "00", "g" * 64, "sha1:" + FP[:40]])
def test_bad_fingerprints_name_the_option(text):
    with pytest.raises(ValueError, match="tls_fingerprint"):
        normalize_fingerprint(text)


def test_pin_file_lookup_by_host_and_port(tmp_path):
    pins = tmp_path / "tls_known_hosts"
    pins.write_text("# pinned by playbooks/bootstrap_tls.yml\n"
                    "127.0.0.1:18729 %s\n"
                    "\n"
                    "[2001:db8::1]:8729 %s  # a comment\n" % (FP, FP.upper()))
    assert known_fingerprint(str(pins), "127.0.0.1", 18729) == FP
    assert known_fingerprint(str(pins), "127.0.0.1", 8729) is None
    assert known_fingerprint(str(pins), "2001:db8::1", 8729) == FP
    assert known_fingerprint(str(tmp_path / "missing"), "127.0.0.1", 18729) is None
    assert known_fingerprint(None, "127.0.0.1", 18729) is None
    assert endpoint_key("router.example", 8729) == "router.example:8729"


def test_malformed_pin_file_names_file_and_line(tmp_path):
    pins = tmp_path / "pins"
    pins.write_text("127.0.0.1:8729 %s\n127.0.0.1:8730\n" % FP)
    with pytest.raises(ValueError, match=r"pins line 2"):
        known_fingerprint(str(pins), "127.0.0.1", 8730)
    pins.write_text("127.0.0.1:8729 nothex\n")
    with pytest.raises(ValueError, match=r"line 1: tls_fingerprint must be"):
        known_fingerprint(str(pins), "127.0.0.1", 8729)


def test_plain_api_warns_naming_the_host_and_never_a_secret():
    params = {"hostname": "core.example", "username": "admin", "password": "s3cret-pw", "transport": "api",
              "tls": False, "port": None}
    warnings = connection_warnings(params)
    assert len(warnings) == 1
    assert "core.example" in warnings[0] and "tls=false" in warnings[0] and "core.example:8728" in warnings[0]
    assert "s3cret-pw" not in warnings[0] and "admin" not in warnings[0]


def test_weakened_tls_warns_and_secure_settings_do_not():
    base = {"hostname": "r1", "password": "pw", "transport": "api", "tls": True, "validate_certs": True,
            "validate_cert_hostname": True}
    assert connection_warnings(base) == []
    assert connection_warnings(dict(base, transport="ssh", tls=False)) == []
    assert "validate_certs=false" in connection_warnings(dict(base, validate_certs=False))[0]
    assert connection_warnings(dict(base, validate_certs=False, tls_fingerprint=FP)) == []
    assert "validate_cert_hostname=false" in connection_warnings(dict(base, validate_cert_hostname=False))[0]


def test_socket_errors_read_as_words():
    assert socket_error_reason(ConnectionRefusedError(111, "Connection refused")) == "connection refused"
    assert socket_error_reason(socket.timeout("timed out")) == "timed out"
