# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading the router through a transport: one read per path, and the full rows an undo re-adds."""

from typing import Any, Dict, Iterable, List, Mapping, Optional, Set, Tuple

from ansible_collections.multiwan.routeros.plugins.module_utils.engine import schema as schema_mod
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.errors import CommandError, PlanError
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.operation import Operation

# Flags read besides the schema's fields: they decide what is dynamic, builtin or connected.
_FLAG_FIELDS = ("dynamic", "builtin", "connect", "dhcp", "static")

Row = Mapping[str, Any]
Rows = Dict[str, List[Row]]


def read_fields(path: str, extra: Optional[Iterable[str]] = None) -> List[str]:
    """The ``.proplist`` of a path: its writable fields, flags and any pass-through field."""
    spec = schema_mod.get(path)
    names = [".id"] + sorted(spec.fields) + list(_FLAG_FIELDS)
    for name in sorted(extra or []):
        if name not in names:
            names.append(name)
    return names


def desired_extra_fields(desired: Optional[Mapping[str, Any]]) -> Dict[str, Set[str]]:
    """Fields used in ``desired`` that the schema does not know (read so they can be compared)."""
    extra: Dict[str, Set[str]] = {}
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


def read_state(transport: Any, paths: Iterable[str], desired: Optional[Mapping[str, Any]] = None) -> Rows:
    """One read per path (the transport batches them)."""
    extra = desired_extra_fields(desired)
    fields = dict((p, read_fields(p, extra.get(p))) for p in paths)
    return transport.read(list(paths), fields)


def full_rows_for_removes(transport: Any, ops: List[Operation], actual: Mapping[str, Any]) -> Dict[Tuple[str, Optional[str]], Dict[str, Any]]:
    """Every row a remove op deletes, as its export shows it (its undo re-adds exactly that).

    The plan's read is limited to the schema's fields (``.proplist``) and fills in defaults, so a
    re-add from it would drop a matcher the schema does not know and write defaults that were
    never set (``scope=30 target-scope=10`` on a route: the same routing, another export). One
    export-based read of the paths that have a remove, only when the transport's read is not one
    already.
    """
    paths: List[str] = []
    for op in ops:
        if op.verb == "remove" and op.path not in paths and not schema_mod.get(op.path).singleton:
            paths.append(op.path)
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
        if op.verb != "remove" or op.path not in paths:
            continue
        row = by_id.get((op.path, op.id))
        if row is None:
            missing.append("%s (%s)" % (op.describe(), op.id))
            continue
        spec = schema_mod.get(op.path)
        found[(op.path, op.id)] = dict((k, v) for k, v in row.items() if not k.startswith(".") and k not in spec.readonly)
    if missing:
        raise PlanError(["%s: the entry changed on the router while the run was planning; re-run" % m for m in missing])
    return found
