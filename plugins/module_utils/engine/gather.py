# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Rows back into ``desired`` form: an owner's entries (``gathered``), foreign rows, a parsed export. Pure."""

from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple

from ansible_collections.multiwan.routeros.plugins.module_utils.engine import owner as owner_mod
from ansible_collections.multiwan.routeros.plugins.module_utils.engine import schema as schema_mod
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.match import natural_key, writable
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.normalize import canon_field
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.plan import INF_RANK

Row = Mapping[str, Any]
Entry = Dict[str, Any]


def gather(actual: Mapping[str, Optional[List[Row]]], owner: str,
           paths: Iterable[str]) -> Tuple[Dict[str, List[Entry]], Dict[str, List[Entry]]]:
    """This owner's entries in desired format (usable as ``desired``) and the foreign rows."""
    gathered = {}
    foreign = {}
    for path in paths:
        spec = schema_mod.get(path)
        if spec.singleton:
            continue
        out = []
        other = []
        for r in actual.get(path) or []:
            if schema_mod.is_invisible(r):
                continue
            tag = owner_mod.parse(r.get("comment"))
            if tag is None:
                other.append(dict(r))
                continue
            if tag[0] != owner:
                continue
            out.append(to_desired(spec, r, tag))
        if spec.ordered:
            out.sort(key=lambda e: e.get("_rank", INF_RANK))
        gathered[path] = out
        foreign[path] = other
    return gathered, foreign


def to_desired(spec: schema_mod.PathSpec, row: Row, tag: owner_mod.Tag) -> Entry:
    """A row as a ``desired`` entry of the tag's owner: defaults left out, the key and rank as meta keys."""
    entry: Entry = {}
    keys = set(spec.key or ())
    for field, value in writable(spec, row).items():
        if field == "comment":
            desc = owner_mod.strip(value)
            if desc:
                entry["comment"] = desc
            continue
        if spec.fields.get(field) == "switch":
            # A switch prints as "" when set; in `desired` that would read as "unset".
            entry[field] = True
        elif field in keys or field not in spec.defaults or \
                canon_field(spec, field, value) != canon_field(spec, field, None):
            entry[field] = value
    if spec.singleton:
        return entry
    if not spec.key or tag[1] != owner_mod.key_from_values(natural_key(spec, row)):
        entry["_key"] = tag[1]
    if spec.ordered and tag[2] is not None:
        entry["_rank"] = tag[2]
    return dict(sorted(entry.items()))


def exported_desired(spec: schema_mod.PathSpec, rows: List[Row], owner: str) -> List[Entry]:
    """The rows of one path of an ``/export`` as ``owner``'s entries (other owners' rows left out).

    Entries tagged for ``owner`` keep their key and rank; untagged entries get a key made from
    their position (``<chain>-<n>``) and ranks in steps of 10 in file order, so the result can be
    fed back as ``desired`` together with ``adopt`` to bring a hand-made configuration under
    management.
    """
    out = []
    counters: Dict[str, int] = {}
    for index, row in enumerate(rows):
        tag = owner_mod.parse(row.get("comment"))
        if tag is not None and tag[0] != owner:
            continue
        if spec.singleton:
            out.append(dict(sorted((k, v) for k, v in row.items() if not k.startswith("."))))
            continue
        if tag is None and spec.key:
            tag = (owner, owner_mod.key_from_values(natural_key(spec, row)), None)
        elif tag is None:
            scope = row.get(spec.scope, "") if spec.scope else ""
            base = scope or spec.path.rsplit("/", 1)[-1]
            counters[base] = counters.get(base, 0) + 1
            key = owner_mod.key_from_values(["%s-%d" % (base, counters[base])])
            rank = (index + 1) * 10 if spec.ordered else None
            tag = (owner, key, rank)
        out.append(to_desired(spec, row, tag))
    return out
