#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: verify
short_description: Check through a RouterOS router's own tools that it forwards as the multi-WAN intent says
version_added: 0.1.0
description:
  - Proves that the router forwards as intended, beyond its configuration reading back as intended. It reads and probes,
    never writes.
  - "On a core router (O(kind=core)), one row per WAN table (every WAN with a table of its own): C(/ping) of the WAN's
    gateway with C(interface=) the WAN's interface (the gateway as a neighbour on its link); the table's first hop, the
    gateway of its active default route (C(/ip/route)), which must be the one the intent makes active, the route of
    lowest distance whose gateway answers (the WAN's own, or its failover backups in order while it is down);
    C(/ping) and C(/tool/traceroute) of the WAN's probe host (C(multiwan_monitoring.probe_hosts), default C(1.1.1.1))
    from the WAN's own address; and the number of connections of C(/ip/firewall/connection) carrying the WAN's
    connection mark."
  - RouterOS 7's C(/ping) and C(/tool/traceroute) take no C(routing-table=) (neither 7.19 nor 7.22.3 has it), so a
    probe goes the way the router sends its own packets from the WAN's address. The traceroute's first hop tells
    whether it left through the WAN's table; when it did not (no C(/routing/rule) sends that address there), the row
    says so in RV(rows[].notes) and the probe host is not judged for that WAN.
  - On an edge router (O(kind=edge)), one row for its WAN through its main table (the gateway of its active default
    route, pinged on its interface, and the probe host C(1.1.1.1)), and its forwarded (dstnat) connections toward the
    core (C(multiwan_edge.internal_networks)) must keep the client's source address; a forwarded connection that is
    also source-NATed is a problem.
  - Table names, gateways, failover order and connection marks come from the intent compiled by the same functions the
    roles use. A WAN whose gateway comes from its DHCP client (C(gateway_from=dhcp)) is probed at the gateway of the
    default route that client installed; a PPPoE WAN's gateway is its interface, up while a route through it is active.
  - A probe the router refuses (an interface that does not exist yet) is a problem of its row, in the router's words.
  - The task fails when any check fails, with the table of every WAN in RV(msg), unless O(report_only). The gates of
    phases 60 and 80 (C(playbooks/tasks/verify.yml)) run it.
author:
  - multiwan.routeros maintainers (@multiwan-routeros)
extends_documentation_fragment:
  - multiwan.routeros.connection
  - multiwan.routeros.attributes
attributes:
  check_mode:
    support: full
    description: It only reads and probes, so check mode runs exactly the same probes and reports the same result.
  diff_mode:
    support: none
    description: Nothing changes, so there is no diff.
notes:
  - Runs on the Ansible controller, in the process of C(ansible-playbook), through the collection's action plugin,
    whatever the host's connection is. Connection options the task does not set come from the host's inventory
    variables, as for M(multiwan.routeros.config).
  - Each WAN costs two pings of O(count) probes and one traceroute; with the defaults a core of four WANs takes a few
    seconds.
options:
  intent:
    description:
      - The router's intent, a mapping of the intent variable names to their values, as the
        P(multiwan.routeros.intent#lookup) lookup returns it. It is validated first; invalid intent fails the task,
        naming every problem by its variable path, before any connection.
      - Default is the host's own intent variables, read by the action plugin (without passing them through Jinja).
    type: dict
  kind:
    description:
      - The router kind the intent describes.
      - Default is the host's kind, V(edge) for a host in the group C(multiwan_edge), V(core) otherwise (V(core) when
        the module runs without its action plugin).
    type: str
    choices: [core, edge]
  count:
    description:
      - Echo requests per C(/ping); a ping passes when at least one is answered.
    type: int
    default: 3
  interval:
    description:
      - Time between the echo requests of one C(/ping), a RouterOS time (C(10ms) to C(5s)).
    type: str
    default: 200ms
  max_hops:
    description:
      - C(max-hops) of each C(/tool/traceroute); only the first hop is judged.
    type: int
    default: 1
  report_only:
    description:
      - Return the table without failing the task when a check fails (RV(ok) says whether all passed).
    type: bool
    default: false
  gate:
    description:
      - The name of the rollout phase whose verification gate this task is (for example C(60_failover)). The task
        prints the per-WAN table; when a check fails, an apply run fails with a message starting C(STOP:) (an armed
        commit-confirm then reverts the run), and a check run reports the problems and goes on (it probed the router
        as it is now, before the planned changes). O(report_only) does not apply.
      - The result is kept for the run as the fact C(multiwan_verified), which O(reuse) reads.
    type: str
  reuse:
    description:
      - With O(gate), take the result of the run's previous verification gate instead of probing again, when the router
        has not changed since (a check run writes nothing; in an apply run, no phase of the run summary,
        C(multiwan_phase_summary), reported a change after that probe). The reused result says, in RV(notes), after
        which phase it was probed.
    type: bool
    default: false
  validate_run:
    description:
      - With O(gate), phase 80 of a rollout (C(core.yml), C(edge.yml)). Before it probes, the task judges the run. Every
        role of the router kind's rollout must have passed its gate in this run (the fact C(multiwan_phase_summary)),
        and the design compiled from the intent must hold (C(multiwan_compiled.design.problems), from
        M(multiwan.routeros.compile)); otherwise the task fails, naming each problem, and probes nothing. On an edge it
        reports the foreign source-NAT rules toward the core that phase 40 left enabled.
      - When the gate passes, it prints the run summary after the table, one line per phase (what changed, or in check
        mode what would change).
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: Verify the core's WANs with the host's intent, connecting with its inventory variables
  multiwan.routeros.verify:
  register: verified

- name: Show the per-WAN table
  ansible.builtin.debug:
    msg: "{{ verified.table_lines }}"

- name: Report an edge router's forwards without failing, with an intent of its own
  multiwan.routeros.verify:
    intent: "{{ lookup('multiwan.routeros.intent') | combine({'multiwan_monitoring': {'probe_hosts': {'1012': '9.9.9.9'}}}) }}"
    kind: edge
    report_only: true
  register: edge_verified

- name: The verification gate of a phase (stops an apply run, reports in a check run; reused while nothing changed)
  multiwan.routeros.verify:
    gate: 80_validation
    reuse: true
"""

RETURN = r"""
rows:
  description: One row per WAN table (core) or for the edge's WAN.
  returned: success, and when a check failed
  type: list
  elements: dict
  contains:
    wan:
      description: The WAN's name.
      type: str
      sample: "1012"
    table:
      description: The routing table probed (C(main) on an edge).
      type: str
      sample: InternetVia1012
    gateway:
      description: The WAN's gateway (from the intent, the route the DHCP client installed, or the edge's active
        default route); empty when there is none.
      type: str
      sample: 10.10.2.1
    gateway_ping:
      description: The gateway's C(/ping) (C(sent), C(received), C(status) of the lost ones, C(avg_rtt), C(ok)); null
        for an interface gateway or none.
      type: dict
      sample: {"sent": 3, "received": 3, "status": "", "avg_rtt": "1ms", "ok": true}
    first_hop:
      description: C(expected), the gateway the intent makes active in the table (on an edge, its own active default
        route's); C(actual), the gateway of the table's active default route on the router.
      type: dict
      sample: {"expected": "10.10.2.1", "actual": "10.10.2.1"}
    probe_host:
      description: The far host probed.
      type: str
      sample: 1.1.1.1
    probe_source:
      description: The address the probe was sent from, the WAN's own (empty on an edge, the router's choice).
      type: str
      sample: 10.10.2.2
    probe_ping:
      description: The probe host's C(/ping), as RV(rows[].gateway_ping).
      type: dict
      sample: {"sent": 3, "received": 3, "status": "", "avg_rtt": "2ms", "ok": true}
    probe_first_hop:
      description: The first hop of the probe's C(/tool/traceroute) (empty when it did not answer).
      type: str
      sample: 10.10.2.1
    probe_through_table:
      description: Whether the probe left by the table's first hop; null when that cannot be told (the hop did not
        answer, or the gateway is an interface).
      type: bool
      sample: true
    connection_mark:
      description: The connection mark of the WAN's table (empty on an edge).
      type: str
      sample: CONN_VIA_1012
    connections:
      description: Core, connections carrying RV(rows[].connection_mark); edge, forwarded connections toward the core.
      type: int
      sample: 42
    ok:
      description: Whether every check of the row passed.
      type: bool
      sample: true
    problems:
      description: What failed, in words.
      type: list
      elements: str
      sample: ["gateway 10.10.2.1 does not answer (0/3 timeout)"]
    notes:
      description: What was not judged and why (a probe the router sent another way than through the table).
      type: list
      elements: str
      sample: []
table:
  description: The rows as a text table, one line per WAN, under a title with the router's identity, the host, the
    router kind and the verdict.
  returned: success, and when a check failed
  type: str
table_lines:
  description: RV(table) as a list of lines (readable in the default callback's output).
  returned: success, and when a check failed
  type: list
  elements: str
problems:
  description: Every problem of every row, prefixed with its WAN and table.
  returned: success, and when a check failed
  type: list
  elements: str
  sample: ["WAN 1012 (InternetVia1012): gateway 10.10.2.1 does not answer (0/3 timeout)"]
notes:
  description: Every note of every row, prefixed with its WAN and table.
  returned: success, and when a check failed
  type: list
  elements: str
ok:
  description: Whether every check passed.
  returned: success, and when a check failed
  type: bool
msg:
  description: RV(table).
  returned: always
  type: str
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.multiwan.routeros.plugins.module_utils.runs import exit_module, run_verify, verify_spec


def main():
    argument_spec, constraints = verify_spec()
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True, **constraints)
    exit_module(module, run_verify(module.params, module.check_mode))


if __name__ == "__main__":
    main()
