# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connection options shared by the collection's modules (documented in doc_fragments/connection.py).

The API options have the names of ``community.routeros.api*``, so one ``module_defaults`` group can
serve both collections; the defaults differ where community.routeros's would send the password in
clear text or accept a certificate issued to another host: ``tls`` and ``validate_cert_hostname``
default to true here.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


def connection_argument_spec():
    return dict(
        hostname=dict(type="str"),
        username=dict(type="str"),
        password=dict(type="str", no_log=True),
        port=dict(type="int"),
        tls=dict(type="bool", default=True, aliases=["ssl"]),
        validate_certs=dict(type="bool", default=True),
        validate_cert_hostname=dict(type="bool", default=True),
        ca_path=dict(type="path"),
        tls_fingerprint=dict(type="str", no_log=False),
        tls_known_hosts=dict(type="path"),
        timeout=dict(type="int", default=10),
        encoding=dict(type="str", default="UTF-8"),
        transport=dict(type="str", default="api", choices=["api", "ssh"]),
        ssh_port=dict(type="int", default=22),
        private_key=dict(type="path"),
        private_key_passphrase=dict(type="str", no_log=True),
        host_key_checking=dict(type="bool", default=True),
        known_hosts=dict(type="path"),
        host_key=dict(type="str", no_log=False),
    )


def missing_connection_params(params):
    """Names of connection options a device run needs but did not get."""
    return [name for name in ("hostname", "username") if not params.get(name)]


def connection_warnings(params):
    """Warnings for connection options that expose the login; they name the host, never a secret."""
    if (params.get("transport") or "api") != "api":
        return []
    host = params.get("hostname")
    if not params.get("tls", True):
        port = params.get("port") or 8728
        return ["%s: tls=false: the API login (user name and password) and the configuration go to %s:%s "
                "unencrypted; use tls=true (API-SSL, port 8729; playbooks/bootstrap_tls.yml sets it up) "
                "or transport=ssh" % (host, host, port)]
    if params.get("tls_fingerprint") or params.get("tls_known_hosts"):
        return []
    if not params.get("validate_certs", True):
        return ["%s: validate_certs=false: the router's certificate is not checked, so whoever answers at its "
                "address gets the password; pin the certificate with tls_fingerprint instead" % host]
    if not params.get("validate_cert_hostname", True):
        return ["%s: validate_cert_hostname=false: a certificate issued to any other host by the same CA is "
                "accepted" % host]
    return []
