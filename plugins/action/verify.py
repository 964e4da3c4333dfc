# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs multiwan.routeros.verify in the controller's process, whatever the host's connection, on the host's own intent
unless the task gives one, and judges the verification gate of a rollout phase (option ``gate``) in the same task.

Why in-process rather than executing the module: see plugins/plugin_utils/controller_module.py. Why the intent is read
here: see plugins/plugin_utils/host_intent.py.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.utils.display import Display

from ansible_collections.multiwan.routeros.plugins.module_utils.runs import run_verify, verify_spec
from ansible_collections.multiwan.routeros.plugins.plugin_utils import gate, host_intent
from ansible_collections.multiwan.routeros.plugins.plugin_utils.controller_module import ControllerModuleAction

display = Display()

# The run's last probe of the router: the number of phases the run summary held then, and the result.
VERIFIED = "multiwan_verified"


class ActionModule(host_intent.HostIntentArgs, ControllerModuleAction):

    def module_spec(self):
        return verify_spec()

    def task_args(self, task_vars):
        return self.host_intent_args(task_vars)

    def run_module(self, params, check_mode, diff):
        return run_verify(self.with_host_intent(params), check_mode)

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        check_mode = bool(self._task.check_mode)
        phases = list(task_vars.get(gate.SUMMARY) or [])
        earlier = task_vars.get(VERIFIED)
        if self._task.args.get("reuse") and gate.unchanged_since(earlier, phases, check_mode):
            result = dict(earlier["result"], changed=False)
            result["notes"] = list(result.get("notes", [])) + [
                "probed after phase %s: no phase has changed the router since, so that result stands" % earlier["phase"]]
        else:
            result = super(ActionModule, self).run(tmp, task_vars)
        phase = self._task.args.get("gate")
        if not phase or "ok" not in result:
            return result
        kept = dict((key, result[key]) for key in ("ok", "rows", "table", "table_lines", "problems", "notes") if key in result)
        result["ansible_facts"] = {VERIFIED: {"phase": phase, "phases": len(phases), "result": kept}}
        result.pop("failed", None)
        lines = gate.verification_lines(result, check_mode, task_vars.get("inventory_hostname"))
        if result["ok"] or check_mode:
            display.display("Verification gate | %s | %s" % (task_vars.get("inventory_hostname"), "\n  ".join(lines)))
        else:
            result.update(failed=True, msg="\n".join(lines))
        return result
