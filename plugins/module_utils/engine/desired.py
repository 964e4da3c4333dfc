# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``desired`` option checked and turned into ``DesiredEntry`` values. Pure.

Every problem of the input is collected and reported at once (``PlanError``), before any
connection is opened; the format is documented in docs/architecture.md.
"""

import ipaddress
from dataclasses import dataclass, field, replace
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from ansible_collections.multiwan.routeros.plugins.module_utils.engine import owner as owner_mod
from ansible_collections.multiwan.routeros.plugins.module_utils.engine import schema as schema_mod
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.errors import PlanError
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.normalize import canon_field, to_text

STATES = ("merged", "replaced", "overridden", "deleted")
# Fields that change whether an entry does anything; compared on every entry the collection relies on.
BEHAVIOUR_FIELDS = ("disabled",)

Row = Mapping[str, Any]


@dataclass(frozen=True)
class DesiredEntry:
    """One entry of ``desired``, checked: RouterOS fields as text, the meta keys resolved.

    - ``where``: ``<path>[<index>]``, how messages name it; ``position``: its index in the list.
    - ``description``: the ``comment`` given (the engine appends the owner tag); ``has_comment``: one was given.
    - ``key``: the owner tag's key; ``ident``: what makes it unique in its path (the canonical natural
      key values, or the key); ``label``: how messages show that identity.
    - ``rank``: its rank on an ordered path; ``gateway_connected``: ``_gateway: connected`` on a route.
    - ``expect``: defaults of the fields that decide whether it does anything, when not given.
    """

    path: str
    where: str
    position: int
    fields: Mapping[str, str]
    description: str
    has_comment: bool
    key: str
    ident: Tuple[str, ...]
    label: str
    rank: Optional[int] = None
    gateway_connected: bool = False
    expect: Mapping[str, str] = field(default_factory=dict)

    def wanted(self) -> Dict[str, str]:
        """The fields a matching row must have: those given and those expected."""
        return dict(self.fields, **self.expect)


PreparedDesired = Tuple[Dict[str, List[DesiredEntry]], List[str]]


def _scalar_text(value: Any) -> Optional[str]:
    if isinstance(value, (list, tuple)):
        if not all(isinstance(v, (str, int, float, bool)) for v in value):
            return None
        return to_text(value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return to_text(value)
    return None


def involved_paths(desired: Optional[Mapping[str, Any]] = None, paths: Optional[Sequence[str]] = None,
                   adopt: Optional[Sequence[str]] = None, purge: Optional[Mapping[str, Any]] = None) -> List[str]:
    """Every path one run reads, in dependency order; unknown paths fail here, before any I/O."""
    names = set(desired or {}) | set(paths or []) | set(adopt or []) | set(purge or {})
    unknown = sorted(p for p in names if not schema_mod.is_known(p))
    if unknown:
        raise PlanError(["unknown path %r (known: %s)" % (p, ", ".join(sorted(schema_mod.PATHS))) for p in unknown])
    return schema_mod.dependency_order(names)


def validate(desired: Any, owner: str, state: str = "merged", adopt: Optional[Sequence[str]] = None,
             purge: Optional[Mapping[str, Any]] = None, paths: Optional[Sequence[str]] = None) -> Optional[PreparedDesired]:
    """Every input check that needs no router; raises PlanError listing all problems."""
    owner_mod.check_owner(owner)
    involved_paths(desired, paths, adopt, purge)
    problems = ["purge[%s] must be a mapping of field -> value" % path
                for path, flt in (purge or {}).items() if not isinstance(flt, dict)]
    if problems:
        raise PlanError(problems)
    if state != "gathered":
        return prepare_desired(desired, owner, list(paths or []))
    return None


def prepare_desired(desired: Any, owner: str, paths: Optional[Sequence[str]] = None) -> PreparedDesired:
    """Validate ``desired`` and turn it into entries; raises PlanError listing every problem.

    Returns ``(entries_by_path, warnings)``; every path of ``paths`` without desired entries gets
    an empty list (used by ``overridden``/``deleted``/``gathered``).
    """
    problems: List[str] = []
    warnings: List[str] = []
    try:
        owner_mod.check_owner(owner)
    except ValueError as exc:
        problems.append(str(exc))
    if desired is None:
        desired = {}
    if not isinstance(desired, dict):
        raise PlanError("desired must be a mapping of path -> list of entries")
    result: Dict[str, List[DesiredEntry]] = {}
    for path in list(desired) + [p for p in (paths or []) if p not in desired]:
        if not schema_mod.is_known(path):
            problems.append("unknown path %r (known: %s)" % (path, ", ".join(sorted(schema_mod.PATHS))))
            continue
        spec = schema_mod.get(path)
        entries = desired.get(path) or []
        if not isinstance(entries, list):
            problems.append("%s: entries must be a list" % path)
            continue
        out = []
        seen: Dict[Tuple[str, ...], str] = {}
        for index, entry in enumerate(entries):
            where = "%s[%d]" % (path, index)
            item = _prepare_entry(spec, entry, where, index, problems, warnings)
            if item is None:
                continue
            if item.ident in seen:
                problems.append("%s: duplicate identity %s (also %s)" % (where, item.label, seen[item.ident]))
                continue
            seen[item.ident] = where
            out.append(item)
        if spec.singleton and len(out) > 1:
            problems.append("%s: singleton menu takes one entry" % path)
        result[path] = out
    if problems:
        raise PlanError(problems)
    return result, warnings


def _entry_fields(spec: schema_mod.PathSpec, entry: Mapping[Any, Any], where: str, problems: List[str],
                  warnings: List[str]) -> Tuple[Dict[str, str], bool]:
    """The usable RouterOS fields of an entry as text, and whether any was unusable."""
    fields = {}
    bad = False
    for name, value in entry.items():
        if not isinstance(name, str):
            problems.append("%s: field names must be strings" % where)
            bad = True
            continue
        if name.startswith("_"):
            if name not in schema_mod.META_KEYS:
                problems.append("%s: unknown meta key %r (allowed: %s)" % (where, name, ", ".join(sorted(schema_mod.META_KEYS))))
                bad = True
            continue
        if name in spec.readonly or name.startswith("."):
            problems.append("%s: field %r is read-only" % (where, name))
            bad = True
            continue
        text = _scalar_text(value)
        if text is None:
            problems.append("%s: value of %r must be a string, number, boolean or list of them" % (where, name))
            bad = True
            continue
        if name not in spec.fields:
            warnings.append("%s: field %r is not in the schema of %s; passed through as text" % (where, name, spec.path))
        fields[name] = text
    return fields, bad


def _prepare_entry(spec: schema_mod.PathSpec, entry: Any, where: str, position: int, problems: List[str],
                   warnings: List[str]) -> Optional[DesiredEntry]:
    path = spec.path
    if not isinstance(entry, dict):
        problems.append("%s: entry must be a mapping, got %s" % (where, type(entry).__name__))
        return None
    fields, bad = _entry_fields(spec, entry, where, problems, warnings)
    has_comment = "comment" in fields
    description = fields.pop("comment", "")
    if owner_mod.parse(description):
        problems.append("%s: comment must not carry an owner tag, the engine adds it" % where)
        bad = True
    gateway_connected = False
    gateway = entry.get("_gateway")
    if gateway is not None:
        if path != "/ip/route" or gateway != "connected":
            problems.append("%s: _gateway is only valid on /ip/route with the value 'connected'" % where)
            bad = True
        elif fields.get("gateway"):
            problems.append("%s: give either gateway or _gateway: connected, not both" % where)
            bad = True
        else:
            gateway_connected = True
    rank = None
    if spec.ordered:
        rank = entry.get("_rank")
        if isinstance(rank, bool) or not isinstance(rank, int) or rank < 0:
            problems.append("%s: _rank (a non-negative integer) is required on ordered path %s" % (where, path))
            bad = True
            rank = None
    elif "_rank" in entry:
        warnings.append("%s: _rank ignored, %s is not ordered" % (where, path))
    identity = _identity(spec, entry, fields, where, problems)
    if identity is None:
        return None
    key, ident, label = identity
    if not spec.singleton:
        try:
            owner_mod.check_key(key)
        except ValueError as exc:
            problems.append("%s: %s" % (where, exc))
            bad = True
    if bad:
        return None
    return DesiredEntry(path=path, where=where, position=position, fields=fields, description=description,
                        has_comment=has_comment, key=key, ident=ident, label=label, rank=rank,
                        gateway_connected=gateway_connected, expect=_expected(spec, fields))


def _identity(spec: schema_mod.PathSpec, entry: Mapping[str, Any], fields: Mapping[str, str], where: str,
              problems: List[str]) -> Optional[Tuple[str, Tuple[str, ...], str]]:
    """``(key, ident, label)`` of an entry, or None (a problem said why)."""
    if spec.singleton:
        return "settings", ("singleton",), spec.path
    key = entry.get("_key")
    if spec.key:
        missing = [k for k in spec.key if not fields.get(k)]
        if missing:
            problems.append("%s: key field(s) %s missing" % (where, ", ".join(missing)))
            return None
        values = tuple(canon_field(spec, k, fields[k]) for k in spec.key)
        label = " ".join("%s=%s" % (k, fields[k]) for k in spec.key)
        return (str(key) if key is not None else owner_mod.key_from_values(values)), values, label
    if key is None or isinstance(key, bool):
        problems.append("%s: _key is required on %s (entries there have no natural key)" % (where, spec.path))
        return None
    return str(key), (str(key),), "_key=%s" % key


def _expected(spec: schema_mod.PathSpec, fields: Mapping[str, str]) -> Dict[str, str]:
    """Fields an entry must have although ``desired`` does not give them: those that decide whether it
    does anything at all. A disabled address-list entry or interface-list member is not "present"."""
    return dict((f, spec.defaults[f]) for f in BEHAVIOUR_FIELDS if f in spec.fields and f not in fields and f in spec.defaults)


def _contains(outer: str, inner: str) -> bool:
    try:
        return ipaddress.ip_network(inner, strict=False).subnet_of(ipaddress.ip_network(outer, strict=False))
    except (ValueError, TypeError):
        return False


def _is_connected_route(row: Row) -> bool:
    return str(row.get("connect", "")).lower() in ("true", "yes") or (
        str(row.get("dynamic", "")).lower() in ("true", "yes") and row.get("static") is None
        and str(row.get("dhcp", "")).lower() not in ("true", "yes") and row.get("connect") is not None)


def resolve_connected_gateways(entries: List[DesiredEntry], route_rows: Optional[List[Row]], problems: List[str],
                               warnings: List[str], resolve: bool = True) -> List[DesiredEntry]:
    """``entries`` with the ``gateway`` of ``_gateway: connected`` routes taken from the router's connected routes."""
    connected = [row for row in route_rows or [] if _is_connected_route(row) and row.get("dst-address") and row.get("gateway")]
    out = []
    for entry in entries:
        if not entry.gateway_connected:
            out.append(entry)
            continue
        dst = entry.fields.get("dst-address", "0.0.0.0/0")
        if not resolve:
            warnings.append("%s (%s): gateway is resolved from the router's connected routes at apply time" % (entry.where, entry.label))
            out.append(entry)
            continue
        best = None
        for row in connected:
            if _contains(row["dst-address"], dst):
                plen = int(str(row["dst-address"]).split("/")[1]) if "/" in str(row["dst-address"]) else 32
                if best is None or plen > best[0]:
                    best = (plen, row)
        if best is None:
            problems.append("%s (%s): no connected route contains dst-address %s, cannot resolve _gateway: connected"
                            % (entry.where, entry.label, dst))
            out.append(entry)
            continue
        out.append(replace(entry, fields=dict(entry.fields, gateway=best[1]["gateway"])))
        warnings.append("%s (%s): gateway %s resolved from connected route %s"
                        % (entry.where, entry.label, best[1]["gateway"], best[1]["dst-address"]))
    return out
