# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Large facts kept as JSON text: the compiled desired states (``multiwan_compiled.desired``) and the pending plan
(``multiwan_pending_plan``).

ansible-playbook copies a host's facts, value by value, every time it gathers the variables of a task (``clean_facts``):
a few hundred sites' desired state cost every later task about 10 ms there, more than a small role's reconcile. A text
is one value to copy; the action that needs it parses it (a role's part only).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json


def pack(value):
    """``value`` as compact JSON text."""
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def unpack(value):
    """A value ``pack`` made (JSON text), or the value itself when it is not text (given as data)."""
    return json.loads(value) if isinstance(value, str) else value
