# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Whatever the inventory holds, in any field, validation answers with messages naming a variable, never a crash.

The number of examples comes from the Hypothesis profile (conftest.py at the repository root: ``ci`` replays
a fixed set, ``make explore`` draws many more).
"""

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from multiwan_samples import core, edge

from ansible_collections.multiwan.routeros.plugins.module_utils.intent import validate
from ansible_collections.multiwan.routeros.plugins.module_utils.intent.validate import IntentError, core_intent, edge_intent, intent_errors

# Values that broke the validator or would break RouterOS, and YAML's awkward scalars: every field gets each.
AWKWARD = [None, True, False, 0, -1, 8, 612, 2 ** 70, 1.5, float("nan"), float("inf"), "", " ", "010", "10:12", "*1", "a?b",
           "\u00b2", "\u0663", "10.0.0.0/\u0663", "$[/system/reboot]", 'a"b', "a\\b", "1012\n", "a\x00b", "x" * 10000,
           "{wan}", "0.0.0.0/0", [], [None], {}, {"x": None}, {None: 1}, {1: "a"}]
TEXTS = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["1012", "10.10.2.1", "10.10.2.2/30", "10.11.0.0/16", "ping", "tcp", "8000-8010", "x,y", "main", "{forward}",
                     "1d", "00:10:00", "VLAN3002", "ECMP", "connected"] + [v for v in AWKWARD if isinstance(v, str)]))
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), TEXTS)
KEYS = st.one_of(st.sampled_from(["name", "interface", "gateway", "address", "vlan", "id", "networks", "wan", "dst", "method",
                                  "wans", "port", "protocol", "to_address", "failover", "table", "enabled"]),
                 st.text(max_size=8), st.integers(), st.none(), st.booleans())
# Anything YAML can produce: scalars, lists and mappings, nested.
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=5)),
                      max_leaves=12)

# Valid samples that hold every optional part, so each field below exists and is reached.
CORE = core(multiwan_names={"table": "InternetVia{wan}"},
            multiwan_lan_interfaces=["bridge"],
            multiwan_load_balancing={"method": "pcc", "wans": ["1012", "1000"]},
            multiwan_internal_networks=["10.11.0.0/16", {"dst": "192.168.0.0/17", "gateway": "10.11.0.1"}])
CORE["multiwan_wans"][0]["failover"] = ["1000"]
EDGE = edge(multiwan_names={"forward_source_list": "PF_SRC_{forward}"}, multiwan_wans=[{"name": "1012"}])


def _fields(kind):
    """Every path the validator reads: each variable, each key of each mapping, the first item of each list."""
    if kind == "core":
        yield from ((name,) for name in CORE)
        yield from (("multiwan_wans", 0, key) for key in validate.WAN_KEYS)
        yield from (("multiwan_wans", 0, "vlan", key) for key in ("id", "interface"))
        yield ("multiwan_wans", 0, "failover", 0)
        yield from (("multiwan_sites", 0, key) for key in validate.SITE_KEYS)
        yield ("multiwan_sites", 0, "networks", 0)
        yield ("multiwan_internal_networks", 0)
        yield from (("multiwan_internal_networks", 1, key) for key in ("dst", "gateway"))
        yield ("multiwan_lan_interfaces", 0)
        yield from (("multiwan_load_balancing", key) for key in validate.LB_KEYS)
        yield ("multiwan_load_balancing", "wans", 0)
        yield from (("multiwan_names", key) for key in validate.NAME_KEYS)
        yield from (("multiwan_fasttrack", key) for key in validate.FASTTRACK_KEYS)
        yield from (("multiwan_conntrack", key) for key in list(validate.CONNTRACK_SETTINGS) + list(validate.CONNTRACK_READ_ONLY))
    else:
        yield from ((name,) for name in EDGE)
        yield from (("multiwan_edge", key) for key in validate.EDGE_KEYS)
        yield ("multiwan_edge", "internal_networks", 0)
        yield from (("multiwan_port_forwards", 0, key) for key in validate.FORWARD_KEYS)
        yield ("multiwan_port_forwards", 0, "source", 0)
        yield from (("multiwan_names", key) for key in validate.NAME_KEYS)
        yield ("multiwan_wans", 0, "name")


FIELDS = [("core", path) for path in _fields("core")] + [("edge", path) for path in _fields("edge")]
FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _with(kind, path, value):
    data = copy.deepcopy(CORE if kind == "core" else EDGE)
    parent = data
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = value
    return data


def _assert_answers_with_messages(kind, data):
    errors = intent_errors(data, kind)
    assert isinstance(errors, list)
    for error in errors:
        assert isinstance(error, str) and error.startswith("multiwan_") and ": " in error, error
    build = core_intent if kind == "core" else edge_intent
    try:
        build(data)
    except IntentError as raised:
        assert errors and raised.errors == errors
    else:
        assert not errors


def test_the_samples_are_valid_and_every_field_exists():
    assert intent_errors(CORE, "core") == [] and intent_errors(EDGE, "edge") == []
    for kind, path in FIELDS:
        _with(kind, path, None)


def test_every_field_answers_every_awkward_value():
    for kind, path in FIELDS:
        for value in AWKWARD:
            _assert_answers_with_messages(kind, _with(kind, path, value))


@FUZZ
@given(st.sampled_from(FIELDS), VALUES)
def test_any_value_in_any_field_is_answered_with_messages(field, value):
    kind, path = field
    _assert_answers_with_messages(kind, _with(kind, path, value))


@FUZZ
@given(st.sampled_from(["core", "edge"]), st.lists(st.one_of(st.text(max_size=12), st.text(max_size=12).map("multiwan_".__add__)),
                                                   max_size=5))
def test_any_variable_names_are_answered_with_messages(kind, variables):
    data = CORE if kind == "core" else EDGE
    errors = intent_errors(data, kind, variables)
    for error in errors:
        # A generated name may hold ": " itself (multiwan_: ): each message starts with one of the names given.
        assert error.startswith("multiwan_") and any(error.startswith(name + ": ") for name in variables), error
