# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Desired entries vs rows read from the router -> an ordered plan of operations. Pure.

A plan is a list of ``Operation`` in execution order: first adds, sets and moves path by path in
dependency order, then removals in reverse dependency order (new entries exist before old ones
go, and nothing is removed while still referenced). ``predict`` gives the rows a plan leaves.
"""

from dataclasses import replace
from typing import Any, Dict, List, Mapping, Optional, Sequence, Set, Tuple

from ansible_collections.multiwan.routeros.plugins.module_utils.engine import owner as owner_mod
from ansible_collections.multiwan.routeros.plugins.module_utils.engine import schema as schema_mod
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.desired import (
    STATES,
    DesiredEntry,
    PreparedDesired,
    prepare_desired,
    resolve_connected_gateways,
)
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.errors import PlanError
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.match import (
    Match,
    Tags,
    match_rows,
    owner_tags,
    row_matches,
    writable,
)
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.normalize import canon_field, equal, to_text
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.operation import Operation, Plan
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.order import movers, plan_scope, simulate

_RESET_STATES = ("replaced", "overridden")
INF_RANK = 1 << 62

Row = Mapping[str, Any]
Rows = Dict[str, List[Row]]


class _PathPlan:
    """The operations of one path, by kind, as the planner finds them."""

    def __init__(self, spec: schema_mod.PathSpec) -> None:
        self.spec = spec
        self.sets: List[Operation] = []
        self.removes: List[Operation] = []
        self.placed: List[Operation] = []


def build_plan(desired: Any, actual: Mapping[str, Optional[List[Row]]], owner: str, state: str = "merged",
               adopt: Optional[Sequence[str]] = None, purge: Optional[Mapping[str, Any]] = None,
               paths: Optional[Sequence[str]] = None, placement: Optional[Mapping[str, str]] = None,
               resolve_gateways: bool = True, prepared: Optional[PreparedDesired] = None) -> Plan:
    """Compute the plan.

    - ``desired``: ``{path: [entry]}`` as documented in docs/architecture.md.
    - ``actual``: ``{path: [row]}``: every row the router printed for the path (dynamic ones
      included), in table order, values as text, with ``.id``.
    - ``adopt``: paths where an untagged entry with the same identity fields is taken over.
    - ``purge``: ``{path: {field: value}}``: untagged entries matching the filter are removed.
    - ``placement``: ``{path: "append"}`` to append a new block instead of placing it before
      the first hand-made rule of the chain.
    - ``prepared``: the result of ``prepare_desired`` when the caller already validated.

    Raises PlanError before anything is written.
    """
    if state not in STATES:
        raise PlanError("state must be one of %s" % ", ".join(STATES))
    purge = purge or {}
    adopt = list(adopt or [])
    placement = placement or {}
    problems = []
    for path in list(adopt) + list(purge):
        if not schema_mod.is_known(path):
            problems.append("unknown path %r in adopt/purge" % path)
    for path, flt in purge.items():
        if not isinstance(flt, dict):
            problems.append("purge[%s] must be a mapping of field -> value" % path)
    if problems:
        raise PlanError(problems)
    if prepared is None:
        prepared = prepare_desired(desired, owner, list(paths or []))
    entries = dict(prepared[0])
    warnings = list(prepared[1])
    for path in purge:
        entries.setdefault(path, [])
    if "/ip/route" in entries:
        entries["/ip/route"] = resolve_connected_gateways(entries["/ip/route"], actual.get("/ip/route"), problems, warnings,
                                                          resolve_gateways)
    plans = {}
    for path in schema_mod.dependency_order(entries):
        spec = schema_mod.get(path)
        rows = list(actual.get(path) or [])
        plans[path] = _plan_path(spec, entries[path], rows, owner, state, path in adopt,
                                 purge.get(path), placement.get(path), problems, warnings)
    if problems:
        raise PlanError(problems)
    ops: List[Operation] = []
    order = schema_mod.dependency_order(plans)
    for path in order:
        ops.extend(plans[path].sets)
        ops.extend(plans[path].placed)
    for path in reversed(order):
        ops.extend(plans[path].removes)
    return Plan(ops=_record_undo_positions(ops, actual), warnings=warnings)


def _op(verb: str, spec: schema_mod.PathSpec, key: Optional[str], row: Optional[Row] = None,
        fields: Optional[Mapping[str, Optional[str]]] = None, **extra: Any) -> Operation:
    """An operation on ``row`` (``None`` for an add) with its before and after."""
    before = writable(spec, row) if row is not None else None
    after = None
    if verb == "add":
        after = dict((k, v) for k, v in (fields or {}).items() if v is not None)
    elif verb in ("set", "move"):
        after = dict(before or {})
        for k, v in (fields or {}).items():
            if v is None:
                after.pop(k, None)
            else:
                after[k] = v
    return Operation(verb=verb, path=spec.path, key=key, id=row.get(".id") if row is not None else None,
                     fields=dict(fields or {}), before=before, after=after, **extra)


def _plan_path(spec: schema_mod.PathSpec, entries: List[DesiredEntry], rows: List[Row], owner: str, state: str,
               adopt: bool, purge_filter: Optional[Mapping[str, Any]], placement: Optional[str], problems: List[str],
               warnings: List[str]) -> _PathPlan:
    pp = _PathPlan(spec)
    visible = [r for r in rows if not schema_mod.is_invisible(r)]
    if spec.singleton:
        _plan_singleton(pp, spec, entries, visible, state, warnings)
        return pp
    tags = owner_tags(visible)
    mine = [r for r in visible if tags[id(r)] and tags[id(r)][0] == owner]
    found = match_rows(spec, entries, visible, tags, owner, state, adopt, problems, warnings)
    claimed = found.claimed
    for key, copy, holder in found.copies:
        warnings.append(_copied_tag_warning(spec, key, copy, holder))
        pp.removes.append(_op("remove", spec, key, copy, copied_tag=True))

    if state == "deleted":
        if entries:
            for match in found.matches:
                if match.row is not None:
                    pp.removes.append(_op("remove", spec, match.entry.key, match.row))
        else:
            for r in mine:
                pp.removes.append(_op("remove", spec, tags[id(r)][1], r))
        _dedupe_removes(pp)
        _purge(pp, spec, visible, tags, claimed, purge_filter)
        return pp

    after_rows: Dict[int, Row] = {}
    new_entries: List[Tuple[DesiredEntry, Dict[str, str]]] = []
    for match in found.matches:
        entry, row, adopted = match.entry, match.row, match.adopted
        description = entry.description
        if row is not None and not entry.has_comment and (adopted or state == "merged"):
            # merged compares only what the entry gives; an adopted entry keeps its description
            description = owner_mod.strip(row.get("comment"))
        desired_comment = owner_mod.compose(description, owner, entry.key, entry.rank)
        if row is None:
            missing = [f for f in spec.required if not entry.fields.get(f)]
            if missing:
                problems.append("%s (%s): cannot add without %s" % (entry.where, entry.label, ", ".join(missing)))
                continue
            fields = dict((k, v) for k, v in entry.fields.items() if v != "")
            fields["comment"] = desired_comment
            new_entries.append((entry, fields))
            continue
        changes = _changes(spec, entry, row, desired_comment, state)
        if changes or adopted:
            if adopted and "comment" not in changes:
                changes["comment"] = desired_comment
            op = _op("set", spec, entry.key, row, changes, adopted=adopted)
            pp.sets.append(op)
            after_rows[id(row)] = op.after
        if adopted:
            tags[id(row)] = (owner, entry.key, entry.rank)
    if state == "overridden":
        holders = dict((tags[id(m.row)][1], m.row) for m in found.matches if m.row is not None and id(m.row) in claimed
                       and tags[id(m.row)] and tags[id(m.row)][0] == owner)
        for r in mine:
            if id(r) not in claimed:
                key = tags[id(r)][1]
                holder = holders.get(key)
                if holder is not None and holder is not r:
                    # The comment of a managed entry copied onto a hand-made one: say so before it goes.
                    warnings.append(_copied_tag_warning(spec, key, r, holder))
                    pp.removes.append(_op("remove", spec, key, r, copied_tag=True))
                else:
                    pp.removes.append(_op("remove", spec, key, r))
    _purge(pp, spec, visible, tags, claimed, purge_filter)
    removed_ids = set(op.id for op in pp.removes)

    if spec.ordered:
        _plan_order(pp, spec, rows, tags, found.matches, new_entries, after_rows, removed_ids, owner, placement)
    else:
        for entry, fields in new_entries:
            pp.placed.append(_op("add", spec, entry.key, None, fields, handle=new_handle(owner, entry.key)))
    return pp


def _row_summary(spec: schema_mod.PathSpec, row: Row) -> str:
    shown = [f for f in list(spec.key or ()) + ["chain", "action", "dst-address", "gateway", "routing-table"] if row.get(f)]
    return " ".join("%s=%s" % (f, row.get(f)) for f in dict.fromkeys(shown)) or str(row.get(".id"))


def _copied_tag_warning(spec: schema_mod.PathSpec, key: str, row: Row, holder: Row) -> str:
    return ("%s: removing %s (%s): it carries the owner tag %s of %s (%s), a copied or forged comment"
            % (spec.path, row.get(".id"), _row_summary(spec, row), key, holder.get(".id"), _row_summary(spec, holder)))


def _dedupe_removes(pp: _PathPlan) -> None:
    seen: Set[Optional[str]] = set()
    out = []
    for op in pp.removes:
        if op.id in seen:
            continue
        seen.add(op.id)
        out.append(op)
    pp.removes = out


def _purge(pp: _PathPlan, spec: schema_mod.PathSpec, visible: List[Row], tags: Tags, claimed: Set[int],
           purge_filter: Optional[Mapping[str, Any]]) -> None:
    if purge_filter is None:
        return
    already = set(op.id for op in pp.removes)
    wanted = dict((k, to_text(v)) for k, v in purge_filter.items())
    for r in visible:
        if tags[id(r)] is not None or id(r) in claimed or r.get(".id") in already:
            continue
        if row_matches(spec, wanted, r):
            pp.removes.append(_op("remove", spec, None, r, purged=True))


def _changes(spec: schema_mod.PathSpec, entry: DesiredEntry, row: Row, desired_comment: str,
             state: str) -> Dict[str, Optional[str]]:
    changes: Dict[str, Optional[str]] = {}
    for field, value in list(entry.fields.items()) + list(entry.expect.items()):
        if not equal(spec, field, value, row.get(field)):
            changes[field] = value if value != "" else None
    if row.get("comment", "") != desired_comment:
        changes["comment"] = desired_comment
    if state in _RESET_STATES:
        keys = set(spec.key or ()) | set(spec.no_reset)
        for field in spec.fields:
            if field in entry.fields or field == "comment" or field in keys:
                continue
            if row.get(field) is None:
                continue
            if canon_field(spec, field, row.get(field)) != canon_field(spec, field, None):
                changes[field] = spec.defaults.get(field)
    return changes


def _plan_singleton(pp: _PathPlan, spec: schema_mod.PathSpec, entries: List[DesiredEntry], visible: List[Row],
                    state: str, warnings: List[str]) -> None:
    if not entries:
        return
    if state == "deleted":
        warnings.append("%s: a singleton menu cannot be deleted; left as it is" % spec.path)
        return
    row = visible[0] if visible else {}
    changes = dict((field, value) for field, value in entries[0].fields.items() if not equal(spec, field, value, row.get(field)))
    if changes:
        # A singleton is written without an id, whatever id its row has.
        pp.sets.append(replace(_op("set", spec, "settings", row, changes), id=None))


def _plan_order(pp: _PathPlan, spec: schema_mod.PathSpec, rows: List[Row], tags: Tags, matches: List[Match],
                new_entries: List[Tuple[DesiredEntry, Dict[str, str]]], after_rows: Dict[int, Row],
                removed_ids: Set[Optional[str]], owner: str, placement: Optional[str]) -> None:
    scope_field = spec.scope
    table = [r.get(".id") for r in rows if r.get(".id") not in removed_ids]
    dynamic = set(r.get(".id") for r in rows if schema_mod.is_invisible(r))
    # Entries sort by rank, then owner; equal ranks keep the order of ``desired`` for this owner's
    # entries and the table order for anyone else's, so ranks never depend on list positions. When
    # ``desired`` leaves out some of this owner's entries of a rank (merged, replaced), it does not
    # say where they go: that rank keeps the table order, and its new entries join at its end.
    matched = set(id(m.row) for m in matches if m.row is not None)
    partial = set(tags[id(r)][2] for r in rows if tags.get(id(r)) and tags[id(r)][0] == owner and id(r) not in matched
                  and r.get(".id") not in removed_ids and r.get(".id") not in dynamic)
    desired_order = {}
    rank_of = dict((id(m.row), m.entry.rank) for m in matches if m.row is not None)
    for m in matches:
        if m.row is not None and m.entry.rank not in partial:
            desired_order[id(m.row)] = (m.entry.rank, owner, 0, m.entry.position)

    def scope_of(fields: Row) -> str:
        return fields.get(scope_field, "") if scope_field else ""

    scopes: Dict[str, Dict[str, List[Any]]] = {}
    for position, r in enumerate(rows):
        rid = r.get(".id")
        if rid in removed_ids:
            continue
        current = after_rows.get(id(r), r)
        bucket = scopes.setdefault(scope_of(current), {"rows": [], "members": []})
        bucket["rows"].append(rid)
        tag = tags.get(id(r))
        if rid in dynamic or tag is None:
            continue
        rank = tag[2] if id(r) not in matched or tag[0] != owner else rank_of[id(r)]
        sort = desired_order.get(id(r)) or (rank if rank is not None else INF_RANK, tag[0], 1, position)
        bucket["members"].append({
            "handle": rid, "id": rid, "movable": tag[0] == owner, "sort": sort, "row": r, "key": tag[1],
        })
    for entry, fields in new_entries:
        bucket = scopes.setdefault(scope_of(fields), {"rows": [], "members": []})
        bucket["members"].append({
            "handle": new_handle(owner, entry.key), "id": None, "movable": True,
            "sort": (entry.rank, owner, 2 if entry.rank in partial else 0, entry.position),
            "fields": fields, "entry": entry,
        })
    work = []
    moving: Set[str] = set()
    for sc in sorted(scopes):
        bucket = scopes[sc]
        members = sorted(bucket["members"], key=lambda m: m["sort"])
        if not members:
            continue
        if not any(m["id"] is None for m in members) and _in_order(table, members):
            continue
        moving |= movers(table, members)
        work.append((bucket, members))
    for bucket, members in work:
        # Never place before an entry that another chain's plan moves away.
        actions, _moves = plan_scope(table, dynamic | moving, bucket["rows"], members, placement)
        by_handle = dict((m["handle"], m) for m in members)
        for handle, verb, before in actions:
            m = by_handle[handle]
            if verb == "add":
                pp.placed.append(_op("add", spec, m["entry"].key, None, m["fields"], place_before=before, handle=handle))
            else:
                pp.placed.append(_op("move", spec, m["key"], m["row"], {}, destination=before, handle=handle))


def new_handle(owner: str, key: str) -> str:
    """The placeholder id of an entry a plan adds (check mode predicts rows under it)."""
    return "new:%s:%s" % (owner, key)


def _in_order(table: List[Optional[str]], members: List[Dict[str, Any]]) -> bool:
    position = dict((rid, i) for i, rid in enumerate(table))
    last = -1
    for m in members:
        pos = position.get(m["id"])
        if pos is None or pos < last:
            return False
        last = pos
    return True


def _record_undo_positions(ops: List[Operation], actual: Mapping[str, Optional[List[Row]]]) -> List[Operation]:
    """``ops`` with, on every remove and move, the entry that followed it just before the operation,
    so undo can put it back exactly where it was."""
    tables = dict((path, [r.get(".id") for r in rows or []]) for path, rows in actual.items())
    out = []
    for op in ops:
        if not schema_mod.get(op.path).ordered:
            out.append(op)  # position does not matter there, and tables can be large
            continue
        table = tables.setdefault(op.path, [])
        if op.verb == "add":
            tables[op.path] = simulate(table, [(op.handle, "add", op.place_before)])
        elif op.verb in ("move", "remove") and op.id in table:
            idx = table.index(op.id)
            op = replace(op, undo_before=table[idx + 1] if idx + 1 < len(table) else None)
            tables[op.path] = simulate(table, [(op.id, op.verb, op.destination)])
        out.append(op)
    return out


def predict(actual: Mapping[str, Optional[List[Row]]], ops: Sequence[Operation]) -> Rows:
    """The rows the router should hold after ``ops`` (check mode's "after"), in table order."""
    result: Rows = {}
    for path, rows in actual.items():
        result[path] = [dict(r) for r in rows or []]
    counter = 0
    for op in ops:
        rows = result.setdefault(op.path, [])
        ids = [r.get(".id") for r in rows]
        if op.verb == "add":
            counter += 1
            new = dict(op.after or {})
            new[".id"] = op.handle or "*new%d" % counter
            if op.place_before in ids:
                rows.insert(ids.index(op.place_before), new)
            else:
                rows.append(new)
        elif op.verb == "set":
            if op.id is None:
                target = rows[0] if rows else None
                if target is None:
                    rows.append(dict(op.after or {}))
                    continue
            else:
                target = rows[ids.index(op.id)] if op.id in ids else None
            if target is not None:
                for k, v in op.fields.items():
                    if v is None:
                        target.pop(k, None)
                    else:
                        target[k] = v
        elif op.verb == "remove" and op.id in ids:
            rows.pop(ids.index(op.id))
        elif op.verb == "move" and op.id in ids:
            row = rows.pop(ids.index(op.id))
            ids = [r.get(".id") for r in rows]
            if op.destination in ids:
                rows.insert(ids.index(op.destination), row)
            else:
                rows.append(row)
    return result
