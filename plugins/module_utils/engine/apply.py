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
    EngineError,
    TransportError,
)
from ansible_collections.multiwan.routeros.plugins.module_utils.transport.base import Command

# Flags read besides the schema's fields: they decide what is dynamic, builtin or connected.
_FLAG_FIELDS = ("dynamic", "builtin", "connect", "dhcp", "static")


def read_fields(path, extra=None):
    """The ``.proplist`` of a path: its writable fields, flags and any pass-through field."""
    spec = schema_mod.get(path)
    names = [".id"] + sorted(spec["fields"]) + list(_FLAG_FIELDS)
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
                    if isinstance(name, str) and not name.startswith("_") and name not in spec["fields"]:
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


def _undo_ops(ops, results, new_ids):
    """The inverse of every applied operation, in reverse order."""
    undo = []
    for op, res in reversed(list(zip(ops, results))):
        if res is None or not res.ok:
            continue
        kind = op["op"]
        if kind == "add":
            row = dict(op["after"])
            if res.ret:
                row[".id"] = res.ret
            undo.append({"op": "remove", "path": op["path"], "key": op["key"], "id": res.ret or None,
                         "fields": {}, "before": dict(op["after"]), "after": None})
        elif kind == "set":
            restore = {}
            before = op.get("before") or {}
            for field in op["fields"]:
                restore[field] = before.get(field)
            undo.append({"op": "set", "path": op["path"], "key": op["key"], "id": op.get("id"),
                         "fields": restore, "before": op.get("after"), "after": before})
        elif kind == "remove":
            target = op.get("undo_before") if schema_mod.get(op["path"])["ordered"] else None
            undo.append({"op": "add", "path": op["path"], "key": op["key"], "id": None,
                         "fields": dict(op["before"]), "before": None, "after": dict(op["before"]),
                         "place_before": new_ids.get(target, target)})
        elif kind == "move":
            target = op.get("undo_before")
            undo.append({"op": "move", "path": op["path"], "key": op["key"], "id": op["id"],
                         "fields": {}, "before": op.get("after"), "after": op.get("before"),
                         "destination": new_ids.get(target, target)})
    return undo


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
    the CLI selectors and the before-state used by undo).
    """
    if not ops:
        return []
    commands, _lines = commands_for(ops, actual)
    results = []
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
    results += [None] * (len(ops) - len(results))
    new_ids = {}
    for op, res in zip(ops, results):
        if op["op"] == "add" and res is not None and res.ok and res.ret and op.get("handle"):
            new_ids[op["handle"]] = res.ret
    failed = [i for i, res in enumerate(results) if res is not None and not res.ok]
    if not failed:
        return results
    first = failed[0]
    op = ops[first]
    message = results[first].message
    undo = _undo_ops(ops, results, new_ids)
    undo_errors = []
    if undo:
        undo_commands, _undo_lines = commands_for(undo, actual, prefer_ids=True)
        try:
            undo_results = list(transport.execute(undo_commands))
        except EngineError as exc:
            undo_results = []
            undo_errors.append(str(exc))
        for uop, ures in zip(undo, undo_results):
            if ures is not None and not ures.ok:
                undo_errors.append("%s: %s" % (_describe(uop), ures.message))
        if len(undo_results) < len(undo) and not undo_errors:
            undo_errors.append("undo stopped after %d of %d operations" % (len(undo_results), len(undo)))
    text = "%s failed: %s (line: %s)" % (_describe(op), message, commands[first].cli)
    if undo_errors:
        text += "; UNDO INCOMPLETE: %s" % "; ".join(undo_errors)
    else:
        text += "; the %d applied operation(s) were undone" % len(undo)
    raise ApplyError(text, op=op, router_message=message, undone=not undo_errors, undo_errors=undo_errors)
