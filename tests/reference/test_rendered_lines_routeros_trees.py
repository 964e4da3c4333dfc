"""Every CLI line the collection renders for the example network (inventory/example: the core and every
edge router, every role) and for every load-balancing method, checked against the real RouterOS command
trees: the menu exists, the command exists, every argument is one of the command's, every value of an
argument RouterOS enumerates is one it offers, a ``!`` only where RouterOS allows negating the
argument, and booleans are ``yes``/``no``.

Structure is checked against RouterOS 7.19 (the oldest supported version) and 7.22.3 (the newest
checked, where only ``routeros_trees.REMOVED_IN_NEWEST`` may differ); values against the 7.22.3 value
lists, the only ones crawled."""

import functools
import os
import re

import pytest

import routeros_trees as trees

from ansible.inventory.manager import InventoryManager
from ansible.parsing.dataloader import DataLoader
from ansible.vars.manager import VariableManager

from ansible_collections.multiwan.routeros.plugins.module_utils.compile.dispatch import CORE_ROLES, EDGE_ROLES, desired_state
from ansible_collections.multiwan.routeros.plugins.module_utils.engine import schema
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.offline import render_offline
from ansible_collections.multiwan.routeros.plugins.module_utils.intent.validate import PCC_CLASSIFIERS

INVENTORY = os.path.join(trees.ROOT, "inventory", "example", "hosts.yml")

# The core's intent as the example has it, and with each load-balancing method (every PCC classifier),
# and with internal networks reached by routes instead of rules.
CORE_VARIANTS = {"example": {}}
CORE_VARIANTS.update(("pcc-%s" % classifier, {"multiwan_load_balancing": {
    "method": "pcc", "wans": ["1012", "1000", "1005"], "classifier": classifier}}) for classifier in PCC_CLASSIFIERS)
CORE_VARIANTS.update({
    "nth": {"multiwan_load_balancing": {"method": "nth", "wans": ["1012", "1000", "VVG"], "sticky_timeout": "12h"}},
    "ecmp": {"multiwan_load_balancing": {"method": "ecmp", "wans": ["1012", "1000"]}},
    "routes": {"multiwan_internal_strategy": "routes", "multiwan_lan_interfaces": ["bridge"],
               "multiwan_internal_networks": [{"dst": dst, "gateway": "10.11.255.1"}
                                              for dst in ("10.11.0.0/16", "172.16.0.0/12", "192.168.0.0/17")]},
    # Uplinks whose gateway comes from a DHCP client (its default-route-tables) or a PPPoE client, balanced by ECMP.
    "uplinks": {"multiwan_load_balancing": {"method": "ecmp", "wans": ["1012", "1000", "1005"]}, "multiwan_wans": [
        {"name": "1012", "interface": "VLAN3002", "gateway": "10.10.2.1", "distance": 1},
        {"name": "1000", "interface": "VLAN3000", "gateway_from": "dhcp", "distance": 2, "check_gateway": "arp"},
        {"name": "1005", "interface": "pppoe-out1", "gateway_from": "pppoe", "distance": 3},
        {"name": "VVG", "interface": "VLAN3004", "gateway": "192.168.254.1", "address": "192.168.254.2/30",
         "vlan": {"id": 3004, "interface": "sfp-sfpplus1"}, "inbound": False, "distance": 4}]},
})

# Arguments whose offered values are only examples: names of the crawled router's own objects
# (interfaces, interface lists, tables, marks) or the keywords of a value that also takes another form
# (an address, a time). The collection's values name its own objects, which the engine's reference
# check covers; a "!" on them is still checked.
NAMED_OR_FREE_FORM = frozenset([
    "interface", "in-interface", "out-interface", "list", "in-interface-list", "out-interface-list",
    "connection-mark", "new-connection-mark", "routing-mark", "new-routing-mark", "routing-table", "table",
    "gateway", "src-address", "dst-address", "address-list-timeout", "default-route-tables",
])
# Arguments whose value is a keyword RouterOS enumerates followed by parameters: "both-addresses:3/1".
KEYWORD_BEFORE = {"per-connection-classifier": ":"}

_TOKEN = re.compile(r'(?:[^\s"\[]+|"(?:\\.|[^"\\])*"|\[(?:"(?:\\.|[^"\\])*"|[^\]"])*\])+')


@functools.lru_cache(maxsize=None)
def _inventory():
    loader = DataLoader()
    inventory = InventoryManager(loader=loader, sources=[INVENTORY])
    variables = VariableManager(loader=loader, inventory=inventory)
    hosts = {}
    for host in inventory.get_hosts():
        intent = dict((k, v) for k, v in variables.get_vars(host=host).items() if k.startswith("multiwan_"))
        core = any(group.name == "multiwan_core" for group in host.get_groups())
        hosts[host.name] = (CORE_ROLES if core else EDGE_ROLES, intent)
    return hosts


def _cases():
    cases = []
    for name, (roles, _intent) in sorted(_inventory().items()):
        variants = sorted(CORE_VARIANTS) if roles == CORE_ROLES else ["example"]
        cases.extend((name, variant) for variant in variants)
    return cases


@functools.lru_cache(maxsize=None)
def rendered(host, variant):
    roles, intent = _inventory()[host]
    intent = dict(intent, **CORE_VARIANTS[variant])
    lines = []
    for role in roles:
        result = render_offline(desired_state(intent, role), role)
        assert result["warnings"] == []
        lines.extend(result["rendered"])
    return tuple(lines)


def _split(line):
    """``/ip firewall mangle set [find ...] a=b`` -> (``/ip/firewall/mangle``, ``set``, ``[find ...]``, ``["a=b"]``);
    the selector (the ``numbers`` argument) is None on ``add`` and on singleton menus."""
    tokens = _TOKEN.findall(line)
    verb_at = max(i for i in range(1, len(tokens)) if schema.is_known(schema.api_path(" ".join(tokens[:i]))))
    path = schema.api_path(" ".join(tokens[:verb_at]))
    verb, words = tokens[verb_at], tokens[verb_at + 1:]
    selector = None
    if verb != "add" and not schema.get(path).singleton:
        selector, words = words[0], words[1:]
    return path, verb, selector, words


def _value_problems(path, verb, name, value):
    problems = []
    values, negatable = trees.completion(path, verb, name)
    if value.startswith(trees.NEGATION):
        value = value[len(trees.NEGATION):]
        if not negatable:
            problems.append(("negation", path, verb, name, value))
    if schema.get(path).fields.get(name) == "bool" and value not in ("yes", "no"):
        problems.append(("boolean", path, verb, name, value))
    if values is None or name in NAMED_OR_FREE_FORM:
        return problems
    for item in value.split(","):
        keyword = item.split(KEYWORD_BEFORE[name], 1)[0] if name in KEYWORD_BEFORE else item
        if keyword not in values:
            problems.append(("value", path, verb, name, item))
    return problems


def line_problems(version, line):
    """What RouterOS ``version`` would refuse in one rendered line (values: the 7.22.3 lists)."""
    path, verb, selector, words = _split(line)
    if trees.menu(version, path) is None:
        return [("menu", path)]
    if trees.command(version, path, verb) is None:
        return [("command", path, verb)]
    allowed = trees.arguments(version, path, verb)
    problems = []
    if selector is not None and "numbers" not in allowed:
        problems.append(("argument", path, verb, "numbers"))
    for word in words:
        name, _sep, value = word.partition("=")
        name = name.lstrip(trees.NEGATION) if not value else name
        if name not in allowed:
            problems.append(("argument", path, verb, name))
        elif value:
            problems.extend(_value_problems(path, verb, name, value.strip('"')))
    return problems


def _problems(version, host, variant):
    return sorted(set(p for line in rendered(host, variant) for p in line_problems(version, line)))


@pytest.mark.parametrize("host, variant", _cases())
def test_every_line_is_valid_on_the_oldest_version(host, variant):
    assert rendered(host, variant)
    assert _problems(trees.OLDEST, host, variant) == []


@pytest.mark.parametrize("host, variant", _cases())
def test_every_line_is_valid_on_the_newest_version_but_the_documented_removals(host, variant):
    problems = _problems(trees.NEWEST, host, variant)
    assert [p for p in problems if not (p[0] == "argument" and (p[1], p[3]) in trees.REMOVED_IN_NEWEST)] == []


def test_the_fasttrack_rule_is_what_the_newest_version_refuses():
    """The one documented consequence (docs/engine.md, "Supported RouterOS versions"): every router's
    FastTrack rule writes hw-offload, which RouterOS 7.22 no longer has."""
    refused = set(p for host, variant in _cases() for p in _problems(trees.NEWEST, host, variant))
    assert refused == {("argument", "/ip/firewall/filter", "add", "hw-offload")}


def test_every_load_balancing_method_and_classifier_is_rendered():
    lines = [line for variant in CORE_VARIANTS for line in rendered("core", variant)]
    for classifier in PCC_CLASSIFIERS:
        assert any("per-connection-classifier=%s:" % classifier in line for line in lines)
    assert any(" nth=" in line for line in lines)
    assert any("InternetViaECMP" in line for line in lines)


@pytest.mark.parametrize("line, problem", [
    ("/ip firewall nat add chain=srcnat action=masquerade connection-state=new", ("argument", "/ip/firewall/nat", "add", "connection-state")),
    ("/ip route add gateway=10.0.0.1 check-gateway=bfd", ("value", "/ip/route", "add", "check-gateway", "bfd")),
    ("/ip firewall mangle add chain=prerouting connection-state=new,bogus", ("value", "/ip/firewall/mangle", "add", "connection-state", "bogus")),
    ("/ip firewall filter add chain=forward action=!accept", ("negation", "/ip/firewall/filter", "add", "action", "accept")),
    ("/ip firewall filter add chain=forward log=true", ("boolean", "/ip/firewall/filter", "add", "log", "true")),
    ("/ip settings set route-cache=no", ("argument", "/ip/settings", "set", "route-cache")),
    ("/ip firewall connection tracking add enabled=yes", ("command", "/ip/firewall/connection/tracking", "add")),
    ("/ip firewall mangle add chain=prerouting per-connection-classifier=both-hosts:2/0",
     ("value", "/ip/firewall/mangle", "add", "per-connection-classifier", "both-hosts:2/0")),
])
def test_the_checker_finds_what_routeros_refuses(line, problem):
    assert problem in line_problems(trees.OLDEST, line)
