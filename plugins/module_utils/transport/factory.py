# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""``open_transport(params)``: the transport the connection options ask for."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.multiwan.routeros.plugins.module_utils.engine.errors import TransportError
# The API transport (the default) is imported with this module, not when a run opens it: ansible-playbook imports the
# action plugins before it forks a worker per task, so each task finds it (and librouteros) imported already, instead
# of compiling it again. The SSH transport stays imported on demand (paramiko costs more than most runs need).
from ansible_collections.multiwan.routeros.plugins.module_utils.transport import api


def open_transport(params):
    """Open the API or SSH transport from the module's connection options (one login)."""
    kind = params.get("transport") or "api"
    if kind == "api":
        return api.ApiTransport(
            hostname=params["hostname"], username=params["username"], password=params.get("password"),
            port=params.get("port"), tls=params.get("tls", True),
            validate_certs=params.get("validate_certs", True),
            validate_cert_hostname=params.get("validate_cert_hostname", True),
            ca_path=params.get("ca_path"), timeout=params.get("timeout") or 10,
            encoding=params.get("encoding") or "UTF-8",
            tls_fingerprint=params.get("tls_fingerprint"), tls_known_hosts=params.get("tls_known_hosts"),
        )
    if kind == "ssh":
        from ansible_collections.multiwan.routeros.plugins.module_utils.transport.ssh import SshTransport
        return SshTransport(
            hostname=params["hostname"], username=params["username"], password=params.get("password"),
            port=params.get("ssh_port") or 22, private_key=params.get("private_key"),
            private_key_passphrase=params.get("private_key_passphrase"),
            host_key_checking=params.get("host_key_checking", True),
            known_hosts=params.get("known_hosts"), host_key=params.get("host_key"),
            timeout=params.get("timeout") or 10,
        )
    raise TransportError("unknown transport %r (api or ssh)" % kind)


def missing_library(kind):
    """``(library name, import error)`` when the transport's library is not installed, else None."""
    if kind == "ssh":
        from ansible_collections.multiwan.routeros.plugins.module_utils.transport import ssh
        return None if ssh.HAS_PARAMIKO else ("paramiko", ssh.PARAMIKO_IMPORT_ERROR)
    return None if api.HAS_LIBROUTEROS else ("librouteros", api.LIBROUTEROS_IMPORT_ERROR)
