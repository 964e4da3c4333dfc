"""Undo planning (device/undo.py): positions replayed from the writes that ran, waves of the undo list."""

from ansible_collections.multiwan.routeros.plugins.module_utils.engine.device import undo as undo_mod
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.operation import Operation
from ansible_collections.multiwan.routeros.plugins.module_utils.transport.base import Result

MANGLE = "/ip/firewall/mangle"
ACTUAL = {MANGLE: [{".id": i, "chain": "prerouting", "action": "accept", "comment": "c%s" % i} for i in ("*1", "*2", "*3", "*4")]}


def _op(kind, rid, **extra):
    row = dict(ACTUAL[MANGLE][int(rid[1:]) - 1]) if rid else None
    return Operation(kind, MANGLE, rid or "new", id=rid, before=row, after=row, **extra)


def test_positions_are_replayed_from_the_writes_that_ran():
    # *4 moves to the top, then *3 is removed; the plan thought *3 sat before *4, but the move failed
    ops = [_op("move", "*4", destination="*1", undo_before=None), _op("remove", "*3", undo_before="*1")]
    results = [Result(False, message="x"), Result(True)]
    assert undo_mod.applied_positions(ops, results, ACTUAL) == {1: "*4"}
    undo, problems = undo_mod.undo_ops(ops, results, {}, undo_mod.applied_positions(ops, results, ACTUAL))
    assert problems == []
    assert [(u.verb, u.place_before, u.restores) for u in undo] == [("add", "*4", "*3")]


def test_an_op_naming_an_entry_re_added_in_the_same_wave_starts_a_new_wave():
    # *2 and *3 removed (neighbours), then *1 moved before *4; undo: re-add *3, re-add *2 before *3, move *1 back before *2
    ops = [_op("remove", "*2"), _op("remove", "*3"), _op("move", "*1", destination="*4")]
    results = [Result(True), Result(True), Result(True)]
    positions = undo_mod.applied_positions(ops, results, ACTUAL)
    assert positions == {0: "*3", 1: "*4", 2: "*4"}
    undo, _problems = undo_mod.undo_ops(ops, results, {}, positions)
    assert [(u.verb, u.id, u.place_before, u.destination) for u in undo] == [
        ("move", "*1", None, "*4"), ("add", None, "*4", None), ("add", None, "*3", None)]
    waves = undo_mod.undo_waves(undo)
    assert [len(w) for w in waves] == [2, 1]


CONNTRACK = "/ip/firewall/connection/tracking"
SETTINGS = "/ip/settings"


def _set(path, fields, before, rid=None):
    return Operation("set", path, rid or "settings", id=rid, fields=fields, before=before)


def test_a_set_field_gets_its_previous_value_or_else_its_default():
    # udp-timeout was not in the export (its default), tcp-established-timeout was set by hand
    op = _set(CONNTRACK, {"udp-timeout": "30s", "tcp-established-timeout": "1h"}, {"tcp-established-timeout": "2h"})
    assert undo_mod.previous_values(op) == ({"udp-timeout": "10s", "tcp-established-timeout": "2h"}, [])
    # a rule's `disabled` cannot be unset: its default; a matcher without a default is unset
    op = _set(MANGLE, {"disabled": "yes", "src-address": "10.0.0.0/8", "comment": None}, {"comment": "c"}, rid="*1")
    assert undo_mod.previous_values(op) == ({"disabled": "no", "src-address": None, "comment": "c"}, [])


def test_a_singleton_field_with_no_value_and_no_known_default_is_reported_not_sent():
    op = _set(SETTINGS, {"tcp-timestamps": "disabled", "rp-filter": "loose"}, {})
    undo, problems = undo_mod.undo_ops([op], [Result(True)], {})
    assert [u.fields for u in undo] == [{"rp-filter": "no"}]
    assert problems == ["set /ip/settings settings: tcp-timestamps had no value and RouterOS's default is not known; "
                        "set it back by hand"]
