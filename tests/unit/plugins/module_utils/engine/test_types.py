# -*- coding: utf-8 -*-
"""The engine's typed values: a PathSpec is checked when built, an Operation renders itself and round-trips
through the mapping the module returns."""

import pytest

from ansible_collections.multiwan.routeros.plugins.module_utils.engine import cli, schema
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.operation import Operation
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.plan import build_plan
from ansible_collections.multiwan.routeros.plugins.module_utils.transport.api import command_words
from ansible_collections.multiwan.routeros.plugins.module_utils.transport.base import Command

MANGLE = "/ip/firewall/mangle"


@pytest.mark.parametrize("declaration, problem", [
    ({"key": ["name"], "fields": {"nam": "str"}}, "key 'name' is not a field"),
    ({"fields": {"name": "string"}}, "field 'name' has unknown kind 'string'"),
    ({"key": ["name"], "fields": {"name": "str"}, "defaults": {"mtu": "1500"}}, "default 'mtu' is not a field"),
    ({"fields": {"chain": "str"}, "ordered": True, "scope": "chian"}, "scope 'chian' is not a field"),
    ({"fields": {"a": "str"}, "singleton": True, "ordered": True}, "a singleton has no key and no order"),
    ({"fields": {"name": "str"}, "builtin": ["main"]}, "builtin rows are named by a natural key"),
])
def test_a_declaration_that_contradicts_itself_fails_when_built(declaration, problem):
    with pytest.raises(schema.SchemaError, match=problem):
        schema.PathSpec.declared("/x", declaration)


def test_every_declared_path_is_a_frozen_spec():
    spec = schema.get(MANGLE)
    assert spec.ordered and spec.scope == "chain" and spec.key is None and "chain" in spec.required
    with pytest.raises(AttributeError):
        spec.ordered = False  # frozen
    with pytest.raises(TypeError):
        spec.fields["new"] = "str"  # a read-only mapping
    with pytest.raises(schema.UnknownPathError, match="known paths"):
        schema.get("/ip/firewall/mangel")


def test_an_operation_renders_the_same_write_as_api_sentence_and_cli_line():
    plan = build_plan({"/routing/table": [{"name": "T1", "fib": True}]}, {}, "t")
    op = plan.ops[0]
    assert op.api_sentence() == ("/routing/table/add", ["=comment=[mwan:t:T1]", "=fib=", "=name=T1"])
    assert command_words(Command(op.path, op.verb, fields=op.fields)) == op.api_sentence()
    assert cli.render(plan.ops) == ['/routing table add comment="[mwan:t:T1]" fib name=T1']


def test_the_public_mapping_round_trips_and_leaves_out_what_is_not_said():
    op = Operation("set", MANGLE, "m", id="*2", fields={"log": "yes"}, before={"log": "no"}, after={"log": "yes"},
                   adopted=False, undo_before="*3")
    public = op.public()
    assert list(public) == ["op", "path", "key", "id", "fields", "before", "after", "adopted"]
    back = Operation.from_public(public)
    assert back.public() == public and back.undo_before is None
    removed = Operation("remove", MANGLE, None, id="*4", before={"chain": "forward"}, purged=True).public()
    assert removed == {"op": "remove", "path": MANGLE, "key": None, "id": "*4", "fields": {},
                       "before": {"chain": "forward"}, "after": None, "purged": True}


def test_an_unknown_verb_is_refused():
    with pytest.raises(ValueError, match="unknown op"):
        Operation("replace", MANGLE)
