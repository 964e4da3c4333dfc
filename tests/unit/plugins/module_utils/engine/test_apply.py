"""Undo planning in apply.py: positions replayed from the writes that ran, waves of the undo list."""

from ansible_collections.multiwan.routeros.plugins.module_utils.engine import apply as apply_mod
from ansible_collections.multiwan.routeros.plugins.module_utils.transport.base import Result

MANGLE = "/ip/firewall/mangle"
ACTUAL = {MANGLE: [{".id": i, "chain": "prerouting", "action": "accept", "comment": "c%s" % i} for i in ("*1", "*2", "*3", "*4")]}


def _op(kind, rid, **extra):
    row = dict(ACTUAL[MANGLE][int(rid[1:]) - 1]) if rid else None
    op = {"op": kind, "path": MANGLE, "key": rid or "new", "id": rid, "fields": {}, "before": row, "after": row}
    op.update(extra)
    return op


def test_positions_are_replayed_from_the_writes_that_ran():
    # *4 moves to the top, then *3 is removed; the plan thought *3 sat before *4, but the move failed
    ops = [_op("move", "*4", destination="*1", undo_before=None), _op("remove", "*3", undo_before="*1")]
    results = [Result(False, message="x"), Result(True)]
    assert apply_mod.applied_positions(ops, results, ACTUAL) == {1: "*4"}
    undo = apply_mod._undo_ops(ops, results, {}, apply_mod.applied_positions(ops, results, ACTUAL))
    assert [(u["op"], u.get("place_before"), u.get("restores")) for u in undo] == [("add", "*4", "*3")]


def test_an_op_naming_an_entry_re_added_in_the_same_wave_starts_a_new_wave():
    # *2 and *3 removed (neighbours), then *1 moved before *4; undo: re-add *3, re-add *2 before *3, move *1 back before *2
    ops = [_op("remove", "*2"), _op("remove", "*3"), _op("move", "*1", destination="*4")]
    results = [Result(True), Result(True), Result(True)]
    ops = [dict(op, undo_before=None) for op in ops]
    positions = apply_mod.applied_positions(ops, results, ACTUAL)
    assert positions == {0: "*3", 1: "*4", 2: "*4"}
    undo = apply_mod._undo_ops(ops, results, {}, positions)
    assert [(u["op"], u["id"], u.get("place_before"), u.get("destination")) for u in undo] == [
        ("move", "*1", None, "*4"), ("add", None, "*4", None), ("add", None, "*3", None)]
    waves = apply_mod._undo_waves(undo)
    assert [len(w) for w in waves] == [2, 1]
