# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):

    DOCUMENTATION = r'''
notes:
  - Runs on the Ansible controller, in the process of C(ansible-playbook), through the collection's action plugin,
    whatever the host's connection is; the router needs no Python, and neither the play nor the inventory needs
    C(ansible_connection=local) or C(ansible_python_interpreter). librouteros or paramiko must be installed in the
    Python that runs C(ansible-playbook).
  - Connection options the task does not set (directly or through C(module_defaults)) come from the host's
    inventory variables, O(hostname) from C(ansible_host) (else the inventory name), O(username) from
    C(ansible_user) (else V(admin)), O(password) from C(ansible_password), O(transport) from C(multiwan_transport),
    O(port) from C(multiwan_api_port), O(tls) from C(multiwan_api_tls), O(validate_certs) from
    C(multiwan_validate_certs), O(ca_path) from C(multiwan_ca_path), O(ssh_port) from C(ansible_port),
    O(private_key) from C(ansible_ssh_private_key_file), O(host_key_checking) from C(multiwan_host_key_checking),
    O(known_hosts) from C(multiwan_known_hosts), O(validate_cert_hostname) from C(multiwan_validate_cert_hostname),
    O(tls_fingerprint) from C(multiwan_tls_fingerprint) and O(tls_known_hosts) from C(multiwan_tls_known_hosts)
    (else C(<inventory dir>/tls_known_hosts), the file C(playbooks/bootstrap_tls.yml) writes).
options:
  hostname:
    description:
      - RouterOS hostname or IP address.
      - Required unless the module runs without a device.
    type: str
  username:
    description:
      - RouterOS login user.
      - Required unless the module runs without a device.
    type: str
  password:
    description:
      - RouterOS user password (API, and SSH when no O(private_key) is given).
    type: str
  port:
    description:
      - API port. Defaults to V(8729) (API-SSL), or V(8728) when O(tls=false).
      - Only used by O(transport=api); the SSH port is O(ssh_port).
    type: int
  tls:
    description:
      - Use the API over TLS (the C(api-ssl) service, port 8729).
      - With V(false) the login (user name and password) and the configuration cross the network unencrypted;
        the module then warns, naming the host. Use O(transport=ssh) where the router has no API-SSL
        certificate yet, or create one with C(playbooks/bootstrap_tls.yml).
      - The default differs from C(community.routeros.api) (V(false)).
    type: bool
    default: true
    aliases:
      - ssl
  validate_certs:
    description:
      - Validate the router's TLS certificate against O(ca_path) or the system trust store.
      - Turning it off allows a man-in-the-middle to read the credentials; pin the certificate with O(tls_fingerprint) instead.
      - Not used when a fingerprint is pinned (O(tls_fingerprint), O(tls_known_hosts)).
    type: bool
    default: true
  validate_cert_hostname:
    description:
      - Also check that the certificate was issued for O(hostname) (its subject alternative names).
      - Set V(false) only to accept a certificate that names the router differently from how you reach it.
      - The default differs from C(community.routeros.api) (V(false)).
    type: bool
    default: true
  ca_path:
    description:
      - PEM file with the certificate authority (or the self-signed certificate) to trust.
    type: path
  tls_fingerprint:
    description:
      - SHA-256 fingerprint of the router's API-SSL certificate, as C(/certificate print) shows it (64 hex digits;
        C(:) separators and a C(sha256:) prefix are accepted).
      - When given, the certificate is verified by this fingerprint instead of a CA and a host name (like an SSH
        host key), so a self-signed router certificate is safe to use. A different certificate fails the run
        before the password is sent.
      - Takes precedence over O(tls_known_hosts).
    type: str
  tls_known_hosts:
    description:
      - File of pinned API-SSL certificate fingerprints, one C(<host>:<port> <sha256 fingerprint>) per line
        (IPv6 hosts in brackets), as C(playbooks/bootstrap_tls.yml) writes it.
      - The line for O(hostname) and the API port pins the certificate as O(tls_fingerprint) does; without such a
        line (or without the file) the certificate is validated against a CA.
    type: path
  timeout:
    description:
      - Socket timeout in seconds, for connecting and for every reply.
    type: int
    default: 10
  encoding:
    description:
      - Character encoding of the API session (O(transport=api)); SSH always sends UTF-8.
      - RouterOS stores a comment as the bytes it receives, so UTF-8 keeps a non-ASCII comment intact
        over both transports. C(community.routeros) defaults to V(ASCII); set V(ASCII) here too to write the same bytes
        as its modules do.
      - A value the encoding cannot carry fails the run before any write, naming the entry and the field.
    type: str
    default: UTF-8
  transport:
    description:
      - V(api) uses the RouterOS API (librouteros); V(ssh) uses the RouterOS CLI over SSH (paramiko).
      - Both produce the same router state from the same desired state.
    type: str
    choices: [api, ssh]
    default: api
  ssh_port:
    description:
      - SSH port, for O(transport=ssh).
    type: int
    default: 22
  private_key:
    description:
      - SSH private key file, for O(transport=ssh).
    type: path
  private_key_passphrase:
    description:
      - Passphrase of O(private_key).
    type: str
  host_key_checking:
    description:
      - Refuse to connect over SSH to a host whose key is not known (from O(host_key) or O(known_hosts)).
    type: bool
    default: true
  known_hosts:
    description:
      - known_hosts file to check the SSH host key against. Defaults to C(~/.ssh/known_hosts).
    type: path
  host_key:
    description:
      - The router's SSH host key, as a known_hosts line or as C(<type> <base64>); takes precedence over O(known_hosts).
    type: str
requirements:
  - librouteros (for O(transport=api))
  - paramiko (for O(transport=ssh))
'''
