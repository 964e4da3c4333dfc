# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connection options shared by the collection's modules (documented in doc_fragments/connection.py).

The API options have the names and defaults of ``community.routeros.api*``, so one
``module_defaults`` group can serve both collections.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


def connection_argument_spec():
    return dict(
        hostname=dict(type="str"),
        username=dict(type="str"),
        password=dict(type="str", no_log=True),
        port=dict(type="int"),
        tls=dict(type="bool", default=False, aliases=["ssl"]),
        validate_certs=dict(type="bool", default=True),
        validate_cert_hostname=dict(type="bool", default=False),
        ca_path=dict(type="path"),
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
