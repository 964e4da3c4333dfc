# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run a plan over a transport, undo the applied part when a write fails, verify by read-back.

The only engine file that talks to a transport object (never to a socket).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.multiwan.routeros.plugins.module_utils.engine import cli as cli_mod
from ansible_collections.multiwan.routeros.plugins.module_utils.engine import schema as schema_mod
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.errors import (
    ApplyError,
    CommandError,
    PlanError,
    TransportError,
)
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.order import simulate
from ansible_collections.multiwan.routeros.plugins.module_utils.transport.base import Command

# Flags read besides the schema's fields: they decide what is dynamic, builtin or connected.
_FLAG_FIELDS = ("dynamic", "builtin", "connect", "dhcp", "static")


def read_fields(path, extra=None):
    """The ``.proplist`` of a path: its writable fields, flags and any pass-through field."""
    spec = schema_mod.get(path)
    names = [".id"] + sorted(spec.fields) + list(_FLAG_FIELDS)
    for name in sorted(extra or []):
        if name not in names:
            names.append(name)
    return names


def desired_extra_fields(desired):
    """Fields used in ``desired`` that the schema does not know (read so they can be compared)."""
    extra = {}
    for path, entries in (desired or {}).items():
        if not schema_mod.is_known(path):
            continue
        spec = schema_mod.get(path)
        for entry in entries or []:
            if isinstance(entry, dict):
                for name in entry:
                    if isinstance(name, str) and not name.startswith("_") and name not in spec.fields:
                        extra.setdefault(path, set()).add(name)
    return extra


def read_state(transport, paths, desired=None):
    """One read per path (the transport batches them)."""
    extra = desired_extra_fields(desired)
    fields = dict((p, read_fields(p, extra.get(p))) for p in paths)
    return transport.read(list(paths), fields)


def _command(op, line):
    return Command(op["path"], op["op"], id=op.get("id"), fields=op.get("fields"),
                   place_before=op.get("place_before"), destination=op.get("destination"), cli=line)


def commands_for(ops, actual, prefer_ids=False):
    """Plan operations -> transport commands (each with its CLI line)."""
    lines = cli_mod.render(ops, actual, prefer_ids)
    return [_command(op, line) for op, line in zip(ops, lines)], lines


def applied_positions(ops, results, actual):
    """For every applied move and remove on an ordered path, the entry that followed it just before.

    Replayed from the writes that actually ran: a pipelined batch may run writes after a failed
    one, so the positions the plan recorded (assuming every write runs) can be wrong.
    """
    tables = {}
    positions = {}
    for index, (op, res) in enumerate(zip(ops, results)):
        if res is None or not res.ok or not schema_mod.get(op["path"]).ordered:
            continue
        path = op["path"]
        if path not in tables:
            tables[path] = [r.get(".id") for r in actual.get(path) or []]
        table = tables[path]
        if op["op"] == "add":
            tables[path] = simulate(table, [(op.get("handle") or "new:%s" % op["key"], "add", op.get("place_before"))])
        elif op["op"] in ("move", "remove") and op.get("id") in table:
            idx = table.index(op["id"])
            positions[index] = table[idx + 1] if idx + 1 < len(table) else None
            tables[path] = simulate(table, [(op["id"], op["op"], op.get("destination"))])
    return positions


def previous_values(op):
    """What the undo of a ``set`` writes back: ``(fields, fields it cannot restore)``.

    A field that had a value gets it back. One that had none (an export leaves out defaults) gets
    its default: RouterOS cannot unset most fields (``set !udp-timeout`` is a syntax error), and a
    default is what the router had. A field with no default is unset (``!name``), except on a
    singleton, which has nothing to unset: that field is reported instead of sent.
    """
    spec = schema_mod.get(op["path"])
    before = op.get("before") or {}
    restore = {}
    missing = []
    for field in op["fields"]:
        value = before.get(field)
        if value is None:
            value = spec.defaults.get(field)
        if value is None and spec.singleton:
            missing.append(field)
            continue
        restore[field] = value
    return restore, missing


def _undo_ops(ops, results, new_ids, positions=None):
    """The inverse of every applied operation, in reverse order: ``(undo ops, problems)``.

    A re-added entry gets a new ``.id``; its undo op carries the old one as ``restores`` so the
    later undo ops that name the old id can be pointed at the new one (see ``_run_undo``).
    ``positions`` (from ``applied_positions``) overrides the plan's ``undo_before``. ``problems``
    name the values no undo op can restore.
    """
    undo = []
    problems = []
    for index in reversed(range(len(ops))):
        op, res = ops[index], results[index]
        if res is None or not res.ok:
            continue
        if positions is not None and op["op"] in ("move", "remove"):
            op = dict(op, undo_before=positions.get(index))
        kind = op["op"]
        if kind == "add":
            undo.append({"op": "remove", "path": op["path"], "key": op["key"], "id": res.ret or None,
                         "fields": {}, "before": dict(op["after"]), "after": None})
        elif kind == "set":
            restore, missing = previous_values(op)
            if missing:
                problems.append("%s: %s had no value and RouterOS's default is not known; set it back by hand"
                                % (_describe(op), ", ".join(missing)))
            if restore:
                undo.append({"op": "set", "path": op["path"], "key": op["key"], "id": op.get("id"),
                             "fields": restore, "before": op.get("after"), "after": op.get("before") or {}})
        elif kind == "remove":
            target = op.get("undo_before") if schema_mod.get(op["path"]).ordered else None
            before = dict(op.get("full_before") or op["before"])
            undo.append({"op": "add", "path": op["path"], "key": op["key"], "id": None,
                         "fields": before, "before": None, "after": dict(before),
                         "place_before": new_ids.get(target, target), "restores": op.get("id")})
        elif kind == "move":
            target = op.get("undo_before")
            undo.append({"op": "move", "path": op["path"], "key": op["key"], "id": op["id"],
                         "fields": {}, "before": op.get("after"), "after": op.get("before"),
                         "destination": new_ids.get(target, target)})
    return undo, problems


_REFS = ("id", "place_before", "destination")


def _undo_waves(undo):
    """Split the undo list, kept in order, where an op names an entry re-added earlier in the same
    wave: its new ``.id`` is only known once that wave's replies are in."""
    waves = []
    current = []
    pending = set()
    for uop in undo:
        if current and any((uop["path"], uop.get(ref)) in pending for ref in _REFS if uop.get(ref) is not None):
            waves.append(current)
            current = []
            pending = set()
        current.append(uop)
        if uop.get("restores") is not None:
            pending.add((uop["path"], uop["restores"]))
    if current:
        waves.append(current)
    return waves


def _run_undo(transport, undo, actual):
    """Run the undo list wave by wave; returns ``(errors, id_map)`` (``id_map``: old id -> new id)."""
    id_map = {}
    readded = set((u["path"], u["restores"]) for u in undo if u.get("restores") is not None)
    errors = []
    for wave in _undo_waves(undo):
        runnable = []
        for uop in wave:
            mapped = dict(uop)
            missing = []
            for ref in _REFS:
                value = (uop["path"], uop.get(ref))
                if value in id_map:
                    mapped[ref] = id_map[value]
                elif value in readded:
                    missing.append(value[1])
            if missing:
                errors.append("%s: not run, entry %s was not restored" % (_describe(uop), ", ".join(missing)))
                continue
            runnable.append(mapped)
        if not runnable:
            continue
        commands, _lines = commands_for(runnable, actual, prefer_ids=True)
        try:
            results = list(transport.execute(commands))
        except Exception as exc:  # noqa: BLE001 - any failure is reported, the undo goes on with what it can
            errors.append("%s: %s" % (_describe(runnable[0]), _exc_text(exc)))
            continue
        for uop, ures in zip(runnable, results):
            if not ures.ok:
                errors.append("%s: %s" % (_describe(uop), ures.message))
                continue
            if uop.get("restores") is not None:
                if ures.ret:
                    id_map[(uop["path"], uop["restores"])] = ures.ret
                else:
                    errors.append("%s: the router did not return the new id" % _describe(uop))
        if len(results) < len(runnable):
            errors.append("undo stopped after %d of %d operations of a batch" % (len(results), len(runnable)))
    return errors, id_map


def _exc_text(exc):
    return "%s: %s" % (type(exc).__name__, exc)


def _visible_ids(rows):
    return [r.get(".id") for r in rows or [] if str(r.get("dynamic", "")).lower() not in ("true", "yes")]


def _check_restored_order(transport, undo, actual, id_map):
    """Read the ordered paths the undo touched again; name each one whose rows are not back in place."""
    paths = []
    for uop in undo:
        if schema_mod.get(uop["path"]).ordered and uop["path"] not in paths:
            paths.append(uop["path"])
    if not paths:
        return []
    try:
        now = transport.read(paths, dict((p, [".id", "dynamic"]) for p in paths))
    except Exception as exc:  # noqa: BLE001 - the check is reported, never raised over the write error
        return ["could not read back %s to check the order: %s" % (", ".join(paths), _exc_text(exc))]
    problems = []
    for path in paths:
        expected = [id_map.get((path, rid), rid) for rid in _visible_ids(actual.get(path))]
        got = _visible_ids(now.get(path))
        if expected != got:
            problems.append("%s is not back in its order: expected %s, the router has %s"
                            % (path, " ".join(map(str, expected)), " ".join(map(str, got))))
    return problems


def full_rows_for_removes(transport, ops, actual):
    """Every row a remove op deletes, as its export shows it (its undo re-adds exactly that).

    The plan's read is limited to the schema's fields (``.proplist``) and fills in defaults, so a
    re-add from it would drop a matcher the schema does not know and write defaults that were
    never set (``scope=30 target-scope=10`` on a route: the same routing, another export). One
    export-based read of the paths that have a remove, only when the transport's read is not one
    already.
    """
    paths = []
    for op in ops:
        if op["op"] == "remove" and op["path"] not in paths and not schema_mod.get(op["path"]).singleton:
            paths.append(op["path"])
    if not paths or getattr(transport, "reads_full_rows", False):
        return {}
    try:
        full = transport.read_exported(paths)
    except CommandError:
        # The router refused the script (no ``/execute as-string``, or a user whose policies do not
        # allow it): a full print still re-adds every field, writing the defaults it fills in.
        full = transport.read(paths, {})
    by_id = {}
    for path in paths:
        for row in full.get(path) or []:
            by_id[(path, row.get(".id"))] = row
    found = {}
    missing = []
    for op in ops:
        if op["op"] != "remove" or op["path"] not in paths:
            continue
        row = by_id.get((op["path"], op.get("id")))
        if row is None:
            missing.append("%s (%s)" % (_describe(op), op.get("id")))
            continue
        spec = schema_mod.get(op["path"])
        fields = dict((k, v) for k, v in row.items()
                      if not k.startswith(".") and k not in spec.readonly)
        found[(op["path"], op.get("id"))] = fields
    if missing:
        raise PlanError(["%s: the entry changed on the router while the run was planning; re-run" % m for m in missing])
    return found


def encoding_problems(transport, ops, commands):
    """Values the transport cannot send (a character outside the API session's encoding)."""
    check = getattr(transport, "check", None)
    if check is None:
        return []
    return ["%s: %s" % (_describe(ops[index]), text) for index, text in check(commands)]


def _path_groups(ops):
    """``(start, end)`` index ranges of consecutive operations on the same path."""
    groups = []
    start = 0
    for i in range(1, len(ops) + 1):
        if i == len(ops) or ops[i]["path"] != ops[start]["path"]:
            groups.append((start, i))
            start = i
    return groups


def _describe(op):
    who = op.get("key") or op.get("id") or ""
    return "%s %s %s" % (op["op"], op["path"], who)


def apply_plan(transport, ops, actual):
    """Execute ``ops``; on the first failed write undo what was applied and raise ApplyError.

    Returns the list of results. ``actual`` is the state the plan was computed from (it gives
    the CLI selectors and the before-state used by undo). Nothing is written when a value cannot
    be sent or a removed entry cannot be read in full (PlanError).
    """
    if not ops:
        return []
    commands, _lines = commands_for(ops, actual)
    problems = encoding_problems(transport, ops, commands)
    if problems:
        raise PlanError(problems)
    full = full_rows_for_removes(transport, ops, actual)
    if full:
        ops = [dict(op, full_before=full[(op["path"], op.get("id"))]) if (op["path"], op.get("id")) in full
               and op["op"] == "remove" else op for op in ops]
    results = []
    error = None
    try:
        for start, end in _path_groups(ops):
            # One batch per path: a path's entries may reference the previous path's new entries,
            # so each batch waits for the one before it (a round trip per path, not per entry).
            batch = list(transport.execute(commands[start:end]))
            results.extend(batch)
            if len(batch) < end - start or any(not r.ok for r in batch):
                break
    except TransportError as exc:
        raise ApplyError("connection lost while writing (%s); the router may be partly changed, "
                         "re-run to converge" % exc, undone=False)
    except Exception as exc:  # noqa: BLE001 - whatever stopped the writes, what was applied is undone
        error = exc
    results += [None] * (len(ops) - len(results))
    new_ids = {}
    for op, res in zip(ops, results):
        if op["op"] == "add" and res is not None and res.ok and res.ret and op.get("handle"):
            new_ids[op["handle"]] = res.ret
    failed = [i for i, res in enumerate(results) if res is not None and not res.ok]
    if not failed and error is None:
        return results
    if failed:
        first = failed[0]
        message = results[first].message
    else:
        first = min(len([r for r in results if r is not None]), len(ops) - 1)
        message = _exc_text(error)
    op = ops[first]
    undo, undo_errors = _undo_ops(ops, results, new_ids, applied_positions(ops, results, actual))
    if undo:
        run_errors, id_map = _run_undo(transport, undo, actual)
        undo_errors += run_errors or _check_restored_order(transport, undo, actual, id_map)
    text = "%s failed: %s (line: %s)" % (_describe(op), message, commands[first].cli)
    if undo_errors:
        text += "; UNDO INCOMPLETE: %s" % "; ".join(undo_errors)
    else:
        text += "; the %d applied operation(s) were undone" % len(undo)
    raise ApplyError(text, op=op, router_message=message, undone=not undo_errors, undo_errors=undo_errors)
