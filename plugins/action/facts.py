# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs multiwan.routeros.facts in the controller's process, whatever the host's connection.

Why in-process rather than executing the module: see plugins/plugin_utils/controller_module.py.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.utils.display import Display

from ansible_collections.multiwan.routeros.plugins.module_utils.runs import facts_spec, run_facts
from ansible_collections.multiwan.routeros.plugins.plugin_utils.controller_module import ControllerModuleAction


display = Display()

# The job statistic (AWX shows it with the job's artifacts) of every backup saved in the run: host -> file.
BACKUPS_STAT = "multiwan_backups"


class ActionModule(ControllerModuleAction):

    def module_spec(self):
        return facts_spec()

    def run_module(self, params, check_mode, diff):
        return run_facts(params, check_mode)

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        # The saved backup is shown as the task's own output and published as the job's statistic multiwan_backups
        # (what set_stats would do, aggregated over the hosts): each would cost a task of its own.
        if result.get("backup_file") and not result.get("failed"):
            host = (task_vars or {}).get("inventory_hostname")
            display.display("Backup | %s | %s" % (host, result["msg"]))
            result["ansible_stats"] = {"data": {BACKUPS_STAT: {host: result["backup_file"]}}, "per_host": False, "aggregate": True}
        return result
