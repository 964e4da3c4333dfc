# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs multiwan.routeros.lock in the controller's process, whatever the host's connection, and keeps the run's lock
state as facts (which run holds it, whether it armed a commit-confirm revert), printing what it armed or disarmed.
With ``from_run``, the options the task leaves out come from the run's variables (``run_args``), as the rollout
playbooks take and release the run lock (playbooks/tasks/lock.yml, unlock.yml): a task without templates costs Ansible
less than one that computes them.

Why in-process rather than executing the module: see plugins/plugin_utils/controller_module.py.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import random

from ansible.module_utils.parsing.convert_bool import boolean
from ansible.utils.display import Display

from ansible_collections.multiwan.routeros.plugins.module_utils.intent import durations
from ansible_collections.multiwan.routeros.plugins.module_utils.runs import CONFIRM_ARMED_FACT as ARMED
from ansible_collections.multiwan.routeros.plugins.module_utils.runs import LOCK_HELD_FACT as HELD
from ansible_collections.multiwan.routeros.plugins.module_utils.runs import LOCK_RUN_ID_FACT as RUN_ID
from ansible_collections.multiwan.routeros.plugins.module_utils.runs import lock_spec, run_lock
from ansible_collections.multiwan.routeros.plugins.plugin_utils import host_intent
from ansible_collections.multiwan.routeros.plugins.plugin_utils.controller_module import ControllerModuleAction

display = Display()


def new_run_id(now=None):
    """A run's identity: the UTC start time and a random number (two controllers starting in the same second differ)."""
    now = now or datetime.datetime.now(datetime.timezone.utc)
    return "%s-%d" % (now.strftime("%Y%m%dT%H%M%SZ"), random.randint(0, 999999))


def armed_message(host, confirm):
    """What a commit-confirm revert armed with the lock means for the run."""
    armed = confirm["armed"]
    text = ("Commit-confirm armed on %s: unless this run confirms, the router reverts run %s by itself %s after %s%s, with "
            "/system script multiwan-confirm." % (host, armed["run_id"], armed["fires_after"], armed["armed"],
                                                  " (at %s by this controller's clock)" % armed["fires_at"] if armed.get("fires_at") else ""))
    reverted = confirm.get("reverted")
    if reverted:
        text += " The router had reverted run %s (armed %s): that run's changes were undone." % (reverted["run_id"], reverted["armed"])
    return text


def run_args(args, variables, render):
    """``args`` with what ``from_run`` takes from the run's variables (``render`` templates a variable's value), for
    each option the task leaves out: the run's identity (``multiwan_lock_run_id``: the extra var that continues a
    failed run, or the fact the lock sets; a new one to take the lock), ``multiwan_lock_timeout``, the commit-confirm
    timer to arm (``multiwan_commit_confirm``, default 5m, validated with the intent), whether to disarm (the fact
    ``multiwan_confirm_armed``) and the router kind (the host's group)."""
    args = dict(args)

    def variable(name, default=None):
        return render(name, variables[name]) if variables.get(name) is not None else default

    if args.get("run_id") is None:
        args["run_id"] = variable(RUN_ID) or (new_run_id() if args.get("state", "acquired") == "acquired" else None)
    if args.get("state", "acquired") == "acquired":
        if args.get("lock_timeout") is None and variables.get("multiwan_lock_timeout") is not None:
            args["lock_timeout"] = variable("multiwan_lock_timeout")
        if args.get("arm") is None:
            args["arm"] = str(variable("multiwan_commit_confirm", durations.DEFAULT))
        if args.get("kind") is None:
            args["kind"] = host_intent.kind_of(variables)
    elif args.get("disarm") is None:
        args["disarm"] = bool(variable(ARMED, False))
    return args


class ActionModule(ControllerModuleAction):

    def module_spec(self):
        return lock_spec()

    def task_args(self, task_vars):
        if not boolean(self._task.args.get("from_run", False), strict=False):
            return self._task.args
        return run_args(self._task.args, task_vars, self._render)

    def run_module(self, params, check_mode, diff):
        return run_lock(params, check_mode)

    def run(self, tmp=None, task_vars=None):
        skipped = self._not_for_this_run(task_vars or {})
        if skipped:
            return dict(skipped=True, changed=False, msg=skipped)
        result = super(ActionModule, self).run(tmp, task_vars)
        if result.get("failed") or self._task.check_mode:
            return result
        args = result["invocation"]["module_args"]
        host = (task_vars or {}).get("inventory_hostname")
        confirm = result.get("confirm")
        if args["state"] == "acquired":
            result["ansible_facts"] = {RUN_ID: args["run_id"], HELD: True, ARMED: confirm is not None}
            if confirm is not None:
                display.display(armed_message(host, confirm))
        else:
            result["ansible_facts"] = {HELD: False, ARMED: False}
            if confirm is not None:
                display.display("Commit-confirm disarmed on %s: run %s is confirmed, nothing of the revert is left on the router."
                                % (host, args["run_id"]))
        return result

    def _not_for_this_run(self, task_vars):
        """Why a ``from_run`` task does nothing: a check run takes no lock; a run releases only a lock it holds."""
        args = self._task.args
        if not boolean(args.get("from_run", False), strict=False):
            return None
        if self._task.check_mode:
            return "check run: it writes nothing, so it takes no run lock"
        if args.get("state") == "released" and not task_vars.get(HELD):
            return "this run holds no run lock"
        return None
