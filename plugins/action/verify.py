# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs multiwan.routeros.verify in the controller's process, whatever the host's connection, on the host's own intent
unless the task gives one, and judges the verification gate of a rollout phase (option ``gate``) in the same task; with
``validate_run`` (phase 80 of core.yml and edge.yml), it judges the run before it probes and prints the run summary
after.

Why in-process rather than executing the module: see plugins/plugin_utils/controller_module.py. Why the intent is read
here: see plugins/plugin_utils/host_intent.py.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.parsing.convert_bool import boolean
from ansible.utils.display import Display

from ansible_collections.multiwan.routeros.plugins.module_utils import registry
from ansible_collections.multiwan.routeros.plugins.module_utils import verify as verify_mod
from ansible_collections.multiwan.routeros.plugins.module_utils.compile import dispatch
from ansible_collections.multiwan.routeros.plugins.module_utils.runs import COMPILED_FACT, VERIFIED_FACT as VERIFIED
from ansible_collections.multiwan.routeros.plugins.module_utils.runs import run_verify, verify_spec
from ansible_collections.multiwan.routeros.plugins.plugin_utils import gate, host_intent
from ansible_collections.multiwan.routeros.plugins.plugin_utils.controller_module import ControllerModuleAction

display = Display()


class ActionModule(host_intent.HostIntentArgs, ControllerModuleAction):

    _task_vars = None

    def module_spec(self):
        return verify_spec()

    def task_args(self, task_vars):
        return self.host_intent_args(task_vars)

    def run_module(self, params, check_mode, diff):
        params = self.with_host_intent(params)
        return run_verify(params, check_mode, self._planned(params))

    def _planned(self, params):
        """The probes the run's compile planned, while the task verifies the host's own intent, unchanged since."""
        fact = self._task_vars.get(COMPILED_FACT)
        if not isinstance(fact, dict) or "probes" not in fact or fact.get("kind") != params["kind"]:
            return None
        if params["intent"] is not self._host_intent or fact.get("digest") != dispatch.digest(self._host_intent):
            return None
        return verify_mod.plan_from_dict(fact["probes"])

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        self._task_vars = task_vars
        check_mode = bool(self._task.check_mode)
        phases = list(task_vars.get(gate.SUMMARY) or [])
        host = task_vars.get("inventory_hostname")
        run_lines = None
        if boolean(self._task.args.get("validate_run", False), strict=False) and self._task.args.get("gate"):
            # Judged before the probe: a run that fails it stops here, as the run's own verdict.
            kind = host_intent.kind_of(task_vars)
            roles = [phase.role for phase in registry.reconciling_phases(kind)]
            compiled = task_vars.get(COMPILED_FACT)
            problems = gate.run_problems(roles, phases, compiled)
            if problems:
                return dict(failed=True, changed=False, problems=problems,
                            msg="Validation of %s failed: %s" % (host, "; ".join(problems)))
            edge = self._edge_findings(task_vars, phases) if kind == registry.EDGE else None
            run_lines = gate.run_lines(host, roles, compiled, check_mode, edge)
        earlier = task_vars.get(VERIFIED)
        if boolean(self._task.args.get("reuse", False), strict=False) and gate.unchanged_since(earlier, phases, check_mode):
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
        lines = gate.verification_lines(result, check_mode, host)
        if not (result["ok"] or check_mode):
            result.update(failed=True, msg="\n".join(lines))
            return result
        title = "Verification gate"
        if run_lines is not None:
            title, lines = "Validation", run_lines + lines + gate.summary_lines(phases, check_mode)
        display.display("%s | %s | %s" % (title, host, "\n  ".join(lines)))
        return result

    def _edge_findings(self, task_vars, phases):
        """On an edge: its internet interface, and the foreign source-NAT rules toward the core that phase 40 found in
        its reconcile's read and left enabled (without fix_transit_srcnat), from the run summary."""
        edge = self._templar.template(task_vars.get("multiwan_edge"))
        if not isinstance(edge, dict):
            return None
        return {"internet_interface": edge.get("internet_interface"), "offenders": gate.transit_srcnat_left(phases)}
