#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: drill
short_description: Failover drill on a RouterOS core router, one WAN at a time, timed
version_added: 0.1.0
description:
  - Takes the gateway of each WAN of O(wans) out of service, one WAN at a time, checks that every routing table that
    has a default route through it fails over to its backup in the intended order, puts the WAN back, checks that every
    such table recovers its intended primary, and reports how long each step took.
  - A WAN is taken out by disabling the default routes the C(routing_tables) role wrote for it (those whose owner tag is
    C([mwan:routing_tables:<key>]) with a key of that WAN), in its own table, in the other WANs' tables (as their
    backup), in the ECMP table and in C(main). Its interface, address and every other entry stay as they are, so
    management that does not go through that gateway is never cut. Restoring enables exactly the routes it disabled.
  - "The expected resolution of each table comes from the intent, compiled by the same functions as the
      C(routing_tables) role: a table resolves to its lowest-distance default route whose WAN is in service (several
      gateways at an equal distance, ECMP). The router's view is its active default routes per table, read over the
      same session, polled until each table resolves as expected or O(converge_timeout) has passed."
  - The drill starts only when the router has every route of the WAN, enabled, and every table is on its intended
    primary; otherwise it fails and writes nothing. When a table does not fail over (or recover) as expected, the
    routes are enabled again first and the task then fails, naming the table, what it expected and what it saw.
  - The playbook C(playbooks/failover_drill.yml) runs it inside the run lock and commit-confirm, so a controller that
    dies mid-drill leaves a router that reverts the drill by itself.
author:
  - multiwan.routeros maintainers (@multiwan-routeros)
extends_documentation_fragment:
  - multiwan.routeros.connection
  - multiwan.routeros.attributes
attributes:
  check_mode:
    support: full
    description: Reads the router and reports which routes the drill would disable and what each table should resolve
      to; writes nothing. What would stop the drill is reported as a warning.
  diff_mode:
    support: none
    description: The routes are enabled again at the end; RV(drills) describes what happened.
notes:
  - Runs on the Ansible controller, in the process of C(ansible-playbook), through the collection's action plugin,
    whatever the host's connection is. Connection options the task does not set come from the host's inventory
    variables, as for M(multiwan.routeros.config).
  - A WAN whose gateway comes from its DHCP client (C(gateway_from=dhcp)) cannot be drilled, its routes are the client's.
  - RouterOS exports a route that was disabled and enabled again with C(disabled=no) (a routing menu exports every
    property once written, and C(disabled) cannot be unset); the first drill of a WAN leaves that in the export of its
    routes, nothing else.
options:
  wans:
    description:
      - The WAN names to drill, one at a time in this order (each one restored before the next), or one name. Required
        (the drill is opt-in); the playbook takes it from C(multiwan_drill_wans).
    type: raw
  intent:
    description:
      - The core router's intent variables the C(routing_tables) role compiles, for example
        C(lookup('multiwan.routeros.intent', role='routing_tables')). An invalid intent fails before any connection.
    type: dict
    required: true
  converge_timeout:
    description:
      - Seconds to wait, after taking a WAN out and after putting it back, for every table to resolve as expected.
    type: int
    default: 30
"""

EXAMPLES = r"""
- name: Drill WAN 1012 (check mode first shows what it would disable)
  multiwan.routeros.drill:
    wans: ["1012"]
    intent: "{{ lookup('multiwan.routeros.intent', role='routing_tables') }}"
    converge_timeout: 30
  register: drill

- name: The per-WAN table
  ansible.builtin.debug:
    msg: "{{ drill.report }}"
"""

RETURN = r"""
drills:
  description: One entry per drilled WAN, in order; the WAN that failed is the last one.
  returned: always
  type: list
  elements: dict
  contains:
    wan:
      description: The WAN.
      type: str
      sample: "1012"
    result:
      description: V(ok), V(FAILED over wrongly), V(FAILED to recover), V(CUT SHORT) or V(not run) (check mode, or
        stopped before the first write).
      type: str
      sample: ok
    disabled:
      description: The routes taken out (in check mode, that would be), with their key, C(.id), table and gateway.
      type: list
      elements: dict
      sample: [{"key": "table-1012-default", "id": "*A3", "table": "InternetVia1012", "gateway": "10.10.2.1"}]
    tables:
      description: Every table with a default route through the WAN, its routes in distance order, the gateways it
        resolves to normally (C(primary)) and while the WAN is out (C(during)), and, after an apply run, what it was
        seen to resolve to (C(seen_during), C(seen_after)).
      type: list
      elements: dict
      sample: [{"table": "InternetVia1012", "order": ["10.10.2.1 (1012, distance 1)", "10.10.0.1 (1000, distance 3)"],
                "primary": ["10.10.2.1"], "during": ["10.10.0.1"], "seen_during": ["10.10.0.1"],
                "seen_after": ["10.10.2.1"]}]
    timings:
      description: Seconds each step took (null when it did not run) - C(take_out) (disabling the routes),
        C(converge) (until every table resolved to its backup), C(restore) (enabling them), C(recover) (until every
        table was back on its primary).
      type: dict
      sample: {"take_out": 0.01, "converge": 0.02, "restore": 0.01, "recover": 0.02}
    commands:
      description: The RouterOS CLI lines run (in check mode, that would run).
      type: list
      elements: str
      sample: ["/ip route set *A3 disabled=yes", "/ip route set *A3 disabled=no"]
report:
  description: The per-WAN table, as lines - the time of each step per WAN, then each table's primary and backup.
  returned: always
  type: list
  elements: str
restored:
  description: False when the drill wrote and could not verify that the router is back as it was (its commit-confirm
    revert then restores it); true otherwise.
  returned: always
  type: bool
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.multiwan.routeros.plugins.module_utils.drill import drill_spec, run_drill
from ansible_collections.multiwan.routeros.plugins.module_utils.runs import exit_module


def main():
    argument_spec, constraints = drill_spec()
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True, **constraints)
    exit_module(module, run_drill(module.params, module.check_mode))


if __name__ == "__main__":
    main()
