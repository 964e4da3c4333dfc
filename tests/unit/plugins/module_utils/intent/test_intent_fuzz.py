# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Whatever the inventory holds, validation answers with messages, never with a crash."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from multiwan_samples import core, edge

from ansible_collections.multiwan.routeros.plugins.module_utils.intent.validate import intent_errors

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(min_value=-5, max_value=70000),
                    st.sampled_from(["", "1012", "10.10.2.1", "10.10.2.2/30", "ping", "tcp", "8000-8010", "x,y", "main",
                                     "10.11.0.0/16", "0.0.0.0/0", "{wan}", "1d", "VLAN3002", "ECMP", "connected"]))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.sampled_from(["name", "interface", "gateway", "address", "vlan", "id", "networks", "wan", "dst",
                                     "method", "wans", "port", "protocol", "to_address", "failover", "table", "x"]),
                    inner, max_size=5)), max_leaves=12)
CORE_KEYS = ["multiwan_wans", "multiwan_internal_networks", "multiwan_internal_strategy", "multiwan_sites",
             "multiwan_lan_interfaces", "multiwan_names", "multiwan_fasttrack", "multiwan_conntrack", "multiwan_load_balancing"]
EDGE_KEYS = ["multiwan_edge", "multiwan_port_forwards", "multiwan_names", "multiwan_wans"]


def messages_ok(errors):
    assert isinstance(errors, list)
    assert all(isinstance(e, str) and ": " in e for e in errors)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(CORE_KEYS), VALUES)
def test_core_validation_never_crashes(name, value):
    messages_ok(intent_errors(core(**{name: value}), "core"))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=3), st.sampled_from(["name", "interface", "gateway", "address", "vlan", "inbound",
                                                               "check_gateway", "distance", "failover", "masquerade", "comment"]),
       VALUES)
def test_wan_field_validation_never_crashes(index, field, value):
    data = core()
    data["multiwan_wans"][index][field] = value
    messages_ok(intent_errors(data, "core"))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(EDGE_KEYS), VALUES)
def test_edge_validation_never_crashes(name, value):
    messages_ok(intent_errors(edge(**{name: value}), "edge"))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=2), st.sampled_from(["name", "protocol", "port", "to_address", "to_port", "source",
                                                               "dst_address"]), VALUES)
def test_port_forward_field_validation_never_crashes(index, field, value):
    data = edge()
    data["multiwan_port_forwards"][index][field] = value
    messages_ok(intent_errors(data, "edge"))
