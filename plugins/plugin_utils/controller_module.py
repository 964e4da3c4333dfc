# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Base of the action plugins that run the collection's modules inside the controller's process.

RouterOS cannot run Python, so the modules always run on the controller and open their own API or
SSH session. The action plugin calls the same ``module_utils.runs`` function as the module's
``main()``, in the worker process Ansible already forked for the task, instead of shipping the
module through a connection:

- it works whatever the host's connection is (no ``connection: local`` needed) and needs no
  interpreter on any side (no ``ansible_python_interpreter``, no interpreter discovery): the
  transports' libraries are those of the Python that runs ``ansible-playbook``;
- the arguments, password included, never leave the process (an executed module receives them
  through a file or a pipe);
- one Python start less per task.

The price is no ``async`` support (a reconcile is one short session anyway).

Connection options the task does not set (directly or through ``module_defaults``) are taken from
the host's inventory variables, by one table, ``INVENTORY_VARIABLES``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import gc
import os

from ansible.errors import AnsibleError
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.errors import UnsupportedError
from ansible.plugins.action import ActionBase


def _pin_file(variables):
    """``<inventory dir>/tls_known_hosts``: where ``playbooks/bootstrap_tls.yml`` pins the routers' certificates."""
    inventory_dir = variables.get("inventory_dir")
    return os.path.join(inventory_dir, "tls_known_hosts") if inventory_dir else None


# Module option <- the inventory variables that give it, first defined wins, and the value when none
# is defined (None: the module's own default applies; a function: computed from the host's variables).
# A new connection option that has an inventory variable is one more row here; its name must be an
# option of module_utils.connection.
INVENTORY_VARIABLES = (
    ("hostname", ("ansible_host", "inventory_hostname"), None),
    ("username", ("ansible_user",), "admin"),
    ("password", ("ansible_password",), None),
    ("transport", ("multiwan_transport",), None),
    ("port", ("multiwan_api_port",), None),
    ("tls", ("multiwan_api_tls",), None),
    ("validate_certs", ("multiwan_validate_certs",), None),
    ("ca_path", ("multiwan_ca_path",), None),
    ("ssh_port", ("ansible_port",), None),
    ("private_key", ("ansible_ssh_private_key_file",), None),
    ("host_key_checking", ("multiwan_host_key_checking",), None),
    ("known_hosts", ("multiwan_known_hosts",), None),
    ("validate_cert_hostname", ("multiwan_validate_cert_hostname",), None),
    ("tls_fingerprint", ("multiwan_tls_fingerprint",), None),
    ("tls_known_hosts", ("multiwan_tls_known_hosts",), _pin_file),
)


def _is_set(args, names):
    return any(args.get(name) is not None for name in names)


def connection_args(task_args, variables, argument_spec, render):
    """The module parameters: ``task_args`` plus each connection option it leaves unset, from ``variables``.

    An option counts as set when it or one of its aliases has a value other than None, so an explicit
    option (or ``module_defaults``) always wins. ``render`` templates a variable's raw value; only the
    variables actually used are rendered.
    """
    params = dict(task_args)
    for option, names, default in INVENTORY_VARIABLES:
        if option not in argument_spec:
            continue  # a module that contacts no router
        if _is_set(params, [option] + list(argument_spec[option].get("aliases", []))):
            continue
        value = default(variables) if callable(default) else default
        for name in names:
            if variables.get(name) is not None:
                value = render(name, variables[name])
                break
        if value is not None:
            params[option] = value
    return params


def _alias_warnings(validation):
    return ["Both option %s and its alias %s are set." % (item["option"], item["alias"]) for item in validation._warnings]


class ControllerModuleAction(ActionBase):
    """Validate the task's arguments with the module's spec and run the module's function in this process."""

    TRANSFERS_FILES = False
    _supports_check_mode = True
    _supports_async = False

    def module_spec(self):
        """``(argument_spec, validator keywords)`` of the module."""
        raise NotImplementedError

    def run_module(self, params, check_mode, diff):
        """The module's result dict for validated ``params``."""
        raise NotImplementedError

    def task_args(self, task_vars):
        """The task's arguments; a module whose defaults come from the host's variables adds them here."""
        del task_vars
        return self._task.args

    def _render(self, name, value):
        try:
            return self._templar.template(value)
        except AnsibleError as exc:
            raise AnsibleError("inventory variable %s: %s" % (name, exc)) from exc

    def run(self, tmp=None, task_vars=None):
        # The task runs in a worker process forked from ansible-playbook, which inherits the controller's whole heap.
        # The objects already there are not garbage of this task: a full collection would walk all of them (and copy
        # their pages) for nothing, so the collector keeps to what the task itself allocates.
        gc.freeze()
        super(ControllerModuleAction, self).run(tmp, task_vars)
        del tmp
        argument_spec, constraints = self.module_spec()
        task_vars = task_vars or {}
        params = connection_args(self.task_args(task_vars), task_vars, argument_spec, self._render)
        validation = ArgumentSpecValidator(argument_spec, **constraints).validate(params)
        warnings = _alias_warnings(validation)
        # The errors object has no length: its message list tells whether there is any.
        if validation.error_messages:
            msg = validation.errors.msg
            if isinstance(validation.errors[0], UnsupportedError):
                msg = "Unsupported parameters for (%s) module: %s" % (self._task.action, msg)
            result = dict(failed=True, msg=msg)
        else:
            result = self.run_module(validation.validated_parameters, bool(self._task.check_mode), bool(self._task.diff))
        warnings.extend(result.pop("warnings", []))
        if warnings:
            result["warnings"] = warnings
        result["invocation"] = dict(module_args=validation.validated_parameters)
        # As AnsibleModule does: no value of a no_log option (the password) appears anywhere in the result. Without one
        # there is nothing to hide, and no pass over a result of thousands of values.
        return remove_values(result, validation._no_log_values) if validation._no_log_values else result
