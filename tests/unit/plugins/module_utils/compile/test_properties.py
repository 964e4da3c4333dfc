# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Properties every valid intent's compiled configuration has, whatever the intent."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible_collections.multiwan.routeros.plugins.module_utils.compile.dispatch import CORE_ROLES, EDGE_ROLES, desired_state, merge
from ansible_collections.multiwan.routeros.plugins.module_utils.engine import owner
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.desired import prepare_desired
from ansible_collections.multiwan.routeros.plugins.module_utils.intent import limits
from ansible_collections.multiwan.routeros.plugins.module_utils.intent.validate import intent_errors

WAN_NAMES = ["1012", "1000", "1005", "VVG", "isp-a", "LTE_backup", "x" * 32]
TEMPLATES = {
    "table": ["InternetVia{wan}", "to_{wan}", "T-{wan}.v7"],
    "connection_mark": ["CONN_VIA_{wan}", "c-{wan}"],
    "site_list": ["SITES_USE_{wan}", "use.{wan}"],
    "sticky_list": ["LB_STICKY_{wan}", "sticky-{wan}"],
}


@st.composite
def core_vars(draw):
    count = draw(st.integers(min_value=1, max_value=5))
    names = draw(st.permutations(WAN_NAMES))[:count]
    wans = []
    for i, name in enumerate(names):
        wan = {"name": name, "interface": "VLAN%d" % (3000 + i), "gateway": "10.10.%d.1" % i}
        if draw(st.booleans()):
            wan["address"] = "10.10.%d.2/30" % i
        if draw(st.booleans()):
            wan["vlan"] = {"id": 3000 + i, "interface": "sfp-sfpplus1"}
        wan["inbound"] = draw(st.booleans())
        wan["check_gateway"] = draw(st.sampled_from(["none", "ping", "arp"]))
        if draw(st.booleans()):
            wan["distance"] = draw(st.integers(min_value=1, max_value=255))
        if draw(st.booleans()):
            others = [n for n in names if n != name]
            wan["failover"] = draw(st.permutations(others))[:draw(st.integers(min_value=0, max_value=len(others)))]
        wan["masquerade"] = draw(st.booleans())
        if draw(st.booleans()):
            wan["comment"] = draw(st.text(alphabet="abcdefghij XYZ0123456789-_.", min_size=1, max_size=64)).strip() or "c"
        wans.append(wan)
    strategy = draw(st.sampled_from(["rules", "routes"]))
    internal = ["172.16.0.0/16"]
    for j in range(draw(st.integers(min_value=0, max_value=3))):
        network = "10.%d.0.0/16" % (100 + j)
        if strategy == "routes" and draw(st.booleans()):
            internal.append({"dst": network, "gateway": draw(st.sampled_from(["10.%d.0.1" % (100 + j), "bridge-lan", "connected"]))})
        else:
            internal.append(network)
    sites = []
    for k in range(draw(st.integers(min_value=0, max_value=6))):
        sites.append({"name": "site%d" % k, "networks": ["172.16.%d.0/24" % (2 * k), "172.16.%d.0/24" % (2 * k + 1)][
            :draw(st.integers(min_value=1, max_value=2))], "wan": draw(st.sampled_from(names))})
    data = {"multiwan_wans": wans, "multiwan_internal_networks": internal, "multiwan_internal_strategy": strategy,
            "multiwan_sites": sites}
    if draw(st.booleans()):
        data["multiwan_lan_interfaces"] = ["bridge-lan", "VLAN1101"][:draw(st.integers(min_value=1, max_value=2))]
    data["multiwan_names"] = dict((key, draw(st.sampled_from(values))) for key, values in TEMPLATES.items())
    if count >= 2 and draw(st.booleans()):
        method = draw(st.sampled_from(["pcc", "nth", "ecmp"]))
        balanced = draw(st.permutations(names))[:draw(st.integers(min_value=2, max_value=count))]
        data["multiwan_load_balancing"] = {"method": method, "wans": balanced}
    data["multiwan_fasttrack"] = {"enabled": draw(st.booleans()), "hw_offload": draw(st.booleans())}
    return data


def compiled(data):
    assert intent_errors(data, "core") == []
    return merge(*[desired_state(data, role) for role in CORE_ROLES])


def mangle(desired):
    return desired.get("/ip/firewall/mangle", [])


PROPERTY_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY_SETTINGS
@given(core_vars())
def test_every_routing_mark_has_a_table_with_a_default_route(data):
    desired = compiled(data)
    tables = [e["name"] for e in desired.get("/routing/table", [])]
    assert len(tables) == len(set(tables))
    for rule in mangle(desired):
        if rule["action"] == "mark-routing":
            assert rule["new-routing-mark"] in tables
    for table in tables:
        assert any(r["routing-table"] == table and r["dst-address"] == "0.0.0.0/0" for r in desired["/ip/route"])


@PROPERTY_SETTINGS
@given(core_vars())
def test_internal_networks_are_reachable_from_every_table(data):
    desired = compiled(data)
    networks = [n if isinstance(n, str) else n["dst"] for n in data["multiwan_internal_networks"]]
    internal_list = [e["address"] for e in desired["/ip/firewall/address-list"] if e["list"] == data["multiwan_names"].get("internal_list", "INTERNAL")]
    assert internal_list == networks
    if data["multiwan_internal_strategy"] == "routes":
        for table in [e["name"] for e in desired.get("/routing/table", [])]:
            for network in networks:
                route = [r for r in desired["/ip/route"] if r["routing-table"] == table and r["dst-address"] == network]
                assert len(route) == 1
                assert route[0].get("gateway") or route[0].get("_gateway") == "connected"
    else:
        rules = desired["/routing/rule"]
        for network in networks:
            assert [r for r in rules if r["dst-address"] == network and r["action"] == "lookup-only-in-table" and r["table"] == "main"]
    # Mangle marks win over routing rules and every table resolves everything, so internal
    # destinations must never get a routing mark.
    for rule in mangle(desired):
        if rule["action"] == "mark-routing":
            assert rule["dst-address-list"] == "!INTERNAL"
            if rule["chain"] == "prerouting":
                assert rule["dst-address-type"] == "!local"


@PROPERTY_SETTINGS
@given(core_vars())
def test_mark_routing_comes_after_the_connection_marks_it_depends_on(data):
    desired = compiled(data)
    rules = mangle(desired)
    for route in [r for r in rules if r["action"] == "mark-routing"]:
        setters = [r for r in rules if r["action"] == "mark-connection" and r["chain"] == route["chain"]
                   and r["new-connection-mark"] == route["connection-mark"]]
        assert all(s["_rank"] < route["_rank"] for s in setters)
        if route["chain"] == "prerouting":
            # Every prerouting mark-routing rule has something that sets its mark.
            assert setters
    for rule in rules:
        if rule["action"] == "mark-connection":
            # Classify a connection once, on its first packet, and never re-mark it.
            assert rule["connection-state"] == "new" and rule["connection-mark"] == "no-mark"
    # Equal ranks keep the order of each role's list, so every list must already be in rank order.
    for role in CORE_ROLES:
        own = desired_state(data, role).get("/ip/firewall/mangle", [])
        for chain in ("prerouting", "output"):
            ranks = [r["_rank"] for r in own if r["chain"] == chain]
            assert ranks == sorted(ranks)


@PROPERTY_SETTINGS
@given(core_vars())
def test_no_fasttrack_rule_matches_marked_connections(data):
    desired = compiled(data)
    fasttrack = [r for r in desired.get("/ip/firewall/filter", []) if r["action"] == "fasttrack-connection"]
    assert len(fasttrack) == (1 if data["multiwan_fasttrack"]["enabled"] else 0)
    for rule in fasttrack:
        assert rule["connection-mark"] == "no-mark"


@PROPERTY_SETTINGS
@given(core_vars())
def test_every_generated_name_is_within_routeros_limits(data):
    desired = compiled(data)
    for entry in desired.get("/routing/table", []):
        assert limits.table_name_problem(entry["name"]) is None
    for entry in desired.get("/ip/firewall/address-list", []):
        assert limits.generated_name_problem(entry["list"]) is None
    for entry in desired.get("/interface/list", []):
        assert limits.generated_name_problem(entry["name"]) is None
    for rule in mangle(desired):
        for field in ("new-connection-mark", "new-routing-mark", "address-list"):
            if field in rule:
                assert limits.generated_name_problem(rule[field]) is None
    for path, entries in desired.items():
        for entry in entries:
            # Natural-key entries get a key made of their key fields; the longest is an address list's.
            entry_key = entry.get("_key") or "%s-%s" % (entry.get("list", entry.get("name", "")), entry.get("address", entry.get("interface", "")))
            assert owner.KEY_RE.match(entry_key)
            description = entry.get("comment", "")
            assert '"' not in description
            assert limits.comment_problem(description, "port_forward_nosrcnat", entry_key, entry.get("_rank")) is None, entry


@PROPERTY_SETTINGS
@given(core_vars())
def test_keys_are_unique_and_the_engine_accepts_every_role(data):
    for role in CORE_ROLES:
        desired = desired_state(data, role)
        for path, entries in desired.items():
            keys = [e["_key"] for e in entries if "_key" in e]
            assert len(keys) == len(set(keys)), (role, path, keys)
        # Known paths and fields, keys and ranks where needed, no duplicate identities.
        _entries, warnings = prepare_desired(desired, role)
        assert warnings == []


@st.composite
def edge_vars(draw):
    forwards = []
    for i in range(draw(st.integers(min_value=0, max_value=6))):
        forward = {"name": "fwd%d" % i, "protocol": draw(st.sampled_from(["tcp", "udp"])), "port": 2000 + 10 * i,
                   "to_address": "10.11.101.%d" % (i + 1)}
        if draw(st.booleans()):
            forward["port"] = "%d-%d" % (2000 + 10 * i, 2005 + 10 * i)
        elif draw(st.booleans()):
            forward["to_port"] = draw(st.integers(min_value=1, max_value=65535))
        if draw(st.booleans()):
            forward["source"] = draw(st.lists(st.sampled_from(["203.0.113.0/24", "198.51.100.7", "192.0.2.0/25"]), min_size=1,
                                              max_size=3, unique=True))
        forwards.append(forward)
    return {"multiwan_edge": {"wan": "1012", "internet_interface": "ether1", "transit_interface": "sfp-sfpplus1",
                              "core_address": "10.10.2.2", "internal_networks": ["10.11.0.0/16", "192.168.0.0/17"]},
            "multiwan_port_forwards": forwards}


@PROPERTY_SETTINGS
@given(edge_vars())
def test_edge_never_masquerades_toward_the_core(data):
    assert intent_errors(data, "edge") == []
    desired = merge(*[desired_state(data, role) for role in EDGE_ROLES])
    srcnat = [r for r in desired["/ip/firewall/nat"] if r["chain"] == "srcnat"]
    assert [r["out-interface"] for r in srcnat] == ["ether1"]
    dstnat = [r for r in desired["/ip/firewall/nat"] if r["chain"] == "dstnat"]
    assert len(dstnat) == len(data["multiwan_port_forwards"])
    assert all(r["in-interface"] == "ether1" for r in dstnat)
    assert sorted(r["dst-address"] for r in desired["/ip/route"]) == ["10.11.0.0/16", "192.168.0.0/17"]
    for role in EDGE_ROLES:
        _entries, warnings = prepare_desired(desired_state(data, role), role)
        assert warnings == []
