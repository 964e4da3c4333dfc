#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: lock
short_description: Take or release a run lock on a RouterOS router, so that two apply runs never interleave
version_added: 0.1.0
description:
  - "The lock is an empty C(/system script) entry named O(name) whose comment says who holds it, for example
    C(multiwan run lock: holder=alice@ctl run_id=20260121T011752Z-4711 started=2026-01-21T01:17:52Z
    expires=2026-01-21T01:47:52Z); C(/system script print where name=multiwan-lock) shows it on the router."
  - Taking it is one C(add), and RouterOS refuses a second script with the same name, so two runs that try at the
    same moment cannot both succeed, whichever controllers they run on.
  - O(state=acquired) adds the lock for O(run_id). When this O(run_id) holds it already, nothing changes. When
    another run holds it, the task fails at once, naming the holder, its run id, when it started and when the
    lock becomes stale; nothing is written. A lock past its expiry time (its run ended without releasing it)
    is stale and is taken over, with a warning naming the old holder.
  - O(state=released) removes the lock when O(run_id) holds it (any run's lock with O(force=true)); a lock
    held by another run is left in place, with a warning. A script of that name that is not a run lock is
    never changed or removed.
  - The playbooks C(core.yml), C(edge.yml) and the writing phase playbooks take it in apply mode before their
    first write and release it at the end; check runs never take it.
author:
  - multiwan.routeros maintainers (@multiwan-routeros)
extends_documentation_fragment:
  - multiwan.routeros.connection
  - multiwan.routeros.attributes
attributes:
  check_mode:
    support: full
    description: Reads the lock and reports what would happen (a conflict fails as it would); writes nothing.
  diff_mode:
    support: none
    description: The result's RV(lock) and RV(previous) show the lock before and after.
notes:
  - Runs on the Ansible controller, in the process of C(ansible-playbook), through the collection's action plugin,
    whatever the host's connection is. Connection options the task does not set come from the host's inventory
    variables, as for M(multiwan.routeros.config).
  - Expiry times are written and compared in UTC by the controllers' clocks; controllers that share routers
    should keep their clocks synchronised (NTP).
options:
  name:
    description:
      - Name of the C(/system script) entry that is the lock. One word of letters, digits and the characters C(_.:@+-).
    type: str
    default: multiwan-lock
  state:
    description:
      - V(acquired) takes the lock for O(run_id), V(released) gives it back.
    type: str
    choices: [acquired, released]
    default: acquired
  run_id:
    description:
      - The identity of the run that takes or releases the lock; the same value for every task of one run.
        One word of letters, digits and the characters C(_.:@+-).
      - Required, unless O(from_run) fills it in.
    type: str
  holder:
    description:
      - Who holds the lock, shown to the runs it stops. One word of letters, digits and the characters C(_.:@+-).
      - Default C(<user>@<controller host name>) of the process that runs the module.
    type: str
  lock_timeout:
    description:
      - Seconds after which the lock taken by this task is stale and another run may take it over. Choose it
        longer than the longest run. Only used with O(state=acquired).
    type: int
    default: 1800
  force:
    description:
      - With O(state=released), remove the lock whichever run holds it (an operator clearing the lock of a run
        that failed), with a warning naming that run.
    type: bool
    default: false
  arm:
    description:
      - With O(state=acquired), right after the lock is taken and in the same session, arm the router's commit-confirm
        revert of O(run_id) with this timer (a RouterOS duration such as V(5m); V(false), V(off) or V(no) arms none),
        as M(multiwan.routeros.confirm) with O(multiwan.routeros.confirm#module:state=armed) does. RV(confirm) is its
        result, and the action plugin prints what was armed and when it fires.
    type: str
  disarm:
    description:
      - With O(state=released), right before the lock is released and in the same session, disarm the commit-confirm
        revert of O(run_id) (the run is confirmed), as M(multiwan.routeros.confirm) with
        O(multiwan.routeros.confirm#module:state=disarmed) does.
    type: bool
    default: false
  kind:
    description:
      - With O(arm), the router kind whose managed menus the revert restores.
    type: str
    choices: [core, edge]
    default: core
  from_run:
    description:
      - The run lock of a rollout (C(playbooks/tasks/lock.yml), C(unlock.yml)). Each option the task leaves out comes from
        the run's variables, through the action plugin. O(run_id) is C(multiwan_lock_run_id) (the extra var that
        continues a failed run as that run, or the fact this task sets when it takes the lock), else a new
        C(<UTC time>-<random number>). With O(state=acquired), O(lock_timeout) is C(multiwan_lock_timeout) when set,
        O(arm) is C(multiwan_commit_confirm) (default V(5m)) and O(kind) is the host's kind (V(edge) in the group
        C(multiwan_edge)). With O(state=released), O(disarm) is the fact C(multiwan_confirm_armed).
      - The task does nothing (skipped) in check mode, and with O(state=released) when this run holds no lock (the fact
        C(multiwan_lock_held)).
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: Take the run lock and arm the commit-confirm revert as the rollout playbooks do (from the run's variables)
  multiwan.routeros.lock:
    state: acquired
    from_run: true

- name: Take the run lock before the first write (fails at once when another run holds it)
  multiwan.routeros.lock:
    state: acquired
    run_id: "{{ multiwan_lock_run_id }}"
    lock_timeout: 1800

- name: Give it back at the end of the run
  multiwan.routeros.lock:
    state: released
    run_id: "{{ multiwan_lock_run_id }}"

- name: Take it and arm a 5-minute commit-confirm revert in the same session
  multiwan.routeros.lock:
    state: acquired
    run_id: "{{ multiwan_lock_run_id }}"
    arm: 5m

- name: Disarm the revert (the run is confirmed) and give the lock back
  multiwan.routeros.lock:
    state: released
    run_id: "{{ multiwan_lock_run_id }}"
    disarm: true

- name: Clear the lock a failed run left behind (after checking that the run is over)
  multiwan.routeros.lock:
    state: released
    run_id: operator
    force: true
"""

RETURN = r"""
lock:
  description:
    - The lock after the task; for O(state=released), the lock of another run that was left in place.
    - On failure, the lock that stopped the run, when the script of that name is a run lock.
  returned: always; null when no run lock is held
  type: dict
  contains:
    name:
      description: Name of the C(/system script) entry.
      type: str
      sample: multiwan-lock
    holder:
      description: Who holds it.
      type: str
      sample: alice@ctl
    run_id:
      description: The run that holds it.
      type: str
      sample: 20260121T011752Z-4711
    started:
      description: When it was taken (UTC).
      type: str
      sample: "2026-01-21T01:17:52Z"
    expires:
      description: When it becomes stale (UTC).
      type: str
      sample: "2026-01-21T01:47:52Z"
previous:
  description: The lock that was taken over (stale) or released; null when there was none.
  returned: success
  type: dict
  sample: {"name": "multiwan-lock", "holder": "bob@ctl2", "run_id": "20260120T230000Z-17",
           "started": "2026-01-20T23:00:00Z", "expires": "2026-01-20T23:30:00Z"}
confirm:
  description: The result of arming (O(arm)) or disarming (O(disarm)) the commit-confirm revert, as
    M(multiwan.routeros.confirm) returns it (C(armed), C(reverted), C(commands)).
  returned: when O(arm) armed a revert or O(disarm) is true
  type: dict
ansible_facts:
  description: The run's lock state, set by the action plugin in an apply run.
  returned: success, not in check mode
  type: dict
  contains:
    multiwan_lock_run_id:
      description: The run that holds the lock (O(state=acquired)).
      type: str
    multiwan_lock_held:
      description: Whether this run holds the lock now.
      type: bool
    multiwan_confirm_armed:
      description: Whether this run armed a commit-confirm revert that is still armed.
      type: bool
commands:
  description: The RouterOS CLI lines run (in check mode, that would run).
  returned: success
  type: list
  elements: str
  sample: ["/system script add comment=\"multiwan run lock: holder=alice@ctl ...\" name=multiwan-lock"]
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.multiwan.routeros.plugins.module_utils.runs import exit_module, lock_spec, run_lock


def main():
    argument_spec, constraints = lock_spec()
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True, **constraints)
    exit_module(module, run_lock(module.params, module.check_mode))


if __name__ == "__main__":
    main()
