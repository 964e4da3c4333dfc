# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
name: transit_srcnat_offenders
author: multiwan.routeros maintainers
version_added: 0.1.0
short_description: Find an edge router's source-NAT rules that would hide client addresses from the core
description:
  - Given the edge router's foreign (untagged) C(/ip/firewall/nat) rows as RouterOS prints them, returns the enabled
    C(srcnat) rules (masquerade, src-nat, netmap, same) that would source-NAT forwarded traffic toward the core, each
    with the reason.
  - A rule offends when its out-interface admits the transit interface (no out-interface at all, C(out-interface=<transit>),
    C(out-interface=!<other>), an out-interface-list containing the transit interface, or the builtin list C(all)) and its
    in-interface, src-address and dst-address matchers, when set, let a packet from an internet client to the internal
    networks through.
  - Interface lists other than C(all) and C(none) are resolved only from O(interface_lists); without it such rules
    (like defconf's C(out-interface-list=WAN) masquerade) are not reported, so a guess never disables a rule.
  - Rules an earlier run adopted as disabled (owner tag key starting with C(transit-srcnat-)) are returned again, so the
    role keeps them in its desired state.
positional: edge, interface_lists
options:
  _input:
    description: The router's C(/ip/firewall/nat) rows (dynamic and tagged rows are skipped).
    type: list
    elements: dict
    required: true
  edge:
    description: The C(multiwan_edge) mapping (C(transit_interface) is required; C(internet_interface), C(internal_networks)
      and C(core_address) refine the check).
    type: dict
    required: true
  interface_lists:
    description: Interface list members, as C(/interface/list/member) rows or as a mapping of list name to interfaces.
    type: raw
    required: false
"""

EXAMPLES = r"""
- name: Report source-NAT rules that would NAT forwarded traffic toward the core
  ansible.builtin.debug:
    msg: "{{ nat_rows | multiwan.routeros.transit_srcnat_offenders(multiwan_edge, list_members) | map(attribute='reason') }}"

- name: Adopt them disabled when fix_transit_srcnat is true
  multiwan.routeros.config:
    owner: port_forward_nosrcnat
    adopt: ["/ip/firewall/nat"]
    desired:
      /ip/firewall/nat: "{{ nat_rows | multiwan.routeros.transit_srcnat_offenders(multiwan_edge) | map(attribute='entry') }}"
  when: multiwan_edge.fix_transit_srcnat | default(false)
"""

RETURN = r"""
_value:
  description: One item per offending rule.
  type: list
  elements: dict
  contains:
    id:
      description: The rule's C(.id) as printed, when present.
      type: str
    reason:
      description: Which rule and why it would source-NAT forwarded traffic toward the core.
      type: str
    rule:
      description: The row as given.
      type: dict
    entry:
      description: A desired-state entry that adopts the rule with C(disabled=true) (identity fields copied from the row,
        C(_key) and C(_rank) set).
      type: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.multiwan.routeros.plugins.module_utils.compile.transit_srcnat import (
    transit_srcnat_offenders as _offenders,
)


def transit_srcnat_offenders(foreign_nat_rules, edge, interface_lists=None):
    if not isinstance(foreign_nat_rules, list):
        raise AnsibleFilterError("transit_srcnat_offenders: input must be a list of /ip/firewall/nat rows")
    if not isinstance(edge, dict) or not edge.get("transit_interface"):
        raise AnsibleFilterError("transit_srcnat_offenders: edge must be the multiwan_edge mapping with transit_interface")
    return _offenders(foreign_nat_rules, edge, interface_lists)


class FilterModule(object):
    def filters(self):
        return {"transit_srcnat_offenders": transit_srcnat_offenders}
