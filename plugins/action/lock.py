# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs multiwan.routeros.lock in the controller's process, whatever the host's connection, and keeps the run's lock
state as facts (which run holds it, whether it armed a commit-confirm revert), printing what it armed or disarmed.

Why in-process rather than executing the module: see plugins/plugin_utils/controller_module.py.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.utils.display import Display

from ansible_collections.multiwan.routeros.plugins.module_utils.runs import lock_spec, run_lock
from ansible_collections.multiwan.routeros.plugins.plugin_utils.controller_module import ControllerModuleAction

display = Display()


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


class ActionModule(ControllerModuleAction):

    def module_spec(self):
        return lock_spec()

    def run_module(self, params, check_mode, diff):
        return run_lock(params, check_mode)

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        if result.get("failed") or self._task.check_mode:
            return result
        args = result["invocation"]["module_args"]
        host = (task_vars or {}).get("inventory_hostname")
        confirm = result.get("confirm")
        if args["state"] == "acquired":
            result["ansible_facts"] = {"multiwan_lock_run_id": args["run_id"], "multiwan_lock_held": True,
                                       "multiwan_confirm_armed": confirm is not None}
            if confirm is not None:
                display.display(armed_message(host, confirm))
        else:
            result["ansible_facts"] = {"multiwan_lock_held": False, "multiwan_confirm_armed": False}
            if confirm is not None:
                display.display("Commit-confirm disarmed on %s: run %s is confirmed, nothing of the revert is left on the router."
                                % (host, args["run_id"]))
        return result
