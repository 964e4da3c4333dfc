#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: confirm
short_description: Arm or disarm a commit-confirmed revert on a RouterOS router, which undoes a run that does not confirm in time
version_added: 0.1.0
description:
  - "RouterOS offers Safe Mode only to an interactive session. O(state=armed) puts the safety net on the router itself
    before a run's first write: a C(/system script) entry named O(name) holding a revert, and a C(/system scheduler)
    entry of the same name that runs it once O(timer) has passed. Their comment says which run armed them, for
    example C(multiwan commit-confirm: run_id=20260121T011752Z-4711 armed=2026-01-21T01:17:52Z timeout=5m)."
  - The revert is built when it is armed, from the router's own state. On every path the roles of router kind O(kind)
    manage, it removes the entries that carry the collection's owner tag, re-adds the tagged entries the router had
    when the revert was armed (each at its place, before the foreign entry that followed it) and sets the
    connection-tracking settings back. Foreign entries are never changed or removed and nothing is duplicated.
  - The revert then releases the run lock O(lock_name) of its run and leaves its script as a marker whose comment says
    C(reverted); the next O(state=armed) reports that revert in RV(reverted), with a warning, and removes the marker.
  - O(state=disarmed) removes both entries when O(run_id) armed them; nothing of the run is left on the router. When the
    router reverted this run already (the timer fired before the run ended), the task fails and says so.
  - The playbooks C(core.yml), C(edge.yml) and the writing phase playbooks arm it next to the run lock, before their
    first write, when C(multiwan_commit_confirm) is not V(false), and disarm it after their last gate; check runs arm
    nothing.
author:
  - multiwan.routeros maintainers (@multiwan-routeros)
extends_documentation_fragment:
  - multiwan.routeros.connection
  - multiwan.routeros.attributes
attributes:
  check_mode:
    support: full
    description: Reads the router and reports what arming or disarming would write; writes nothing.
  diff_mode:
    support: none
    description: The result's RV(armed), RV(disarmed) and RV(reverted) describe the entries.
notes:
  - Runs on the Ansible controller, in the process of C(ansible-playbook), through the collection's action plugin,
    whatever the host's connection is. Connection options the task does not set come from the host's inventory
    variables, as for M(multiwan.routeros.config).
  - The timer runs on the router's scheduler (O(timer) is the entry's C(interval)), so the router's clock does not
    need to agree with the controller's.
  - Entries a run purges (foreign entries removed with the config module's C(purge)) are not re-added by the revert.
options:
  name:
    description:
      - Name of the C(/system script) and C(/system scheduler) entries. One word of letters, digits and the characters
        C(_.:@+-).
    type: str
    default: multiwan-confirm
  state:
    description:
      - V(armed) arms the revert for O(run_id), V(disarmed) removes it.
    type: str
    choices: [armed, disarmed]
    default: armed
  run_id:
    description:
      - The identity of the run; the same value as the run lock's. One word of letters, digits and the characters C(_.:@+-).
    type: str
    required: true
  timer:
    description:
      - How long after arming the router reverts unless the run disarmed it, a RouterOS duration such as V(5m), V(90s) or
        V(1h30m) (a plain number is seconds). At least one minute. Only used with O(state=armed).
    type: str
    default: 5m
  kind:
    description:
      - The router kind whose roles' paths the revert restores (V(core) or V(edge); the common settings always).
    type: str
    choices: [core, edge]
    default: core
  lock_name:
    description:
      - The run lock the revert releases (see M(multiwan.routeros.lock)).
    type: str
    default: multiwan-lock
"""

EXAMPLES = r"""
- name: Arm the revert before the first write
  multiwan.routeros.confirm:
    state: armed
    run_id: "{{ multiwan_lock_run_id }}"
    timer: 5m
    kind: core

- name: Disarm it after the last gate
  multiwan.routeros.confirm:
    state: disarmed
    run_id: "{{ multiwan_lock_run_id }}"
"""

RETURN = r"""
armed:
  description: The revert armed by this task (or by an earlier task of the same run); null after O(state=disarmed).
  returned: success
  type: dict
  contains:
    name:
      description: Name of the script and scheduler entries.
      type: str
      sample: multiwan-confirm
    run_id:
      description: The run that armed it.
      type: str
      sample: 20260121T011752Z-4711
    armed:
      description: When it was armed (UTC, the controller's clock).
      type: str
      sample: "2026-01-21T01:17:52Z"
    timeout:
      description: The timer.
      type: str
      sample: 5m
    fires_after:
      description: How long after arming the router reverts.
      type: str
      sample: 5m
    fires_at:
      description: When the router reverts, by the controller's clock (UTC); only when this task armed it.
      type: str
      sample: "2026-01-21T01:22:52Z"
    restores:
      description: Per path, how many of the collection's entries the revert re-adds; only when this task armed it.
      type: dict
      sample: {"/ip/firewall/mangle": 12, "/routing/table": 4}
disarmed:
  description: The revert removed by O(state=disarmed); null when there was none of this run.
  returned: when O(state=disarmed)
  type: dict
  sample: {"name": "multiwan-confirm", "run_id": "20260121T011752Z-4711", "armed": "2026-01-21T01:17:52Z",
           "timeout": "5m", "state": "armed"}
reverted:
  description: A revert the router ran since the last run (its marker, now removed); null when there was none.
  returned: success
  type: dict
  sample: {"name": "multiwan-confirm", "run_id": "20260121T011752Z-4711", "armed": "2026-01-21T01:17:52Z",
           "timeout": "5m", "state": "reverted"}
commands:
  description: The RouterOS CLI lines run (in check mode, that would run); the revert's source is shown as C(<revert script>).
  returned: success
  type: list
  elements: str
  sample: ["/system script add comment=\"multiwan commit-confirm: ...\" name=multiwan-confirm source=<revert script>"]
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.multiwan.routeros.plugins.module_utils.runs import confirm_spec, exit_module, run_confirm


def main():
    argument_spec, constraints = confirm_spec()
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True, **constraints)
    exit_module(module, run_confirm(module.params, module.check_mode))


if __name__ == "__main__":
    main()
