# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs multiwan.routeros.compile in the controller's process, on the host's own intent variables unless the task
gives the intent.

Why the intent is read here rather than passed through a lookup: see plugins/plugin_utils/host_intent.py.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.multiwan.routeros.plugins.module_utils.runs import compile_spec, run_compile
from ansible_collections.multiwan.routeros.plugins.plugin_utils import host_intent
from ansible_collections.multiwan.routeros.plugins.plugin_utils.controller_module import ControllerModuleAction

# Every multiwan_* variable of the host goes to the validator, so a misspelt one (multiwan_site) is refused instead of
# silently leaving its part of the intent empty.
PREFIX = "multiwan_"


class ActionModule(host_intent.HostIntentArgs, ControllerModuleAction):

    def module_spec(self):
        return compile_spec()

    def task_args(self, task_vars):
        args = self.host_intent_args(task_vars)
        if self._task.args.get("intent") is None and args.get("variables") is None:
            args["variables"] = [name for name in task_vars if name.startswith(PREFIX)]
        return args

    def run_module(self, params, check_mode, diff):
        return run_compile(self.with_host_intent(params), check_mode)
