# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
name: intent
author: multiwan.routeros maintainers (@multiwan-routeros)
version_added: 0.1.0
short_description: Collect a host's multi-WAN intent variables
description:
  - Returns the host's intent, a mapping of the intent variable names the host sets (C(multiwan_wans), C(multiwan_sites), ...)
    to their values, the input of the P(multiwan.routeros.desired_state#filter) and P(multiwan.routeros.intent_errors#filter)
    filters.
  - Which variables make up the intent of a router kind is defined once, in the collection's registry; variables the host
    does not set are left out (the validator applies the documented defaults).
  - Pure computation on the controller; no device is contacted.
options:
  role:
    description:
      - The intent the role compiles (the variables of the role's router kind, core, edge or the settings common to both).
      - Mutually exclusive with O(kind).
    type: str
  kind:
    description:
      - The router kind whose intent to collect. Default is the host's kind, V(edge) for a host in the group C(multiwan_edge),
        V(core) otherwise.
      - V(common) is the settings every router has (C(multiwan_fasttrack), C(multiwan_conntrack)).
    type: str
    choices: [core, edge, common]
  cross_checked:
    description:
      - Also the variables the kind's validation reads besides its intent (an edge host's C(multiwan_wans), which
        C(multiwan_edge.wan) is checked against).
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: Stop before touching any router when the intent is wrong
  ansible.builtin.assert:
    that: multiwan_problems | length == 0
    fail_msg: "{{ multiwan_problems }}"
  vars:
    multiwan_problems: >-
      {{ lookup('multiwan.routeros.intent', cross_checked=true)
         | multiwan.routeros.intent_errors('edge' if 'multiwan_edge' in group_names else 'core') }}

- name: Reconcile the routing tables of the core
  multiwan.routeros.config:
    owner: routing_tables
    desired: "{{ lookup('multiwan.routeros.intent', role='routing_tables') | multiwan.routeros.desired_state('routing_tables') }}"
"""

RETURN = r"""
_raw:
  description: One mapping of intent variable names to their values.
  type: list
  elements: dict
"""

from typing import Any, Collection, Dict, List, Mapping, Optional, Tuple

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase

from ansible_collections.multiwan.routeros.plugins.module_utils import registry
from ansible_collections.multiwan.routeros.plugins.plugin_utils.host_intent import collect


def intent_names(kind: Optional[str] = None, role: Optional[str] = None, group_names: Collection[str] = (),
                 cross_checked: bool = False) -> Tuple[str, ...]:
    """The intent variable names to collect: of ``role``'s kind, of ``kind``, or of the host's kind."""
    if role is not None and kind is not None:
        raise ValueError("give role or kind, not both")
    if role is not None:
        kind = registry.role(role).kind
    elif kind is None:
        kind = registry.host_kind(group_names)
    return registry.intent_variables(kind, cross_checked)


class LookupModule(LookupBase):

    def run(self, terms: List[Any], variables: Optional[Mapping[str, Any]] = None, **kwargs: Any) -> List[Dict[str, Any]]:
        self.set_options(var_options=variables, direct=kwargs)
        if terms:
            raise AnsibleLookupError("multiwan.routeros.intent takes no terms, only the options role, kind and cross_checked")
        variables = variables or {}
        try:
            names = intent_names(self.get_option("kind"), self.get_option("role"), variables.get("group_names", ()),
                                 self.get_option("cross_checked"))
        except ValueError as exc:
            raise AnsibleLookupError("multiwan.routeros.intent: %s" % exc) from exc
        # Templated like the vars lookup does (the inventory's values may be templates), only the values that hold one.
        return [collect(variables, self._templar, names)]
