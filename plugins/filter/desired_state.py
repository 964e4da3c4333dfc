# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
name: desired_state
author: multiwan.routeros maintainers
version_added: 0.1.0
short_description: Compile the multi-WAN intent into one role's desired RouterOS entries
description:
  - Validates the inventory intent for the role's router kind (core, edge, or the settings common to both)
    and compiles it into the desired state the C(multiwan.routeros.config) module reconciles.
  - Every violation is reported at once, each naming the variable path (for example C(multiwan_sites[3].wan)).
  - Pure computation on the controller; no device is contacted.
positional: role
options:
  _input:
    description:
      - Mapping of inventory variable names to their values. Missing keys mean "not set".
      - Keys used are C(multiwan_wans), C(multiwan_sites), C(multiwan_internal_networks), C(multiwan_internal_strategy),
        C(multiwan_lan_interfaces), C(multiwan_names), C(multiwan_fasttrack), C(multiwan_conntrack), C(multiwan_load_balancing),
        C(multiwan_edge) and C(multiwan_port_forwards).
    type: dict
    required: true
  role:
    description:
      - The role whose part of the configuration to compile.
      - C(wan_interfaces), C(routing_tables), C(connection_marks) and C(site_policy) (which includes load balancing)
        validate the core intent; C(port_forward_nosrcnat) validates the edge intent; C(fasttrack_tuning) validates only
        C(multiwan_fasttrack) and C(multiwan_conntrack), so core and edge routers can both run it.
    type: str
    required: true
    choices: [wan_interfaces, routing_tables, connection_marks, site_policy, port_forward_nosrcnat, fasttrack_tuning]
notes:
  - Raises an error listing every intent violation when the intent is invalid.
seealso:
  - plugin: multiwan.routeros.intent_errors
    plugin_type: filter
"""

EXAMPLES = r"""
- name: Reconcile the routing tables of the core
  multiwan.routeros.config:
    owner: routing_tables
    desired: "{{ multiwan_intent | multiwan.routeros.desired_state('routing_tables') }}"
  vars:
    multiwan_intent:
      multiwan_wans: "{{ multiwan_wans }}"
      multiwan_internal_networks: "{{ multiwan_internal_networks }}"
      multiwan_sites: "{{ multiwan_sites | default(omit) }}"

- name: Show what the connection_marks role would write
  ansible.builtin.debug:
    msg: "{{ {'multiwan_wans': multiwan_wans, 'multiwan_internal_networks': multiwan_internal_networks}
             | multiwan.routeros.desired_state('connection_marks') }}"
"""

RETURN = r"""
_value:
  description:
    - Desired state, a mapping of RouterOS menu path (API form, for example C(/ip/firewall/mangle)) to a list of entries.
    - Each entry holds RouterOS field names and values, C(comment) (a human description; the engine appends the owner tag),
      C(_key) on paths without a natural key, C(_rank) on ordered paths, and C(_gateway=connected) on routes whose gateway
      the engine resolves from the router's connected routes.
  type: dict
"""

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.text.converters import to_native

from ansible_collections.multiwan.routeros.plugins.module_utils.compile.dispatch import ROLES, desired_state as _desired_state
from ansible_collections.multiwan.routeros.plugins.module_utils.intent.validate import IntentError


def desired_state(intent_vars, role):
    if not isinstance(intent_vars, dict):
        raise AnsibleFilterError("desired_state: the input must be a mapping of inventory variable names, got %s"
                                 % type(intent_vars).__name__)
    if role not in ROLES:
        raise AnsibleFilterError("desired_state: unknown role %r; expected one of %s" % (role, ", ".join(sorted(ROLES))))
    try:
        return _desired_state(intent_vars, role)
    except IntentError as exc:
        raise AnsibleFilterError("desired_state(%s): %s" % (role, to_native(exc)))


class FilterModule(object):
    def filters(self):
        return {"desired_state": desired_state}
