# -*- coding: utf-8 -*-
"""The reviewer's view of a plan: per-entry diffs."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.multiwan.routeros.plugins.module_utils.engine.operation import Operation
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.report import diff_of

MANGLE = "/ip/firewall/mangle"


def test_booleans_read_the_same_on_add_and_on_remove():
    add = Operation("add", MANGLE, "a", after={"chain": "prerouting", "action": "mark-connection", "passthrough": "yes"})
    remove = Operation("remove", MANGLE, "a", id="*2",
                       before={"chain": "prerouting", "action": "mark-connection", "passthrough": "true", "disabled": "false"})
    diffs = diff_of([add, remove])
    assert "passthrough=yes\n" in diffs[0]["after"]
    assert "passthrough=yes\n" in diffs[1]["before"] and "disabled=no\n" in diffs[1]["before"]
