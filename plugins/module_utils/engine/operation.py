# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One write of a plan, as a frozen value that renders itself as an API sentence and as a CLI line.

A plan is a list of ``Operation`` in execution order. The module's result carries each one as the
mapping of ``Operation.public()`` (the users' interface, see docs/engine.md); ``from_public`` reads
such a mapping back (a check-mode rollout hands earlier plans to later phases as ``pending``).
"""

from dataclasses import dataclass, field, replace
from typing import Any, Dict, List, Mapping, Optional, Tuple

from ansible_collections.multiwan.routeros.plugins.module_utils.engine import cli as cli_mod
from ansible_collections.multiwan.routeros.plugins.module_utils.engine import schema as schema_mod

VERBS = ("add", "set", "remove", "move")

Row = Mapping[str, Any]
Fields = Mapping[str, Optional[str]]

# The keys of ``public()`` in their order; a ``None`` value is left out except for these.
PUBLIC_KEYS = ("op", "path", "key", "id", "handle", "fields", "before", "after", "place_before",
               "destination", "adopted", "purged", "copied_tag")
_ALWAYS_PUBLIC = frozenset(["before", "after", "key", "id"])


@dataclass(frozen=True)
class Operation:
    """``verb`` on ``path``: the entry ``key`` of the owner (``None`` for a purged foreign row), row ``id``.

    - ``fields``: what an ``add`` writes, or what a ``set`` changes (``None``: unset the field).
    - ``before`` / ``after``: the entry's writable fields before and after (``None`` when absent).
    - ``place_before`` (add) / ``destination`` (move): the row it goes before, ``None`` for the end.
    - ``handle``: the placeholder id of an added entry (``new:<owner>:<key>``) later ops may name.
    - ``adopted`` / ``purged`` / ``copied_tag``: why a foreign row is written (``None``: not said).
    - ``undo_before``: the row that followed a moved or removed entry, where its undo puts it back.
    - ``full_before``: a removed row as its export shows it (what its undo re-adds).
    - ``restores``: on an undo ``add``, the id of the removed entry it re-creates.
    """

    verb: str
    path: str
    key: Optional[str] = None
    id: Optional[str] = None
    fields: Fields = field(default_factory=dict)
    before: Optional[Row] = None
    after: Optional[Row] = None
    place_before: Optional[str] = None
    destination: Optional[str] = None
    handle: Optional[str] = None
    adopted: Optional[bool] = None
    purged: Optional[bool] = None
    copied_tag: Optional[bool] = None
    undo_before: Optional[str] = None
    full_before: Optional[Row] = None
    restores: Optional[str] = None

    def __post_init__(self) -> None:
        if self.verb not in VERBS:
            raise ValueError("unknown op %r" % self.verb)

    @property
    def spec(self) -> Optional[schema_mod.PathSpec]:
        return schema_mod.PATHS.get(self.path)

    @property
    def ordered(self) -> bool:
        spec = self.spec
        return bool(spec and spec.ordered)

    def describe(self) -> str:
        """``set /ip/route default-T1``: how messages name the operation."""
        return "%s %s %s" % (self.verb, self.path, self.key or self.id or "")

    def with_ids(self, **refs: Optional[str]) -> "Operation":
        """The same operation naming other rows (``id``, ``place_before``, ``destination``)."""
        return replace(self, **refs)

    def public(self) -> Dict[str, Any]:
        """The operation as the module returns it (``plan`` and ``deferred``)."""
        values = {"op": self.verb, "path": self.path, "key": self.key, "id": self.id, "handle": self.handle,
                  "fields": self.fields, "before": self.before, "after": self.after,
                  "place_before": self.place_before, "destination": self.destination,
                  "adopted": self.adopted, "purged": self.purged, "copied_tag": self.copied_tag}
        return dict((k, values[k]) for k in PUBLIC_KEYS if values[k] is not None or k in _ALWAYS_PUBLIC)

    @classmethod
    def from_public(cls, data: Mapping[str, Any]) -> "Operation":
        """An operation from the mapping ``public()`` made."""
        return cls(verb=data["op"], path=data["path"], key=data.get("key"), id=data.get("id"),
                   fields=dict(data.get("fields") or {}), before=data.get("before"), after=data.get("after"),
                   place_before=data.get("place_before"), destination=data.get("destination"),
                   handle=data.get("handle"), adopted=data.get("adopted"), purged=data.get("purged"),
                   copied_tag=data.get("copied_tag"))

    def api_sentence(self) -> Tuple[str, List[str]]:
        """The API command word and attribute words that perform the operation."""
        return api_sentence(self.path, self.verb, self.id, self.fields, self.place_before, self.destination)

    def cli_line(self, selectors: cli_mod.Selectors, added: Optional[Mapping[str, str]] = None) -> str:
        """The operation as one RouterOS CLI line; ``selectors`` address the rows it names, ``added``
        maps the handles of entries added earlier in the same script to their selectors."""
        added = added or {}
        spec = self.spec
        prefix = schema_mod.cli_path(self.path)
        if self.verb == "add":
            words = cli_mod.field_words(self.fields, spec)
            before = _target(selectors, self.path, self.place_before, added)
            if before:
                words.append("place-before=%s" % before)
            return "%s add %s" % (prefix, " ".join(words))
        if spec and spec.singleton:
            return "%s set %s" % (prefix, " ".join(cli_mod.field_words(self.fields, spec)))
        row = dict(self.before or {})
        if self.id is not None:
            row[".id"] = self.id
        target = selectors.select(self.path, selectors.row(self.path, self.id) or row)
        if self.verb == "set":
            return "%s set %s %s" % (prefix, target, " ".join(cli_mod.field_words(self.fields, spec)))
        if self.verb == "remove":
            return "%s remove %s" % (prefix, target)
        dest = _target(selectors, self.path, self.destination, added)
        return "%s move %s%s" % (prefix, target, " destination=%s" % dest if dest else "")


def _target(selectors: cli_mod.Selectors, path: str, rid: Optional[str], added: Mapping[str, str]) -> Optional[str]:
    if rid is None:
        return None
    if rid in added:
        return added[rid]
    row = selectors.row(path, rid)
    if row is None:
        return str(rid)
    return selectors.select(path, row)


def _api_value(value: Any) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return "" if value is None else str(value)


def api_sentence(path: str, verb: str, rid: Optional[str], fields: Fields, place_before: Optional[str] = None,
                 destination: Optional[str] = None) -> Tuple[str, List[str]]:
    """``(API command word, attribute words)`` of one write; the transport resolves handles to ids first.

    A ``switch`` field (present or absent, like ``fib``) is sent as ``=name=`` or unset with ``=!name=``.
    """
    path = path.rstrip("/")
    spec = schema_mod.PATHS.get(path)
    switches = frozenset(f for f, kind in spec.fields.items() if kind == "switch") if spec else frozenset()
    words = []
    if verb == "add":
        for name in sorted(fields):
            value = fields[name]
            if value is None:
                continue
            if name in switches:
                if _api_value(value).lower() in ("no", "false"):
                    continue
                words.append("=%s=" % name)
                continue
            words.append("=%s=%s" % (name, _api_value(value)))
        if place_before:
            words.append("=place-before=%s" % place_before)
        return path + "/add", words
    if verb == "set":
        if rid is not None:
            words.append("=.id=%s" % rid)
        for name in sorted(fields):
            value = fields[name]
            if name in switches:
                if value is None or _api_value(value).lower() in ("no", "false"):
                    words.append("=!%s=" % name)
                else:
                    words.append("=%s=" % name)
            elif value is None:
                words.append("=!%s=" % name)
            else:
                words.append("=%s=%s" % (name, _api_value(value)))
        return path + "/set", words
    if verb == "remove":
        return path + "/remove", ["=.id=%s" % rid]
    if verb == "move":
        words = ["=numbers=%s" % rid]
        if destination:
            words.append("=destination=%s" % destination)
        return path + "/move", words
    raise ValueError("unknown verb %r" % verb)


@dataclass(frozen=True)
class Plan:
    """``ops`` in execution order and the warnings found while planning."""

    ops: List[Operation]
    warnings: List[str]
