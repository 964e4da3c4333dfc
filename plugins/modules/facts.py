#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: facts
short_description: Read a RouterOS router's identity, version and configuration export
version_added: 0.1.0
description:
  - Connects to a RouterOS 7 router over the API or SSH and returns its identity and RouterOS
    version, and on request its configuration as C(/export) text.
  - Read-only; never changes the router.
  - The backup role uses it to save an C(/export) on the controller before any change.
author:
  - multiwan.routeros maintainers (@multiwan-routeros)
extends_documentation_fragment:
  - multiwan.routeros.connection
attributes:
  check_mode:
    support: full
    description: The module never changes the router, so it runs the same in check mode.
  diff_mode:
    support: none
    description: Nothing changes, so there is no diff.
  platform:
    support: full
    platforms: RouterOS
    description: Runs on the controller and connects to the router itself.
options:
  gather:
    description:
      - What to read. V(identity) and V(version) cost one short read each; V(export) asks the
        router for its whole configuration.
    type: list
    elements: str
    choices: [identity, version, export]
    default: [identity, version]
  export_terse:
    description:
      - Return the export in C(terse) form (full menu path on every line, no line wrapping)
        instead of RouterOS's compact form.
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: Read identity and version
  multiwan.routeros.facts:
    hostname: 192.0.2.1
    username: admin
    password: "{{ routeros_password }}"
  register: router

- name: Save the configuration before a change
  multiwan.routeros.facts:
    hostname: 192.0.2.1
    username: admin
    password: "{{ routeros_password }}"
    transport: ssh
    gather: [identity, export]
  register: before
"""

RETURN = r"""
identity:
  description: The router's C(/system identity) name.
  returned: when O(gather) contains V(identity)
  type: str
  sample: core-ccr1072
version:
  description: The RouterOS version string of C(/system resource).
  returned: when O(gather) contains V(version)
  type: str
  sample: 7.19 (stable)
export:
  description: The router's configuration as C(/export) prints it.
  returned: when O(gather) contains V(export)
  type: str
  sample: "# 2026-01-21 01:17:52 by RouterOS 7.19\n/routing table\nadd fib name=InternetVia1012\n"
ansible_facts:
  description: The same values as C(ansible_net_hostname) and C(ansible_net_version).
  returned: always
  type: dict
  sample: {"ansible_net_hostname": "core-ccr1072", "ansible_net_version": "7.19 (stable)"}
"""

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.multiwan.routeros.plugins.module_utils.connection import (
    connection_argument_spec,
    missing_connection_params,
)
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.errors import EngineError
from ansible_collections.multiwan.routeros.plugins.module_utils.transport.factory import (
    missing_library,
    open_transport,
)


def gather_facts(transport, gather, export_terse):
    """Read what ``gather`` asks for over an open transport."""
    result = {}
    if "identity" in gather:
        result["identity"] = transport.identity()
    if "version" in gather:
        result["version"] = transport.version()
    if "export" in gather:
        result["export"] = transport.export(terse=export_terse)
    facts = {}
    if "identity" in result:
        facts["ansible_net_hostname"] = result["identity"]
    if "version" in result:
        facts["ansible_net_version"] = result["version"]
    result["ansible_facts"] = facts
    return result


def main():
    argument_spec = connection_argument_spec()
    argument_spec.update(
        gather=dict(type="list", elements="str", choices=["identity", "version", "export"],
                    default=["identity", "version"]),
        export_terse=dict(type="bool", default=False),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)

    missing = missing_connection_params(module.params)
    if missing:
        module.fail_json(msg="missing connection options: %s" % ", ".join(missing))
    lib = missing_library(module.params["transport"])
    if lib:
        module.fail_json(msg=missing_required_lib(lib[0]), exception=str(lib[1]))

    try:
        with open_transport(module.params) as transport:
            result = gather_facts(transport, module.params["gather"], module.params["export_terse"])
    except EngineError as exc:
        module.fail_json(msg="%s: %s" % (module.params["hostname"], exc))
    module.exit_json(changed=False, **result)


if __name__ == "__main__":
    main()
