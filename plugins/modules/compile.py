#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: compile
short_description: Validate a router's multi-WAN intent and compile every role's desired state, once per run
version_added: 0.1.0
description:
  - Validates the intent of a core or edge router and fails, naming every violation by its variable path, before any
    router is contacted. Contacts no router.
  - On valid intent, compiles the desired state of every role of the router's kind and sets it as the fact
    C(multiwan_compiled), with a digest of the intent. M(multiwan.routeros.config) with O(multiwan.routeros.config#module:from_intent)
    takes a role's desired state from that fact for the rest of the run, while the intent still has that digest (it
    compiles anew when an intent variable changed since), so the intent is validated and compiled once per run and
    host.
  - The first task of C(playbooks/core.yml), C(playbooks/edge.yml) and every phase playbook run alone
    (C(playbooks/tasks/intent.yml)). It starts the run's own facts afresh (the phase summary, the pending plan, the last
    probe, the lock state), since the facts modules return are host facts, which a fact cache would otherwise carry
    over from an earlier run.
author:
  - multiwan.routeros maintainers (@multiwan-routeros)
extends_documentation_fragment:
  - multiwan.routeros.attributes
attributes:
  check_mode:
    support: full
    description: Contacts no router; check mode validates and compiles the same.
  diff_mode:
    support: none
    description: Nothing changes, so there is no diff.
  platform:
    description: Runs on the controller; contacts no router.
notes:
  - Runs on the Ansible controller, in the process of C(ansible-playbook), through the collection's action plugin.
    Without O(intent), the action plugin reads the host's intent variables itself (templating only a value that holds a
    template), which costs far less than passing a large intent through a lookup.
options:
  intent:
    description:
      - The router's intent, a mapping of intent variable names to their values, as the P(multiwan.routeros.intent#lookup)
        lookup returns it with C(cross_checked=true).
      - Default is the host's own intent variables, read by the action plugin.
    type: dict
  kind:
    description:
      - The router kind of the intent.
      - Default is the host's kind, V(edge) for a host in the group C(multiwan_edge), V(core) otherwise.
    type: str
    choices: [core, edge]
  variables:
    description:
      - Every C(multiwan_*) variable name the host sets; a name that is no intent variable (a typo such as
        C(multiwan_site)) is a violation.
      - Default, when O(intent) is not given either, is the host's own variable names.
    type: list
    elements: str
"""

EXAMPLES = r"""
- name: Validate the intent and compile it once, before connecting to the router
  multiwan.routeros.compile:

- name: Reconcile the routing tables from the compiled intent
  multiwan.routeros.config:
    owner: routing_tables
    state: overridden
    from_intent: true
"""

RETURN = r"""
entries:
  description: The number of entries each role's desired state holds.
  returned: success
  type: dict
  sample: {"wan_interfaces": 10, "routing_tables": 27, "site_policy": 233}
problems:
  description: Every violation, each with its variable path.
  returned: failure on invalid intent
  type: list
  elements: str
  sample: ["multiwan_sites[0].wan: unknown WAN '9999'; known WANs: 1000, 1012"]
ansible_facts:
  description: The compiled intent.
  returned: success
  type: dict
  contains:
    multiwan_compiled:
      description: C(kind), C(digest) (of the intent's values), C(desired), the desired state of every role of the
        kind (the P(multiwan.routeros.desired_state#filter) filter's result per role, as JSON text, for
        P(ansible.builtin.from_json#filter); ansible-playbook copies a host's facts value by value for every task), and
        C(design), what phases 60
        and 80 check of it (the WAN tables' default routes, the routing marks and tables, the connection marks
        FastTrack is limited to, the out-interfaces of the managed masquerade rules) with C(problems), what is wrong
        with it (empty when the design holds); C(required), per role that needs entries it does not manage, what
        O(multiwan.routeros.config#module:require) gets (a PPPoE WAN's client); C(adopted), per role that takes over
        entries besides its C(<role>_adopt), the paths added to O(multiwan.routeros.config#module:adopt) (a DHCP WAN's
        client); and C(probes), what M(multiwan.routeros.verify) probes on the host's own intent.
      type: dict
    multiwan_phase_summary:
      description: The run's phase summary, empty.
      type: list
    multiwan_pending_plan:
      description: The run's pending plan (JSON text once a gate sets it), none yet.
      type: str
    multiwan_cleanup_roles:
      description: The roles phase 75 runs again, every role of the router kind's rollout (the latest first) until a gate
        of the run sets those whose removals waited.
      type: list
      elements: str
    multiwan_lock_run_id:
      description: The run lock's run id, none yet (an extra var of that name still wins, to continue a failed run).
      type: str
msg:
  description: The verdict, with the entries per role.
  returned: always
  type: str
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.multiwan.routeros.plugins.module_utils.runs import compile_spec, exit_module, run_compile


def main():
    argument_spec, constraints = compile_spec()
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True, **constraints)
    exit_module(module, run_compile(module.params, module.check_mode))


if __name__ == "__main__":
    main()
