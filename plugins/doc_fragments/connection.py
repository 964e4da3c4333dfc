# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):

    DOCUMENTATION = r'''
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
      - API port. Defaults to V(8728), or V(8729) when O(tls=true).
      - Only used by O(transport=api); the SSH port is O(ssh_port).
    type: int
  tls:
    description:
      - Use the API over TLS (api-ssl service).
    type: bool
    default: false
    aliases:
      - ssl
  validate_certs:
    description:
      - Validate the router's TLS certificate against O(ca_path) or the system trust store.
      - Turning it off allows a man-in-the-middle to read the credentials.
    type: bool
    default: true
  validate_cert_hostname:
    description:
      - Also check that the certificate was issued for O(hostname).
    type: bool
    default: false
  ca_path:
    description:
      - PEM file with the certificate authority (or the self-signed certificate) to trust.
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
