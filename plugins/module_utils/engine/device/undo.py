# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Undo of the applied part of a plan when a write fails: the inverse operations, run through the transport.

Planning the undo (``undo_ops``, ``undo_waves``, ``previous_values``, ``applied_positions``) is pure;
``run_undo`` and ``check_restored_order`` talk to the transport.
"""

from dataclasses import replace
from typing import Any, Dict, List, Mapping, Optional, Sequence, Set, Tuple

from ansible_collections.multiwan.routeros.plugins.module_utils.engine import schema as schema_mod
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.operation import Operation
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.order import simulate
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.device.commands import commands_for
from ansible_collections.multiwan.routeros.plugins.module_utils.transport.base import Result

Row = Mapping[str, Any]
# ``(path, id)`` of a row
RowRef = Tuple[str, Optional[str]]


def applied_positions(ops: Sequence[Operation], results: Sequence[Optional[Result]], actual: Mapping[str, Any]) -> Dict[int, Optional[str]]:
    """For every applied move and remove on an ordered path, the entry that followed it just before.

    Replayed from the writes that actually ran: a pipelined batch may run writes after a failed
    one, so the positions the plan recorded (assuming every write runs) can be wrong.
    """
    tables: Dict[str, List[Optional[str]]] = {}
    positions = {}
    for index, (op, res) in enumerate(zip(ops, results)):
        if res is None or not res.ok or not op.ordered:
            continue
        if op.path not in tables:
            tables[op.path] = [r.get(".id") for r in actual.get(op.path) or []]
        table = tables[op.path]
        if op.verb == "add":
            tables[op.path] = simulate(table, [(op.handle or "new:%s" % op.key, "add", op.place_before)])
        elif op.verb in ("move", "remove") and op.id in table:
            idx = table.index(op.id)
            positions[index] = table[idx + 1] if idx + 1 < len(table) else None
            tables[op.path] = simulate(table, [(op.id, op.verb, op.destination)])
    return positions


def previous_values(op: Operation) -> Tuple[Dict[str, Optional[str]], List[str]]:
    """What the undo of a ``set`` writes back: ``(fields, fields it cannot restore)``.

    A field that had a value gets it back. One that had none (an export leaves out defaults) gets
    its default: RouterOS cannot unset most fields (``set !udp-timeout`` is a syntax error), and a
    default is what the router had. A field with no default is unset (``!name``), except on a
    singleton, which has nothing to unset: that field is reported instead of sent.
    """
    spec = schema_mod.get(op.path)
    before = op.before or {}
    restore = {}
    missing = []
    for field in op.fields:
        value = before.get(field)
        if value is None:
            value = spec.defaults.get(field)
        if value is None and spec.singleton:
            missing.append(field)
            continue
        restore[field] = value
    return restore, missing


def undo_ops(ops: Sequence[Operation], results: Sequence[Optional[Result]], new_ids: Mapping[str, str],
             positions: Optional[Mapping[int, Optional[str]]] = None) -> Tuple[List[Operation], List[str]]:
    """The inverse of every applied operation, in reverse order: ``(undo ops, problems)``.

    A re-added entry gets a new ``.id``; its undo op carries the old one as ``restores`` so the
    later undo ops that name the old id can be pointed at the new one (see ``run_undo``).
    ``positions`` (from ``applied_positions``) overrides the plan's ``undo_before``. ``problems``
    name the values no undo op can restore.
    """
    undo = []
    problems = []
    for index in reversed(range(len(ops))):
        op, res = ops[index], results[index]
        if res is None or not res.ok:
            continue
        if positions is not None and op.verb in ("move", "remove"):
            op = replace(op, undo_before=positions.get(index))
        if op.verb == "add":
            undo.append(Operation("remove", op.path, op.key, id=res.ret or None, before=dict(op.after or {})))
        elif op.verb == "set":
            restore, missing = previous_values(op)
            if missing:
                problems.append("%s: %s had no value and RouterOS's default is not known; set it back by hand"
                                % (op.describe(), ", ".join(missing)))
            if restore:
                undo.append(Operation("set", op.path, op.key, id=op.id, fields=restore, before=op.after,
                                      after=op.before or {}))
        elif op.verb == "remove":
            target = op.undo_before if op.ordered else None
            before = dict(op.full_before or op.before or {})
            undo.append(Operation("add", op.path, op.key, fields=before, after=dict(before),
                                  place_before=new_ids.get(target, target), restores=op.id))
        else:
            target = op.undo_before
            undo.append(Operation("move", op.path, op.key, id=op.id, before=op.after, after=op.before,
                                  destination=new_ids.get(target, target)))
    return undo, problems


def _refs(uop: Operation) -> Dict[str, Optional[str]]:
    """The rows an undo op names, by attribute."""
    return {"id": uop.id, "place_before": uop.place_before, "destination": uop.destination}


def undo_waves(undo: Sequence[Operation]) -> List[List[Operation]]:
    """Split the undo list, kept in order, where an op names an entry re-added earlier in the same
    wave: its new ``.id`` is only known once that wave's replies are in."""
    waves = []
    current: List[Operation] = []
    pending: Set[RowRef] = set()
    for uop in undo:
        if current and any((uop.path, value) in pending for value in _refs(uop).values() if value is not None):
            waves.append(current)
            current = []
            pending = set()
        current.append(uop)
        if uop.restores is not None:
            pending.add((uop.path, uop.restores))
    if current:
        waves.append(current)
    return waves


def exc_text(exc: BaseException) -> str:
    return "%s: %s" % (type(exc).__name__, exc)


def run_undo(transport: Any, undo: Sequence[Operation], actual: Mapping[str, Any]) -> Tuple[List[str], Dict[RowRef, str]]:
    """Run the undo list wave by wave; returns ``(errors, id_map)`` (``id_map``: old id -> new id)."""
    id_map: Dict[RowRef, str] = {}
    readded = set((u.path, u.restores) for u in undo if u.restores is not None)
    errors = []
    for wave in undo_waves(undo):
        runnable = []
        for uop in wave:
            mapped = {}
            missing = []
            for ref, rid in _refs(uop).items():
                value = (uop.path, rid)
                if value in id_map:
                    mapped[ref] = id_map[value]
                elif value in readded:
                    missing.append(rid)
            if missing:
                errors.append("%s: not run, entry %s was not restored" % (uop.describe(), ", ".join(missing)))
                continue
            runnable.append(uop.with_ids(**mapped))
        if not runnable:
            continue
        commands, _lines = commands_for(runnable, actual, prefer_ids=True)
        try:
            results = list(transport.execute(commands))
        except Exception as exc:  # noqa: BLE001 - any failure is reported, the undo goes on with what it can
            errors.append("%s: %s" % (runnable[0].describe(), exc_text(exc)))
            continue
        for uop, ures in zip(runnable, results):
            if not ures.ok:
                errors.append("%s: %s" % (uop.describe(), ures.message))
                continue
            if uop.restores is not None:
                if ures.ret:
                    id_map[(uop.path, uop.restores)] = ures.ret
                else:
                    errors.append("%s: the router did not return the new id" % uop.describe())
        if len(results) < len(runnable):
            errors.append("undo stopped after %d of %d operations of a batch" % (len(results), len(runnable)))
    return errors, id_map


def _visible_ids(rows: Optional[List[Row]]) -> List[Optional[str]]:
    return [r.get(".id") for r in rows or [] if str(r.get("dynamic", "")).lower() not in ("true", "yes")]


def check_restored_order(transport: Any, undo: Sequence[Operation], actual: Mapping[str, Any],
                         id_map: Mapping[RowRef, str]) -> List[str]:
    """Read the ordered paths the undo touched again; name each one whose rows are not back in place."""
    paths: List[str] = []
    for uop in undo:
        if uop.ordered and uop.path not in paths:
            paths.append(uop.path)
    if not paths:
        return []
    try:
        now = transport.read(paths, dict((p, [".id", "dynamic"]) for p in paths))
    except Exception as exc:  # noqa: BLE001 - the check is reported, never raised over the write error
        return ["could not read back %s to check the order: %s" % (", ".join(paths), exc_text(exc))]
    problems = []
    for path in paths:
        expected = [id_map.get((path, rid), rid) for rid in _visible_ids(actual.get(path))]
        got = _visible_ids(now.get(path))
        if expected != got:
            problems.append("%s is not back in its order: expected %s, the router has %s"
                            % (path, " ".join(map(str, expected)), " ".join(map(str, got))))
    return problems
