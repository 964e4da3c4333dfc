# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs multiwan.routeros.verify in the controller's process, whatever the host's connection.

Why in-process rather than executing the module: see plugins/plugin_utils/controller_module.py.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.multiwan.routeros.plugins.module_utils.runs import run_verify, verify_spec
from ansible_collections.multiwan.routeros.plugins.plugin_utils.controller_module import ControllerModuleAction


class ActionModule(ControllerModuleAction):

    def module_spec(self):
        return verify_spec()

    def run_module(self, params, check_mode, diff):
        return run_verify(params, check_mode)
