# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run a plan over a transport; when a write fails, undo the applied part (``undo.py``) and raise."""

from dataclasses import replace
from typing import Any, List, Mapping, Optional, Sequence, Tuple

from ansible_collections.multiwan.routeros.plugins.module_utils.engine.device.commands import commands_for
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.device.read import full_rows_for_removes
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.device.undo import (
    applied_positions,
    check_restored_order,
    exc_text,
    run_undo,
    undo_ops,
)
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.errors import (
    ApplyError,
    PlanError,
    TransportError,
)
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.operation import Operation
from ansible_collections.multiwan.routeros.plugins.module_utils.transport.base import Command, Result


def encoding_problems(transport: Any, ops: Sequence[Operation], commands: Sequence[Command]) -> List[str]:
    """Values the transport cannot send (a character outside the API session's encoding)."""
    check = getattr(transport, "check", None)
    if check is None:
        return []
    return ["%s: %s" % (ops[index].describe(), text) for index, text in check(commands)]


def _path_groups(ops: Sequence[Operation]) -> List[Tuple[int, int]]:
    """``(start, end)`` index ranges of consecutive operations on the same path."""
    groups = []
    start = 0
    for i in range(1, len(ops) + 1):
        if i == len(ops) or ops[i].path != ops[start].path:
            groups.append((start, i))
            start = i
    return groups


def apply_plan(transport: Any, ops: Sequence[Operation], actual: Mapping[str, Any]) -> List[Optional[Result]]:
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
    full = full_rows_for_removes(transport, list(ops), actual)
    if full:
        ops = [replace(op, full_before=full[(op.path, op.id)]) if op.verb == "remove" and (op.path, op.id) in full
               else op for op in ops]
    results: List[Optional[Result]] = []
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
        if op.verb == "add" and res is not None and res.ok and res.ret and op.handle:
            new_ids[op.handle] = res.ret
    failed = [i for i, res in enumerate(results) if res is not None and not res.ok]
    if not failed and error is None:
        return results
    if failed:
        first = failed[0]
        message = results[first].message
    else:
        first = min(len([r for r in results if r is not None]), len(ops) - 1)
        message = exc_text(error)
    op = ops[first]
    undo, undo_errors = undo_ops(ops, results, new_ids, applied_positions(ops, results, actual))
    if undo:
        run_errors, id_map = run_undo(transport, undo, actual)
        undo_errors += run_errors or check_restored_order(transport, undo, actual, id_map)
    text = "%s failed: %s (line: %s)" % (op.describe(), message, commands[first].cli)
    if undo_errors:
        text += "; UNDO INCOMPLETE: %s" % "; ".join(undo_errors)
    else:
        text += "; the %d applied operation(s) were undone" % len(undo)
    raise ApplyError(text, op=op, router_message=message, undone=not undo_errors, undo_errors=undo_errors)
