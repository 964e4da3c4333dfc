# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.multiwan.routeros.plugins.module_utils.engine import schema
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.normalize import (
    canonical,
    duration_ms,
    equal,
    to_text,
)

MANGLE = schema.get("/ip/firewall/mangle")
ROUTE = schema.get("/ip/route")
CONNTRACK = schema.get("/ip/firewall/connection/tracking")
TABLE = schema.get("/routing/table")


@pytest.mark.parametrize("a,b", [("yes", "true"), (True, "true"), ("no", "false"), (False, "no")])
def test_booleans_compare_semantically(a, b):
    assert canonical("bool", a) == canonical("bool", b)


@pytest.mark.parametrize("text,ms", [
    ("1d", 86400000), ("24h", 86400000), ("1d00:00:00", 86400000), ("00:10:00", 600000),
    ("10m", 600000), ("1w2d3h4m5s", (7 + 2) * 86400000 + 3 * 3600000 + 4 * 60000 + 5000),
    ("500ms", 500), ("10", 10000), ("0s", 0),
])
def test_durations(text, ms):
    assert duration_ms(text) == ms


def test_duration_garbage_is_not_a_duration():
    assert duration_ms("soon") is None
    assert canonical("duration", "none-dynamic") == "none-dynamic"


def test_prefix_host_route_and_network():
    assert canonical("prefix", "10.0.0.1/32") == canonical("prefix", "10.0.0.1")
    assert canonical("prefix", "10.0.0.5/24") == "10.0.0.0/24"
    assert canonical("prefix", "!10.0.0.1/32") == "!10.0.0.1"
    assert canonical("ifaddr", "10.10.2.2/30") == "10.10.2.2/30"


def test_comma_sets_are_unordered():
    assert canonical("set", "new,established") == canonical("set", "established, new")
    assert canonical("set", ["b", "a"]) == "a,b"


def test_ints_with_suffixes():
    assert canonical("int", "25M") == canonical("int", "25000000")
    assert canonical("int", "0x10") == "16"


def test_defaults_printed_vs_absent():
    assert equal(MANGLE, "passthrough", "yes", None)
    assert equal(MANGLE, "disabled", False, None)
    assert not equal(MANGLE, "passthrough", "no", None)
    assert equal(ROUTE, "distance", 1, None)
    assert equal(CONNTRACK, "tcp-established-timeout", "24h", "1d")
    assert not equal(CONNTRACK, "tcp-established-timeout", "2h", "1d")


def test_switch_fields():
    # RouterOS prints a set switch as "" and leaves an unset one out.
    assert equal(TABLE, "fib", True, "")
    assert equal(TABLE, "fib", "yes", "")
    assert not equal(TABLE, "fib", True, None)
    assert equal(TABLE, "fib", False, None)


def test_to_text():
    assert to_text(True) == "yes"
    assert to_text(3) == "3"
    assert to_text(["a", "b"]) == "a,b"
    assert to_text(None) == ""
