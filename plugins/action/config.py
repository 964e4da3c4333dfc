# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs multiwan.routeros.config in the controller's process, whatever the host's connection, and judges the gate of
a rollout phase (option ``gate``) in the same task.

Why in-process rather than executing the module: see plugins/plugin_utils/controller_module.py. Why the gate is
judged here: see plugins/plugin_utils/gate.py.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.parsing.convert_bool import boolean
from ansible.utils.display import Display

from ansible_collections.multiwan.routeros.plugins.module_utils import packed
from ansible_collections.multiwan.routeros.plugins.module_utils.runs import config_spec, run_config
from ansible_collections.multiwan.routeros.plugins.plugin_utils import gate, host_intent
from ansible_collections.multiwan.routeros.plugins.plugin_utils.controller_module import ControllerModuleAction

display = Display()


class ActionModule(ControllerModuleAction):

    # Values the action adds to the validated arguments (the validator copies every value it is given: a desired state
    # or a pending plan of thousands of values is taken as it is).
    _added = None
    _refused = None
    # Paths the compiled intent takes over besides the task's adopt (with from_intent).
    _adopted = ()

    def module_spec(self):
        return config_spec()

    def task_args(self, task_vars):
        args = self._task.args
        if isinstance(args.get("pending"), str):
            # The fact multiwan_pending_plan is JSON text (module_utils/packed.py).
            args = dict(args, pending=packed.unpack(args["pending"]))
        self._added = {}
        if boolean(args.get("from_intent", False), strict=False):
            try:
                compiled, extras = host_intent.desired_for(task_vars, self._templar, args.get("owner"))
            except ValueError as exc:
                self._refused = "invalid intent, nothing was written (no router was contacted): %s" % exc
            else:
                self._added["desired"] = host_intent.with_entries(compiled, args.get("desired") or {})
                if extras["required"] and args.get("require") is None:
                    self._added["require"] = extras["required"]
                self._adopted = extras["adopted"]
        # A gated check run plans on the plans of the earlier phases of the run, when there were any: without the fact
        # (the first phase, or a phase run alone) a reference to what no phase of this run creates only warns.
        pending = task_vars.get(gate.PENDING)
        if args.get("gate") and self._task.check_mode and args.get("pending") is None and pending is not None:
            self._added["pending"] = list(packed.unpack(pending))
        return args

    def run_module(self, params, check_mode, diff):
        if self._refused:
            return dict(failed=True, msg=self._refused)
        params = dict(params, **self._added)
        if self._adopted:
            params["adopt"] = list(params["adopt"]) + [path for path in self._adopted if path not in params["adopt"]]
        return run_config(params, check_mode, diff)

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        phase = result.get("invocation", {}).get("module_args", {}).get("gate")
        # A failed run stops the play with the module's own message (what failed, what was undone).
        if result.get("failed"):
            return result
        if not phase:
            # A gate reports it with its verdict (gate.verdict_lines).
            fixed = gate.transit_srcnat_fixed(result)
            if fixed:
                display.display("%s | %s" % ((task_vars or {}).get("inventory_hostname"), fixed))
            return result
        check_mode = bool(self._task.check_mode)
        if not result.get("converged", False):
            result.update(failed=True, msg=gate.stop_message(phase, result, check_mode))
            return result
        task_vars = task_vars or {}
        host = task_vars.get("inventory_hostname")
        role = result["invocation"]["module_args"]["owner"]
        result["ansible_facts"] = gate.gate_facts(phase, role, result, check_mode, self._fact(task_vars, gate.SUMMARY),
                                                  task_vars.get(gate.PENDING))
        display.display("Gate | %s | %s" % (host, "\n  ".join(gate.verdict_lines(phase, result, check_mode))))
        # The run summary so far, for AWX (the job's statistic; each gate's replaces the last one's) and for scripts
        # (multiwan_summary_dir/<host>.json): a run that stops later still leaves what it did until then.
        phases = result["ansible_facts"][gate.SUMMARY]
        result["ansible_stats"] = gate.summary_stats(host, check_mode, phases)
        folder = self._fact(task_vars, gate.SUMMARY_DIR)
        if folder:
            try:
                gate.write_summary(folder, host, check_mode, phases)
            except OSError as exc:
                # A report on the controller: the router is where the phase left it, the run goes on.
                result.setdefault("warnings", []).append("cannot write the run summary in %s: %s" % (folder, exc))
        return result

    def _fact(self, task_vars, name):
        """A fact an earlier gate set (facts are stored templated; a variable given otherwise is templated here)."""
        value = task_vars.get(name)
        return self._templar.template(value) if isinstance(value, str) else value
