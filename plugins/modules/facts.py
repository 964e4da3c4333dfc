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
  - Never changes the router's configuration.
  - Over the API, V(export) runs C(/export file=), reads the file back and removes it (a temporary
    C(mwan-export-*.rsc) in C(/file)); in check mode it runs C(/export) through C(/execute as-string) instead and
    writes nothing at all on the router, so it works with a read-only account or a full disk. Over SSH,
    C(/export) prints to the session and nothing is written in either mode.
  - The backup role uses it to save an C(/export) on the controller before any change (O(backup_dir)).
author:
  - multiwan.routeros maintainers (@multiwan-routeros)
extends_documentation_fragment:
  - multiwan.routeros.connection
  - multiwan.routeros.attributes
attributes:
  check_mode:
    support: full
    description: Reads the same facts; nothing at all is written on the router, not even the API's temporary export file.
  diff_mode:
    support: none
    description: Nothing changes, so there is no diff.
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
  backup_dir:
    description:
      - Save the export on the controller, in this folder (created when missing, mode C(0700)), as
        C(<backup_name>-<UTC timestamp>.rsc) (mode C(0600)); V(export) is read even when O(gather) does not list it.
        The module fails when the router returns an empty export.
      - A relative path is taken from the directory ansible-playbook was started from (the controller's working
        directory), never from a playbook's or a role's folder.
      - Also in check mode, which writes nothing on the router.
      - The action plugin prints what it saved and publishes the file as the run's statistic C(multiwan_backups)
        (RV(ansible_stats)).
    type: path
  backup_name:
    description:
      - The name the export files of O(backup_dir) start with, usually the inventory host name. Required with
        O(backup_dir).
    type: str
  backup_keep:
    description:
      - Keep at most this many exports of O(backup_name) in O(backup_dir) (the newest, by the timestamp in their names);
        V(0) keeps every one.
    type: int
    default: 0
"""

EXAMPLES = r"""
- name: Read identity and version, connecting with the host's inventory variables
  multiwan.routeros.facts:
  register: router

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
backup_file:
  description: The absolute path of the saved export.
  returned: when O(backup_dir) is set
  type: str
  sample: /srv/backups/core/core-20260121T011752Z.rsc
backup_removed:
  description: The older exports removed beyond O(backup_keep).
  returned: when O(backup_dir) is set
  type: list
  elements: str
ansible_stats:
  description: The statistic C(multiwan_backups), the saved file under the host's name, aggregated over the hosts of
    the run (as C(ansible.builtin.set_stats) with C(per_host=false) and C(aggregate=true) publishes it; AWX shows it with
    the job's artifacts).
  returned: when O(backup_dir) is set
  type: dict
  sample: {"data": {"multiwan_backups": {"core": "/srv/backups/core/core-20260121T011752Z.rsc"}}, "per_host": false, "aggregate": true}
msg:
  description: What was saved, where (the action plugin also prints it).
  returned: when O(backup_dir) is set
  type: str
  sample: Saved the /export of CORE (RouterOS 7.19 (stable)), 48210 characters, to /srv/backups/core/core-20260121T011752Z.rsc
ansible_facts:
  description: The same values as C(ansible_net_hostname) and C(ansible_net_version).
  returned: always
  type: dict
  sample: {"ansible_net_hostname": "core-ccr1072", "ansible_net_version": "7.19 (stable)"}
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.multiwan.routeros.plugins.module_utils.runs import exit_module, facts_spec, run_facts


def main():
    argument_spec, constraints = facts_spec()
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True, **constraints)
    exit_module(module, run_facts(module.params, module.check_mode))


if __name__ == "__main__":
    main()
