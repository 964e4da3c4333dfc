# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which row of the router each desired entry is: identity, ownership and ``adopt``. Pure.

Paths with a natural key match by key (normalized); the others by the owner tag's key. A row of
another owner or a hand-made one is never taken, unless ``adopt`` lists the path and the row is
untagged with the same identity fields.
"""

from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Set, Tuple

from ansible_collections.multiwan.routeros.plugins.module_utils.engine import owner as owner_mod
from ansible_collections.multiwan.routeros.plugins.module_utils.engine import schema as schema_mod
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.desired import DesiredEntry
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.normalize import canon_field, equal
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.normalize import display as normalize_display

Row = Mapping[str, Any]
# ``(owner, key, rank)`` of a row's owner tag, by ``id(row)``; ``None`` for an untagged row.
Tags = Dict[int, Optional[owner_mod.Tag]]


def writable(spec: schema_mod.PathSpec, row: Row) -> Dict[str, Any]:
    """The configuration part of a row (no id, counters, flags)."""
    return dict((k, v) for k, v in row.items() if not k.startswith(".") and k not in spec.readonly)


def natural_key(spec: schema_mod.PathSpec, row: Row) -> Tuple[str, ...]:
    return tuple(canon_field(spec, k, row.get(k)) for k in spec.key or ())


def row_matches(spec: schema_mod.PathSpec, fields: Mapping[str, Any], row: Row) -> bool:
    return all(equal(spec, f, v, row.get(f)) for f, v in fields.items())


def differences(spec: schema_mod.PathSpec, fields: Mapping[str, Any], row: Row) -> List[str]:
    """``field=<router value> (wanted <value>)`` for every field of ``fields`` the row does not match."""
    return ["%s=%s (wanted %s)" % (f, normalize_display(spec, f, row.get(f)), normalize_display(spec, f, v))
            for f, v in sorted(fields.items()) if not equal(spec, f, v, row.get(f))]


def adopt_identity_matches(spec: schema_mod.PathSpec, entry: DesiredEntry, row: Row) -> bool:
    names = set(f for f in entry.fields if f not in spec.adopt_ignore)
    names |= set(f for f in writable(spec, row) if f not in spec.adopt_ignore and f in spec.fields)
    return all(equal(spec, f, entry.fields.get(f), row.get(f)) for f in names)


@dataclass(frozen=True)
class Match:
    """A desired entry and its row (``None``: not on the router); ``adopted``: a foreign row taken over."""

    entry: DesiredEntry
    row: Optional[Row]
    adopted: bool = False


@dataclass(frozen=True)
class Matching:
    """What ``match_rows`` found: the matches, the rows claimed (by ``id(row)``) and the copies of a
    managed entry's tag on other rows (``(key, copy, holder)``), which are removed."""

    matches: List[Match]
    claimed: Set[int]
    copies: List[Tuple[str, Row, Row]]


def owner_tags(visible: List[Row]) -> Tags:
    return dict((id(r), owner_mod.parse(r.get("comment"))) for r in visible)


def match_rows(spec: schema_mod.PathSpec, entries: List[DesiredEntry], visible: List[Row], tags: Tags, owner: str,
               state: str, adopt: bool, problems: List[str], warnings: List[str]) -> Matching:
    if spec.key:
        return _match_by_natural_key(spec, entries, visible, tags, owner, state, adopt, problems, warnings)
    return _match_by_tag(spec, entries, visible, tags, owner, state, adopt)


def _mine(visible: List[Row], tags: Tags, owner: str) -> List[Row]:
    return [r for r in visible if tags[id(r)] and tags[id(r)][0] == owner]


def _match_by_natural_key(spec: schema_mod.PathSpec, entries: List[DesiredEntry], visible: List[Row], tags: Tags,
                          owner: str, state: str, adopt: bool, problems: List[str], warnings: List[str]) -> Matching:
    found = Matching([], set(), [])
    index: Dict[Tuple[str, ...], List[Row]] = {}
    for r in visible:
        index.setdefault(natural_key(spec, r), []).append(r)
    for entry in entries:
        candidates = index.get(entry.ident, [])
        own = [r for r in candidates if tags[id(r)] and tags[id(r)][0] == owner]
        if own:
            found.matches.append(Match(entry, own[0]))
            found.claimed.add(id(own[0]))
            continue
        if not candidates:
            found.matches.append(Match(entry, None))
            continue
        other = candidates[0]
        other_tag = tags[id(other)]
        if state == "deleted":
            warnings.append("%s (%s): exists but is not managed by owner %s; left alone" % (entry.where, entry.label, owner))
            continue
        if other_tag is None and adopt:
            found.matches.append(Match(entry, other, True))
            found.claimed.add(id(other))
            continue
        who = "owner %s" % other_tag[0] if other_tag else "nobody (a hand-made entry)"
        wanted = entry.wanted()
        if row_matches(spec, wanted, other):
            warnings.append("%s (%s): already present, managed by %s; left as it is%s"
                            % (entry.where, entry.label, who, "" if other_tag else " (list the path in adopt to take it over)"))
            found.claimed.add(id(other))
            continue
        problems.append("%s (%s): conflicts with an existing entry managed by %s: %s%s"
                        % (entry.where, entry.label, who, ", ".join(differences(spec, wanted, other)),
                           "" if other_tag else "; list the path in adopt to take it over"))
    return found


def _match_by_tag(spec: schema_mod.PathSpec, entries: List[DesiredEntry], visible: List[Row], tags: Tags,
                  owner: str, state: str, adopt: bool) -> Matching:
    found = Matching([], set(), [])
    by_key: Dict[str, List[Row]] = {}
    for r in _mine(visible, tags, owner):
        by_key.setdefault(tags[id(r)][1], []).append(r)
    foreign = [r for r in visible if tags[id(r)] is None]
    for entry in entries:
        rows = by_key.get(entry.key)
        if rows:
            found.matches.append(Match(entry, rows[0]))
            found.claimed.add(id(rows[0]))
            continue
        if adopt and state != "deleted":
            cand = [r for r in foreign if id(r) not in found.claimed and adopt_identity_matches(spec, entry, r)]
            if cand:
                found.matches.append(Match(entry, cand[0], True))
                found.claimed.add(id(cand[0]))
                continue
        found.matches.append(Match(entry, None))
    for key, rows in by_key.items():
        # A copied rule carries our tag too: one identity, one entry (the first one stays).
        for extra in rows[1:]:
            found.copies.append((key, extra, rows[0]))
            found.claimed.add(id(extra))
    return found
