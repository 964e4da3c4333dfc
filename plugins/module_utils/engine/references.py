# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Hard references, both ways: writes that name a missing object, removals of an object in use.

RouterOS refuses a write that names an object it does not have (``input does not match any value
of new-routing-mark``), so the engine finds every one of them before the first write. The other
way round, an object that entries still name (a routing table a mark-routing rule uses) is not
removed while they stay, whichever owner or phase manages them: the removal waits for a later
run. Pure: plan and rows in, findings out.
"""

from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Set, Tuple

from ansible_collections.multiwan.routeros.plugins.module_utils.engine import schema as schema_mod
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.operation import Operation

Row = Mapping[str, Any]

_WRITES = ("add", "set")


def referenced_name(value: Any) -> Optional[str]:
    """The object a reference value names (``!WAN`` -> ``WAN``), or ``None`` when it names none."""
    if value is None:
        return None
    text = str(value).strip()
    if text.startswith("!"):
        text = text[1:].strip()
    return text or None


def _references_of(op: Operation) -> List[Tuple[str, Any, str, str, str]]:
    """``(field, value, target path, key field, name)`` for every reference the op's result makes."""
    if op.verb not in _WRITES:
        return []
    spec = schema_mod.get(op.path)
    after = op.after or {}
    out = []
    for field in sorted(spec.references):
        name = referenced_name(after.get(field))
        if name is not None:
            target, key_field = spec.references[field]
            out.append((field, after.get(field), target, key_field, name))
    return out


def referenced_paths(ops: Iterable[Operation]) -> List[str]:
    """Paths whose rows the check needs for ``ops``, in dependency order."""
    paths = set()
    for op in ops:
        for ref in _references_of(op):
            paths.add(ref[2])
    return schema_mod.dependency_order(paths)


def existing_names(path: str, key_field: str, rows: Optional[List[Row]], ops: Sequence[Operation]) -> Set[str]:
    """Names of ``path`` that exist once the writes of ``ops`` have run.

    Every row read counts, dynamic and builtin ones too (they are invisible to the plan, not to
    RouterOS), as do the schema's builtin names (an ``export`` does not show them) and the names
    this run adds; rows this run removes do not count, since removals run last.
    """
    removed = set(op.id for op in ops if op.path == path and op.verb == "remove")
    names = set(schema_mod.get(path).builtin)
    for row in rows or []:
        if row.get(".id") in removed:
            continue
        value = row.get(key_field)
        if value is not None:
            names.add(str(value).strip())
    for op in ops:
        if op.path == path and op.verb in _WRITES:
            value = (op.after or {}).get(key_field)
            if value is not None:
                names.add(str(value).strip())
    return names


def find_missing(ops: Sequence[Operation], actual: Mapping[str, Optional[List[Row]]]) -> List[Dict[str, Any]]:
    """Every reference of an add/set of ``ops`` whose object will not exist, in plan order.

    ``actual`` holds the rows of every path ``referenced_paths(ops)`` returns. Each finding is a
    dict: ``path``, ``key`` (the entry), ``field``, ``value``, ``target``, ``key_field``, ``name``.
    """
    known = {}
    found = []
    for op in ops:
        for field, value, target, key_field, name in _references_of(op):
            if (target, key_field) not in known:
                known[(target, key_field)] = existing_names(target, key_field, actual.get(target), ops)
            if name not in known[(target, key_field)]:
                found.append({"path": op.path, "key": op.key or op.id or "", "field": field,
                              "value": value, "target": target, "key_field": key_field, "name": name})
    return found


def describe(found: List[Dict[str, Any]]) -> List[str]:
    """Texts for the findings: what is missing and what to do first, then one line per entry and field."""
    if not found:
        return []
    names = {}
    for item in found:
        names.setdefault((item["target"], item["key_field"]), set()).add(item["name"])
    missing = "; ".join("%s %s=%s" % (target, key_field, ", ".join(sorted(values)))
                        for (target, key_field), values in sorted(names.items()))
    texts = ["missing referenced objects (not on the router and not created by this run): %s; they are created by "
             "another role or phase (or by hand): run that first" % missing]
    for item in found:
        texts.append("%s %s: %s=%s names missing %s %s=%s"
                     % (item["path"], item["key"], item["field"], item["value"], item["target"], item["key_field"], item["name"]))
    return texts


def missing_references(ops: Sequence[Operation], actual: Mapping[str, Optional[List[Row]]]) -> List[str]:
    """``describe(find_missing(ops, actual))``: empty when every referenced object will exist."""
    return describe(find_missing(ops, actual))


def referrers(target: str) -> Dict[str, List[Tuple[str, str]]]:
    """``{path: [(field, key field), ...]}`` of every menu whose entries name objects of ``target``."""
    found = {}
    for path in sorted(schema_mod.PATHS):
        for field, (ref_path, key_field) in sorted(schema_mod.get(path).references.items()):
            if ref_path == target:
                found.setdefault(path, []).append((field, key_field))
    return found


def removal_paths(ops: Iterable[Operation]) -> List[str]:
    """Paths whose rows decide whether the removals of ``ops`` may run now, in dependency order."""
    paths = set()
    for op in ops:
        if op.verb == "remove":
            paths.update(referrers(op.path))
    return schema_mod.dependency_order(paths)


def users_of_removals(ops: Sequence[Operation], predicted: Mapping[str, Optional[List[Row]]]) -> Dict[int, List[str]]:
    """For each removal of ``ops`` whose object an entry still names once the plan ran, those users.

    ``predicted`` holds the rows of every ``removal_paths(ops)`` path as they will be after the
    plan (``plan.predict``). Returns ``{index of the op in ops: [text, ...]}``.
    """
    found = {}
    for index, op in enumerate(ops):
        if op.verb != "remove":
            continue
        for path, fields in referrers(op.path).items():
            for row in predicted.get(path) or []:
                if schema_mod.is_invisible(row):
                    continue
                for field, key_field in fields:
                    name = referenced_name(row.get(field))
                    if name is not None and name == str((op.before or {}).get(key_field, "")).strip():
                        found.setdefault(index, []).append(
                            "%s %s=%s (%s)" % (path, field, row.get(field), row.get("comment") or row.get(".id")))
    return found
