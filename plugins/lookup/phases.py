# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
name: phases
author: multiwan.routeros maintainers (@multiwan-routeros)
version_added: 0.1.0
short_description: The rollout phases of the collection
description:
  - Returns the rollout phases from the collection's registry, in rollout order, each as a mapping with C(number) (V(20)),
    C(name) (V(20_routing_tables)), C(file) (the phase playbook, V(20_routing_tables.yml)), C(title), C(kinds) (the router
    kinds whose rollout runs it), C(hosts) (its host pattern when run alone), C(hosts_variable) (the variable that replaces
    it, or none), C(role) (the role it runs, or none), C(tasks) (the tasks file it runs instead, or none), C(lock) (an
    apply run holds the run lock), C(gate) (a read-back checks the role converged) and C(rollout_tasks) (the tasks file
    it runs instead in C(core.yml) and C(edge.yml), where the earlier phases' gates verified every reconcile, or none).
  - The phase playbooks, C(render.yml) and the validation read the phases from here.
options:
  _terms:
    description:
      - Phase names (V(20_routing_tables)). None returns every phase.
    type: list
    elements: str
    required: false
  kind:
    description:
      - Only the phases of this router kind's rollout (C(core.yml) or C(edge.yml)).
    type: str
    choices: [core, edge]
  reconciling:
    description:
      - Only the phases that reconcile a role compiled from the intent (what C(render.yml) writes and phase 80 reads back).
      - Needs O(kind).
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: The roles of the core rollout that compile the intent, in phase order
  ansible.builtin.debug:
    msg: "{{ query('multiwan.routeros.phases', kind='core', reconciling=true) | map(attribute='role') | list }}"

- name: One phase
  ansible.builtin.debug:
    msg: "{{ lookup('multiwan.routeros.phases', '20_routing_tables').title }}"
"""

RETURN = r"""
_raw:
  description: One mapping per phase, in rollout order (or in the order of the terms).
  type: list
  elements: dict
"""

from typing import Any, Dict, List, Mapping, Optional, Sequence

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase

from ansible_collections.multiwan.routeros.plugins.module_utils import registry


def select(names: Sequence[str] = (), kind: Optional[str] = None, reconciling: bool = False) -> List[Dict[str, object]]:
    """The registry's phases as mappings: the named ones, or those of a kind's rollout (only the reconciling ones)."""
    if names and (kind is not None or reconciling):
        raise ValueError("give phase names or the options kind and reconciling, not both")
    if reconciling and kind is None:
        raise ValueError("reconciling needs kind")
    if names:
        chosen = [registry.phase(name) for name in names]
    elif reconciling:
        chosen = list(registry.reconciling_phases(kind))
    else:
        chosen = list(registry.phases(kind))
    return [phase.as_dict() for phase in chosen]


class LookupModule(LookupBase):

    def run(self, terms: List[Any], variables: Optional[Mapping[str, Any]] = None, **kwargs: Any) -> List[Dict[str, object]]:
        self.set_options(var_options=variables, direct=kwargs)
        try:
            return select([str(term) for term in terms or []], self.get_option("kind"), self.get_option("reconciling"))
        except ValueError as exc:
            raise AnsibleLookupError("multiwan.routeros.phases: %s" % exc) from exc
