# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Placement inside ordered tables: ``place-before`` inserts and the fewest ``move`` calls.

Within one order scope (a firewall chain) the collection's entries form one block in rank order.
Entries already in rank order relative to each other (a longest increasing subsequence of their
current positions) stay where they are; only the others are moved, so the number of moves is the
minimum. Every insert and move targets an entry that exists before the plan starts and does not
move, which keeps the whole batch free of ids the router has not returned yet (so it can be sent
pipelined) and makes the result independent of the order in which the router answers.
"""

from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Set, Tuple

from ansible_collections.multiwan.routeros.plugins.module_utils.engine.schema import (
    PLACEMENT_APPEND,
)

# A member of an order scope (``plan_scope``) and a placement action ``(handle, verb, before id)``.
Member = Dict[str, Any]
Action = Tuple[Any, str, Any]

# Another owner's entries are kept in place whenever possible: they are not ours to move.
FOREIGN_OWNER_WEIGHT = 1000000


def weighted_lis(values: Sequence[Any], weights: Optional[Sequence[int]] = None) -> List[int]:
    """Indices of a maximum-weight strictly increasing subsequence of ``values``.

    O(n log n) with a Fenwick tree over value ranks; ties prefer the earliest positions.
    """
    n = len(values)
    if n == 0:
        return []
    weights = weights or [1] * n
    ranks = {v: i + 1 for i, v in enumerate(sorted(set(values)))}
    size = len(ranks)
    tree_best = [0] * (size + 1)
    tree_idx = [-1] * (size + 1)
    best = [0] * n
    prev = [-1] * n

    def query(pos: int) -> Tuple[int, int]:
        result, where = 0, -1
        while pos > 0:
            if tree_best[pos] > result:
                result, where = tree_best[pos], tree_idx[pos]
            pos -= pos & (-pos)
        return result, where

    def update(pos: int, value: int, idx: int) -> None:
        while pos <= size:
            if value > tree_best[pos]:
                tree_best[pos], tree_idx[pos] = value, idx
            pos += pos & (-pos)

    for i, value in enumerate(values):
        rank = ranks[value]
        found, where = query(rank - 1)
        best[i] = found + weights[i]
        prev[i] = where
        update(rank, best[i], i)

    end = max(range(n), key=lambda i: (best[i], -i))
    chain = []
    while end != -1:
        chain.append(end)
        end = prev[end]
    return sorted(chain)


def _kept(position: Mapping[Any, int], members: Sequence[Member]) -> Set[int]:
    """ids of the members that stay in place (a max-weight increasing subsequence)."""
    existing = [m for m in members if m["id"] is not None and m["id"] in position]
    by_pos = sorted(existing, key=lambda m: position[m["id"]])
    target_index = {id(m): i for i, m in enumerate(members)}
    seq = [target_index[id(m)] for m in by_pos]
    weights = [1 if m["movable"] else FOREIGN_OWNER_WEIGHT for m in by_pos]
    return set(id(by_pos[i]) for i in weighted_lis(seq, weights))


def movers(table: Sequence[Any], members: Sequence[Member]) -> Set[Any]:
    """ids of this scope's entries that ``plan_scope`` will move (so other scopes never target them)."""
    position = {rid: i for i, rid in enumerate(table)}
    keep = _kept(position, members)
    return set(m["id"] for m in members
               if m["id"] is not None and m["id"] in position and id(m) not in keep and m["movable"])


def plan_scope(table: Sequence[Any], stationary_skip: Iterable[Any], scope_rows: Sequence[Any], members: Sequence[Member],
               mode: Optional[str] = None) -> Tuple[List[Action], int]:
    """Decide inserts and moves for one order scope.

    - ``table``: every row id of the table in current order (removed rows already left out).
    - ``stationary_skip``: ids that can never be a placement target (dynamic rows, and entries
      other scopes of the same table move).
    - ``scope_rows``: ids of this scope's rows (chain), in table order.
    - ``members``: the collection's entries of this scope in TARGET order, each a dict with
      ``handle``, ``id`` (``None`` for a new entry) and ``movable`` (False for another owner's
      entry).
    - ``mode``: ``append`` puts a new block at the end of the chain; by default a new block goes
      before the first hand-made (non-dynamic) rule of the chain.

    Returns ``(actions, moves)``: ``actions`` is a list of ``(handle, "add"|"move", before_id)``
    in the order to execute (``before_id`` ``None`` = end of table) and ``moves`` their count.
    """
    position = {rid: i for i, rid in enumerate(table)}
    keep = _kept(position, members)

    block = []
    for m in members:
        if m["id"] is not None and m["id"] in position:
            if id(m) in keep:
                block.append((m, True))
            elif m["movable"]:
                block.append((m, False))
            # else: another owner's entry out of order: left alone, not used as an anchor
        else:
            block.append((m, False))

    moving = set(m["id"] for m, anchored in block if not anchored and m["id"] is not None)
    skip = set(stationary_skip) | moving

    def successor(rid: Any) -> Any:
        for other in table[position[rid] + 1:]:
            if other not in skip:
                return other
        return None

    anchors = [i for i, (m, anchored) in enumerate(block) if anchored]
    actions = []
    if anchors:
        last = anchors[-1]
        tail_target = successor(block[last][0]["id"])
        next_anchor = None
        targets = [None] * len(block)
        for i in range(len(block) - 1, -1, -1):
            m, anchored = block[i]
            if anchored:
                next_anchor = m["id"]
            elif i > last:
                targets[i] = tail_target
            else:
                targets[i] = next_anchor
        for i, (m, anchored) in enumerate(block):
            if not anchored:
                actions.append((m["handle"], "add" if m["id"] is None else "move", targets[i]))
    else:
        stationary = [rid for rid in scope_rows if rid not in skip]
        if mode == PLACEMENT_APPEND or not stationary:
            target = successor(stationary[-1]) if stationary else None
        else:
            target = stationary[0]
        for m, anchored in block:
            actions.append((m["handle"], "add" if m["id"] is None else "move", target))
    moves = sum(1 for a in actions if a[1] == "move")
    return actions, moves


def simulate(table: Sequence[Any], actions: Iterable[Action]) -> List[Any]:
    """Apply ``(handle, op, before)`` actions to a list of ids; returns the new list.

    Used by tests and by the planner to record where each entry was before it moved.
    """
    result = list(table)
    for handle, op, before in actions:
        if op == "move" and handle in result:
            result.remove(handle)
        if op in ("add", "move"):
            if before is None or before not in result:
                result.append(handle)
            else:
                result.insert(result.index(before), handle)
        elif op == "remove" and handle in result:
            result.remove(handle)
    return result
