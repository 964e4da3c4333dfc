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
    gateway and of its probe host (C(multiwan_monitoring.probe_hosts), default C(1.1.1.1)), each with C(routing-table=)
    the WAN's table; the first hop of C(/tool/traceroute) toward the probe host in that table, which must be the
    gateway of the table's default route the intent makes active (the route of lowest distance whose gateway answers:
    the WAN's own, or its failover backup while it is down); and the number of connections of
    C(/ip/firewall/connection) carrying the WAN's connection mark."
  - On an edge router (O(kind=edge)), one row for its WAN through its main table (the gateway of its active default
    route, the probe host C(1.1.1.1)), and its forwarded (dstnat) connections toward the core must keep the client's
    source address; a forwarded connection that is also source-NATed is a problem.
  - Table names, gateways, failover order and connection marks come from the intent compiled by the same functions the
    roles use. A WAN whose gateway comes from its DHCP client (C(gateway_from=dhcp)) is probed at the gateway of the
    default route that client installed; a PPPoE WAN's gateway is its interface, up while a route through it is active.
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
    type: dict
    required: true
  kind:
    description:
      - The router kind the intent describes.
    type: str
    choices: [core, edge]
    default: core
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
"""

EXAMPLES = r"""
- name: Verify the core's WANs with the host's intent, connecting with its inventory variables
  multiwan.routeros.verify:
    intent: "{{ lookup('multiwan.routeros.intent') }}"
  register: verified

- name: Show the per-WAN table
  ansible.builtin.debug:
    msg: "{{ verified.table_lines }}"

- name: Report an edge router's forwards without failing
  multiwan.routeros.verify:
    intent: "{{ lookup('multiwan.routeros.intent') }}"
    kind: edge
    report_only: true
  register: edge_verified
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
    probe_host:
      description: The far host probed through the table.
      type: str
      sample: 1.1.1.1
    probe_ping:
      description: The probe host's C(/ping), as RV(rows[].gateway_ping).
      type: dict
      sample: {"sent": 3, "received": 0, "status": "timeout", "avg_rtt": "", "ok": false}
    first_hop:
      description: C(expected), the gateway the intent makes active in the table; C(actual), the traceroute's first
        hop (the active route's gateway when that hop did not answer or the gateway is an interface).
      type: dict
      sample: {"expected": "10.10.2.1", "actual": "10.10.2.1"}
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
      sample: ["gateway 10.10.2.1 does not answer in InternetVia1012 (0/3 timeout)"]
table:
  description: The rows as a text table, one line per WAN, under a title with the host and the verdict.
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
  sample: ["WAN 1012 (InternetVia1012): gateway 10.10.2.1 does not answer in InternetVia1012 (0/3 timeout)"]
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
