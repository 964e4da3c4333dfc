# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from hypothesis import given, settings, strategies as st

from ansible_collections.multiwan.routeros.plugins.module_utils.engine.order import (
    plan_scope,
    simulate,
    weighted_lis,
)


def _lis_length_bruteforce(values):
    best = [1] * len(values)
    for i in range(len(values)):
        for j in range(i):
            if values[j] < values[i]:
                best[i] = max(best[i], best[j] + 1)
    return max(best) if values else 0


def test_lis_simple():
    idx = weighted_lis([3, 0, 1, 4, 2])
    assert [[3, 0, 1, 4, 2][i] for i in idx] in ([0, 1, 4], [0, 1, 2])


def test_lis_weights_keep_heavy_items():
    # the heavy 5 must stay even though [1, 2, 3] is longer
    idx = weighted_lis([5, 1, 2, 3], [100, 1, 1, 1])
    assert 0 in idx


@given(st.permutations(list(range(9))))
def test_lis_is_longest(values):
    idx = weighted_lis(values)
    picked = [values[i] for i in idx]
    assert picked == sorted(picked)
    assert len(picked) == _lis_length_bruteforce(values)


def _members(order_ids, target):
    return [{"handle": h, "id": (h if h in order_ids else None), "movable": True} for h in target]


@settings(max_examples=200)
@given(st.permutations(["a", "b", "c", "d", "e", "f"]), st.lists(st.sampled_from(["F1", "F2", "F3"]), unique=True))
def test_plan_scope_sorts_with_minimal_moves_and_keeps_foreign(current, foreign):
    # interleave foreign rules between our entries
    table = []
    for i, h in enumerate(current):
        if i < len(foreign):
            table.append(foreign[i])
        table.append(h)
    target = sorted(current)
    actions, moves = plan_scope(table, set(), table, _members(current, target))
    result = simulate(table, actions)
    ours = [h for h in result if h in current]
    assert ours == target
    assert [h for h in result if h in foreign] == [h for h in table if h in foreign]
    assert moves == len(current) - _lis_length_bruteforce([target.index(h) for h in current])
    # every target of every action is an entry that existed before and does not move
    moving = set(a[0] for a in actions)
    assert all(a[2] is None or (a[2] in table and a[2] not in moving) for a in actions)


def test_new_block_goes_before_first_foreign_rule_after_dummies():
    table = ["dummy", "F1", "F2"]
    members = [{"handle": "new:a", "id": None, "movable": True}, {"handle": "new:b", "id": None, "movable": True}]
    actions, moves = plan_scope(table, {"dummy"}, table, members)
    assert actions == [("new:a", "add", "F1"), ("new:b", "add", "F1")]
    assert moves == 0
    assert simulate(table, actions) == ["dummy", "new:a", "new:b", "F1", "F2"]


def test_new_block_append_mode():
    table = ["F1", "F2", "X1"]
    members = [{"handle": "new:a", "id": None, "movable": True}]
    actions, _moves = plan_scope(table, set(), ["F1", "F2"], members, "append")
    assert actions == [("new:a", "add", "X1")]


def test_inserts_between_existing_entries_use_place_before():
    table = ["F1", "a", "F2", "c"]
    members = [{"handle": "a", "id": "a", "movable": True}, {"handle": "new:b", "id": None, "movable": True},
               {"handle": "c", "id": "c", "movable": True}]
    actions, moves = plan_scope(table, set(), table, members)
    assert actions == [("new:b", "add", "c")]
    assert moves == 0


def test_tail_entries_go_right_after_the_last_anchor():
    table = ["a", "F1", "X"]
    members = [{"handle": "a", "id": "a", "movable": True}, {"handle": "new:b", "id": None, "movable": True}]
    actions, _moves = plan_scope(table, set(), ["a", "F1"], members)
    assert actions == [("new:b", "add", "F1")]


def test_other_owner_entries_are_not_moved():
    table = ["z", "a"]
    members = [{"handle": "a", "id": "a", "movable": True}, {"handle": "z", "id": "z", "movable": False}]
    actions, moves = plan_scope(table, set(), table, members)
    assert actions == [("a", "move", "z")]
    assert moves == 1
