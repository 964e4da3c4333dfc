# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A host's intent as an action plugin reads it, and the roles' desired states compiled once per run and host.

Jinja is the wrong place for the intent of a large router: a few hundred sites passed through a lookup, a filter and a
module argument cost Ansible a pass over every value at each step, in every task. An action plugin has the host's
variables as they are; it templates only a value that holds a template.

``multiwan.routeros.compile`` validates and compiles the intent once, before any router is contacted, and stores the
desired state of every role of the host's kind in the fact ``multiwan_compiled``, with a digest of the intent it was
compiled from. The ``config`` action (``from_intent``) takes a role's desired state from that fact while the intent
still has that digest, and compiles it anew otherwise (the phase run without the fact, or a play that set an intent
variable since).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.multiwan.routeros.plugins.module_utils import packed, registry
from ansible_collections.multiwan.routeros.plugins.module_utils.compile import dispatch
from ansible_collections.multiwan.routeros.plugins.module_utils.runs import COMPILED_FACT


def has_template(value, is_template):
    """Whether a string anywhere in ``value`` (mappings, lists) is a template."""
    if isinstance(value, str):
        # Every Jinja delimiter starts with a brace: most strings are settled without asking the templar.
        return "{" in value and is_template(value)
    if isinstance(value, dict):
        return any(has_template(key, is_template) or has_template(item, is_template) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return any(has_template(item, is_template) for item in value)
    return False


def collect(task_vars, templar, names):
    """The variables ``names`` the host sets, each templated only when it holds a template (as the vars lookup does)."""
    out = {}
    for name in names:
        if name in task_vars:
            value = task_vars[name]
            out[name] = templar.template(value) if has_template(value, templar.is_template) else value
    return out


def kind_of(task_vars):
    return registry.host_kind(task_vars.get("group_names", ()))


def host_intent(task_vars, templar, kind=None):
    """The intent of the host's kind (or ``kind``), with the variables its validation also reads."""
    return collect(task_vars, templar, registry.intent_variables(kind or kind_of(task_vars), True))


class HostIntentArgs(object):
    """For an action plugin whose module takes ``intent`` and ``kind``: both default to the host's own. The intent is
    added after the arguments are validated (the validator copies every value it is given), and never echoed back in
    the result's ``invocation`` (it is the host's variables)."""

    _host_intent = None

    def host_intent_args(self, task_vars):
        args = dict(self._task.args)
        if args.get("kind") is None:
            args["kind"] = kind_of(task_vars)
        if args.get("intent") is None:
            self._host_intent = host_intent(task_vars, self._templar, args["kind"])
        return args

    def with_host_intent(self, params):
        return params if params["intent"] is not None else dict(params, intent=self._host_intent)


def desired_for(task_vars, templar, role):
    """``(desired, extras)`` of ``role`` on this host: its desired state, and what must already be on the router and
    the paths it takes over besides (``dispatch.extras_of``), from the run's compiled fact while the intent is
    unchanged, else compiled now (raises IntentError on invalid intent)."""
    intent_vars = host_intent(task_vars, templar)
    fact = task_vars.get(COMPILED_FACT)
    if isinstance(fact, dict) and fact.get("digest") == dispatch.digest(intent_vars) and role in fact.get("desired", {}):
        extras = {"required": (fact.get("required") or {}).get(role, {}), "adopted": (fact.get("adopted") or {}).get(role, [])}
        return packed.unpack(fact["desired"][role]), extras
    validated = dispatch.validated(dispatch.role_intent(intent_vars, role), role)
    return dispatch.compiled(validated, role), dispatch.extras_of(validated, role)


def with_entries(compiled, extra):
    """``compiled`` with the entries of ``extra`` added, path by path (``from_intent`` with ``desired``: entries a role
    keeps besides its compiled intent, such as the foreign rules it adopts)."""
    if not extra:
        return compiled
    merged = dict(compiled)
    for path, entries in extra.items():
        merged[path] = list(merged.get(path) or []) + list(entries or [])
    return merged
