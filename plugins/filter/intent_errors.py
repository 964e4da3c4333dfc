# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
name: intent_errors
author: multiwan.routeros maintainers
version_added: 0.1.0
short_description: List every violation in a router's multi-WAN intent
description:
  - Validates the inventory intent of a core or edge router without compiling anything and returns every violation,
    each as the variable path, a colon, and what is wrong and what is allowed. An empty list means the intent is valid.
  - Use it in a pre-flight task to fail before any connection is opened.
positional: kind
options:
  _input:
    description:
      - Mapping of inventory variable names to their values. Missing keys mean "not set".
    type: dict
    required: true
  kind:
    description:
      - C(core) validates C(multiwan_wans), C(multiwan_internal_networks), C(multiwan_internal_strategy), C(multiwan_sites),
        C(multiwan_lan_interfaces), C(multiwan_names), C(multiwan_load_balancing), C(multiwan_fasttrack) and C(multiwan_conntrack).
      - C(edge) validates C(multiwan_edge), C(multiwan_port_forwards), C(multiwan_names), C(multiwan_fasttrack) and
        C(multiwan_conntrack), and checks C(multiwan_edge.wan) against C(multiwan_wans) when that is set.
    type: str
    required: true
    choices: [core, edge]
  variables:
    description:
      - Every C(multiwan_*) variable name of the host, for example C(query('ansible.builtin.varnames', '^multiwan_')).
      - A name the collection does not know (a typo such as C(multiwan_site)) is reported with the closest known name.
        The keys of O(_input) are checked the same way.
    type: list
    elements: str
    default: []
"""

EXAMPLES = r"""
- name: Stop before touching any router when the intent is wrong
  ansible.builtin.assert:
    that: multiwan_problems | length == 0
    fail_msg: "{{ multiwan_problems }}"
  vars:
    multiwan_problems: "{{ {'multiwan_wans': multiwan_wans, 'multiwan_sites': multiwan_sites | default([]),
                            'multiwan_internal_networks': multiwan_internal_networks}
                           | multiwan.routeros.intent_errors('core', variables=query('ansible.builtin.varnames', '^multiwan_')) }}"
"""

RETURN = r"""
_value:
  description: Every violation, in the order found; empty when the intent is valid.
  type: list
  elements: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.multiwan.routeros.plugins.module_utils.intent.validate import intent_errors as _intent_errors


def intent_errors(intent_vars, kind, variables=None):
    if kind not in ("core", "edge"):
        raise AnsibleFilterError("intent_errors: kind must be core or edge, got %r" % (kind,))
    if variables is None:
        variables = []
    if not isinstance(variables, (list, tuple)) or not all(isinstance(name, str) for name in variables):
        raise AnsibleFilterError("intent_errors: variables must be a list of variable names, got %r" % (variables,))
    return _intent_errors(intent_vars, kind, variables)


class FilterModule(object):
    def filters(self):
        return {"intent_errors": intent_errors}
