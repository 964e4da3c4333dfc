"""Removing things from the intent removes them from the router, down to the last entry of a kind."""

from __future__ import annotations

import os
import sys

import pytest

from ansible_collections.multiwan.routeros.plugins.module_utils.compile.dispatch import desired_state
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.device.run import reconcile

from engine_support import open_lab, rows, writes

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "unit", "plugins", "module_utils", "compile"))

from multiwan_samples import core  # noqa: E402  pylint: disable=wrong-import-position

ROLLOUT = ("wan_interfaces", "routing_tables", "connection_marks", "site_policy", "fasttrack_tuning")


def tagged(lab, path, owner):
    return [row for row in rows(lab, path) if "[mwan:%s:" % owner in row.get("comment", "")]


def converge(lab, intent, roles, check_mode=False):
    results = {}
    with open_lab(lab, "api") as transport:
        for role in roles:
            results[role] = reconcile(transport, desired_state(intent, role), role, state="overridden", check_mode=check_mode)
    return results


@pytest.fixture
def rolled_out(lab_router_factory):
    lab = lab_router_factory(interfaces=["ether1", "sfp-sfpplus1"])
    intent = core(multiwan_load_balancing={"method": "pcc", "wans": ["1012", "1000"]})
    converge(lab, intent, ROLLOUT)
    assert len(tagged(lab, "/ip/firewall/mangle", "site_policy")) > 0
    assert len(tagged(lab, "/ip/firewall/filter", "fasttrack_tuning")) == 2
    return lab


def test_emptied_sites_load_balancing_and_fasttrack_are_removed(rolled_out):
    lab = rolled_out
    emptied = core(multiwan_sites=[], multiwan_fasttrack={"enabled": False})

    lab.control.reset_counters()
    predicted = converge(lab, emptied, ("site_policy", "fasttrack_tuning"), check_mode=True)
    assert predicted["site_policy"]["changed"] and predicted["fasttrack_tuning"]["changed"]
    assert writes(lab) == 0

    applied = converge(lab, emptied, ("site_policy", "fasttrack_tuning"))
    for role in ("site_policy", "fasttrack_tuning"):
        assert [op["op"] for op in applied[role]["plan"]] == [op["op"] for op in predicted[role]["plan"]]
        assert {op["op"] for op in applied[role]["plan"]} == {"remove"}
    assert tagged(lab, "/ip/firewall/mangle", "site_policy") == []
    assert tagged(lab, "/ip/firewall/address-list", "site_policy") == []
    assert tagged(lab, "/ip/firewall/filter", "fasttrack_tuning") == []
    # The other roles' entries stay.
    assert len(tagged(lab, "/ip/firewall/mangle", "connection_marks")) > 0
    assert len(tagged(lab, "/ip/firewall/address-list", "wan_interfaces")) == 2

    lab.control.reset_counters()
    again = converge(lab, emptied, ("site_policy", "fasttrack_tuning"))
    assert not again["site_policy"]["changed"] and not again["fasttrack_tuning"]["changed"]
    assert writes(lab) == 0
