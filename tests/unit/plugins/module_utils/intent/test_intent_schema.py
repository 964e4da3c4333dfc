# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The intent schema is the one source: generated files are current, the model's defaults are the schema's,
and Ansible's own role argument validation accepts every intent the validator accepts."""

import copy
import glob
import importlib.util
import os

import pytest
import yaml
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from multiwan_samples import core, edge

from ansible_collections.multiwan.routeros.plugins.module_utils.intent import model, names, schema
from ansible_collections.multiwan.routeros.plugins.module_utils.intent.validate import intent_errors

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", ".."))


def _generator():
    spec = importlib.util.spec_from_file_location("generate_intent_docs", os.path.join(ROOT, "scripts", "generate_intent_docs.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GENERATOR = _generator()


def test_generated_files_are_current():
    stale = GENERATOR.stale()
    assert stale == [], "generated from plugins/module_utils/intent/schema.py but stale: %s; run `%s`" % (
        ", ".join(stale), GENERATOR.COMMAND)


def test_every_role_with_intent_has_a_kind():
    with_intent = [role for role in GENERATOR.roles()
                   if any(name.startswith(names.PREFIX) for name in _role_options(role))]
    assert sorted(with_intent) == sorted(GENERATOR.ROLE_KINDS)


def test_the_models_defaults_are_the_schemas():
    assert schema.NAMES.defaults() == model.Names().__dict__
    assert schema.FASTTRACK.defaults() == model.FastTrack().__dict__
    lb = model.LoadBalancing(method="pcc", wans=[])
    assert (lb.classifier, lb.sticky_timeout) == (schema.LOAD_BALANCING.key("classifier").default,
                                                  schema.LOAD_BALANCING.key("sticky_timeout").default)
    wan = model.Wan(name="a", interface="b", gateway="c", gateway_is_ip=False, distance=1, failover=[])
    assert (wan.inbound, wan.masquerade) == (schema.WANS.key("inbound").default, schema.WANS.key("masquerade").default)
    assert model.CoreIntent(wans=[], internal_networks=[]).internal_strategy == schema.INTERNAL_STRATEGY.default
    assert model.Edge("a", "b", "c", "d", []).fix_transit_srcnat is schema.EDGE_SETTINGS.key("fix_transit_srcnat").default
    assert model.InternalNetwork(dst="10.0.0.0/8").gateway == model.GATEWAY_CONNECTED


def test_every_intent_variable_is_known_and_suggested():
    for var in schema.VARIABLES:
        assert names.KNOWN_VARIABLES[var.name] == names.SUGGEST
    for name in schema.RESERVED:
        assert names.KNOWN_VARIABLES[name] == names.SUGGEST


def test_the_schema_is_well_formed():
    for var in schema.VARIABLES:
        assert var.kinds and set(var.kinds) <= set(schema.KINDS), var.name
        for key in (var,) + var.keys + tuple(sub for key in var.keys for sub in key.keys):
            assert key.type in ("str", "int", "bool", "list", "dict", "raw"), key.name
            assert key.doc, key.name
            assert (key.type == "list") == bool(key.elements), key.name
            assert not (key.required and (key.default is not None or key.default_doc)), key.name
            GENERATOR.ansible_markup(key.doc)


def test_variables_of_a_kind():
    assert [var.name for var in schema.variables_of("common")] == ["multiwan_fasttrack", "multiwan_conntrack", "multiwan_commit_confirm"]
    assert "multiwan_wans" in [var.name for var in schema.variables_of("core")]
    assert "multiwan_wans" not in [var.name for var in schema.variables_of("edge")]
    with pytest.raises(ValueError):
        schema.variables_of("router")


# ---------------------------------------------------------------------------------------------
# Ansible's role argument validation (validate_argument_spec runs ArgumentSpecValidator on the
# options the spec names, taken from the host's variables) never refuses a valid intent.
# ---------------------------------------------------------------------------------------------

def _role_options(role):
    with open(os.path.join(ROOT, "roles", role, "meta", "argument_specs.yml"), encoding="utf-8") as handle:
        return yaml.safe_load(handle)["argument_specs"]["main"]["options"]


def _inventory_intents():
    """(kind, intent) of every router of the shipped inventories."""
    found = []
    for folder in sorted(glob.glob(os.path.join(ROOT, "inventory", "*"))):
        if not os.path.isdir(os.path.join(folder, "group_vars")):
            continue
        common = {}
        for path in sorted(glob.glob(os.path.join(folder, "group_vars", "all.yml"))):
            common.update(_load(path))
        core_vars = dict(common)
        for path in sorted(glob.glob(os.path.join(folder, "group_vars", "multiwan_core*")) +
                           glob.glob(os.path.join(folder, "group_vars", "multiwan_core", "*.yml"))):
            if os.path.isfile(path):
                core_vars.update(_load(path))
        found.append(("core", core_vars))
        for path in sorted(glob.glob(os.path.join(folder, "host_vars", "edge-*.yml"))):
            found.append(("edge", dict(common, **_load(path))))
    return found


def _load(path):
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def _variants():
    """Valid intents that use every form the validator accepts: several YAML types, nulls for unset."""
    data = core(multiwan_internal_strategy="routes", multiwan_lan_interfaces=["bridge"],
                multiwan_internal_networks=[{"dst": "10.11.0.0/16", "gateway": "10.11.255.1"}, "192.168.0.0/17"],
                multiwan_conntrack={"enabled": True, "loose-tcp-tracking": "yes", "udp_timeout": 30},
                multiwan_names={"table": "Via{wan}", "wan_list": "UPLINKS"})
    data["multiwan_wans"][3].update(gateway="pppoe-out1", address=None, check_gateway=False, distance="7", inbound="no",
                                    vlan=None, comment=None, failover=["1012"], masquerade=True)
    yield "core", data
    # A variable set to null is not set (core() and edge() drop a variable given as None, so nulls are set after).
    data = core(multiwan_load_balancing={"method": "nth", "sticky_timeout": 3600, "classifier": None, "wans": None})
    data.update(dict.fromkeys(("multiwan_sites", "multiwan_lan_interfaces", "multiwan_names", "multiwan_fasttrack", "multiwan_conntrack",
                               "multiwan_internal_strategy")))
    yield "core", data
    yield "core", core(multiwan_sites=None, multiwan_load_balancing={"method": "pcc", "classifier": "src-address", "wans": ["1012", "1000"]})
    data = edge(multiwan_port_forwards=[{"name": "a", "protocol": "udp", "port": "5000-5010", "to_address": "10.11.0.5", "to_port": "6000-6010",
                                         "source": None, "dst_address": None}])
    data["multiwan_edge"]["fix_transit_srcnat"] = None
    yield "edge", data
    data = edge(multiwan_fasttrack={"hw_offload": "no"})
    data.update(multiwan_port_forwards=None, multiwan_names=None, multiwan_conntrack=None)
    yield "edge", data


INTENTS = _inventory_intents() + list(_variants())
# Each role with each intent of a router it runs on (fasttrack_tuning runs on every router).
CASES = [(role, index) for role, role_kind in sorted(GENERATOR.ROLE_KINDS.items()) for index, (kind, _intent) in enumerate(INTENTS)
         if role_kind in (kind, schema.COMMON)]


def test_the_shipped_inventories_are_all_read():
    kinds = [kind for kind, _intent in _inventory_intents()]
    assert kinds.count("core") == 3 and kinds.count("edge") == 6, kinds


@pytest.mark.parametrize("role,index", CASES)
def test_ansible_role_argument_validation_accepts_every_valid_intent(role, index):
    kind, intent = INTENTS[index]
    assert intent_errors(intent, kind) == []
    options = _role_options(role)
    provided = dict((name, copy.deepcopy(value)) for name, value in intent.items() if name in options)
    result = ArgumentSpecValidator(options).validate(provided)
    assert result.error_messages == []


def test_ansible_role_argument_validation_still_refuses_a_wrong_type():
    options = _role_options("wan_interfaces")
    result = ArgumentSpecValidator(options).validate({"multiwan_wans": "1012", "multiwan_internal_networks": ["10.0.0.0/8"]})
    assert result.error_messages
