# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Desired state vs rows read from the router -> an ordered plan of operations.

Pure: rows in, plan out. A plan is a list of operations
``{op: add|set|remove|move, path, key, id, fields, before, after, ...}`` in execution order:
first adds, sets and moves path by path in dependency order, then removals in reverse dependency
order (new entries exist before old ones go, and nothing is removed while still referenced).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.multiwan.routeros.plugins.module_utils.engine import schema as schema_mod
from ansible_collections.multiwan.routeros.plugins.module_utils.engine import owner as owner_mod
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.errors import PlanError
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.normalize import (
    canon_field,
    equal,
    to_text,
)
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.normalize import display as normalize_display
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.order import (
    movers,
    plan_scope,
    simulate,
)

try:
    import ipaddress
except ImportError:  # pragma: no cover
    ipaddress = None

STATES = ("merged", "replaced", "overridden", "deleted")
_RESET_STATES = ("replaced", "overridden")
_INF_RANK = 1 << 62
# Fields that change whether an entry does anything; compared on every entry the collection relies on.
BEHAVIOUR_FIELDS = ("disabled",)


# --------------------------------------------------------------------------------------------
# desired-state validation


def _scalar_text(value):
    if isinstance(value, (list, tuple)):
        if not all(isinstance(v, (str, int, float, bool)) for v in value):
            return None
        return to_text(value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return to_text(value)
    return None


def prepare_desired(desired, owner, paths=None):
    """Validate ``desired`` and turn it into entries; raises PlanError listing every problem.

    Returns ``(entries_by_path, warnings)``; every path of ``paths`` without desired entries gets
    an empty list (used by ``overridden``/``deleted``/``gathered``).
    """
    problems = []
    warnings = []
    try:
        owner_mod.check_owner(owner)
    except ValueError as exc:
        problems.append(str(exc))
    if desired is None:
        desired = {}
    if not isinstance(desired, dict):
        raise PlanError("desired must be a mapping of path -> list of entries")
    result = {}
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
        seen = {}
        for index, entry in enumerate(entries):
            where = "%s[%d]" % (path, index)
            item = _prepare_entry(spec, entry, where, problems, warnings)
            if item is None:
                continue
            item["position"] = index
            ident = item["ident"]
            if ident in seen:
                problems.append("%s: duplicate identity %s (also %s)" % (where, item["label"], seen[ident]))
                continue
            seen[ident] = where
            out.append(item)
        if spec.singleton and len(out) > 1:
            problems.append("%s: singleton menu takes one entry" % path)
        result[path] = out
    if problems:
        raise PlanError(problems)
    return result, warnings


def _prepare_entry(spec, entry, where, problems, warnings):
    path = spec.path
    if not isinstance(entry, dict):
        problems.append("%s: entry must be a mapping, got %s" % (where, type(entry).__name__))
        return None
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
            warnings.append("%s: field %r is not in the schema of %s; passed through as text" % (where, name, path))
        fields[name] = text
    has_comment = "comment" in fields
    description = fields.pop("comment", "")
    if owner_mod.parse(description):
        problems.append("%s: comment must not carry an owner tag, the engine adds it" % where)
        bad = True
    item = {"where": where, "path": path, "fields": fields, "description": description, "has_comment": has_comment,
            "rank": None, "key": None, "gateway_connected": False, "expect": _expected(spec, fields)}
    gateway = entry.get("_gateway")
    if gateway is not None:
        if path != "/ip/route" or gateway != "connected":
            problems.append("%s: _gateway is only valid on /ip/route with the value 'connected'" % where)
            bad = True
        elif fields.get("gateway"):
            problems.append("%s: give either gateway or _gateway: connected, not both" % where)
            bad = True
        else:
            item["gateway_connected"] = True
    if spec.ordered:
        rank = entry.get("_rank")
        if isinstance(rank, bool) or not isinstance(rank, int) or rank < 0:
            problems.append("%s: _rank (a non-negative integer) is required on ordered path %s" % (where, path))
            bad = True
        else:
            item["rank"] = rank
    elif "_rank" in entry:
        warnings.append("%s: _rank ignored, %s is not ordered" % (where, path))
    if spec.singleton:
        item["ident"] = ("singleton",)
        item["key"] = "settings"
        item["label"] = path
        return None if bad else item
    if spec.key:
        missing = [k for k in spec.key if not fields.get(k)]
        if missing:
            problems.append("%s: key field(s) %s missing" % (where, ", ".join(missing)))
            return None
        values = tuple(canon_field(spec, k, fields[k]) for k in spec.key)
        item["ident"] = values
        item["label"] = " ".join("%s=%s" % (k, fields[k]) for k in spec.key)
        key = entry.get("_key")
        item["key"] = str(key) if key is not None else owner_mod.key_from_values(values)
    else:
        key = entry.get("_key")
        if key is None or isinstance(key, bool):
            problems.append("%s: _key is required on %s (entries there have no natural key)" % (where, path))
            return None
        item["key"] = str(key)
        item["ident"] = (item["key"],)
        item["label"] = "_key=%s" % item["key"]
    try:
        owner_mod.check_key(item["key"])
    except ValueError as exc:
        problems.append("%s: %s" % (where, exc))
        bad = True
    return None if bad else item


def _expected(spec, fields):
    """Fields an entry must have although ``desired`` does not give them: those that decide whether it
    does anything at all. A disabled address-list entry or interface-list member is not "present"."""
    return dict((f, spec.defaults[f]) for f in BEHAVIOUR_FIELDS if f in spec.fields and f not in fields and f in spec.defaults)


# --------------------------------------------------------------------------------------------
# helpers over rows


def writable(spec, row):
    """The configuration part of a row (no id, counters, flags)."""
    return dict((k, v) for k, v in row.items()
                if not k.startswith(".") and k not in spec.readonly)


def natural_key(spec, row):
    return tuple(canon_field(spec, k, row.get(k)) for k in spec.key)


def _row_matches(spec, fields, row):
    return all(equal(spec, f, v, row.get(f)) for f, v in fields.items())


def _differences(spec, fields, row):
    """``field=<router value> (wanted <value>)`` for every field of ``fields`` the row does not match."""
    return ["%s=%s (wanted %s)" % (f, normalize_display(spec, f, row.get(f)), normalize_display(spec, f, v))
            for f, v in sorted(fields.items()) if not equal(spec, f, v, row.get(f))]


def _adopt_identity_matches(spec, entry, row):
    ignore = set(spec.adopt_ignore)
    names = set(f for f in entry["fields"] if f not in ignore)
    names |= set(f for f in writable(spec, row) if f not in ignore and f in spec.fields)
    return all(equal(spec, f, entry["fields"].get(f), row.get(f)) for f in names)


def _contains(outer, inner):
    if ipaddress is None:
        return False
    try:
        return ipaddress.ip_network(inner, strict=False).subnet_of(ipaddress.ip_network(outer, strict=False))
    except (ValueError, TypeError):
        return False


def resolve_connected_gateways(entries, route_rows, problems, warnings, resolve=True):
    """Fill ``gateway`` of ``_gateway: connected`` routes from the router's connected routes."""
    connected = []
    for row in route_rows or []:
        flag = str(row.get("connect", "")).lower() in ("true", "yes") or (
            str(row.get("dynamic", "")).lower() in ("true", "yes") and row.get("static") is None
            and str(row.get("dhcp", "")).lower() not in ("true", "yes") and row.get("connect") is not None)
        if flag and row.get("dst-address") and row.get("gateway"):
            connected.append(row)
    for entry in entries:
        if not entry["gateway_connected"]:
            continue
        dst = entry["fields"].get("dst-address", "0.0.0.0/0")
        if not resolve:
            warnings.append("%s (%s): gateway is resolved from the router's connected routes at apply time" % (entry["where"], entry["label"]))
            continue
        best = None
        for row in connected:
            if _contains(row["dst-address"], dst):
                plen = int(str(row["dst-address"]).split("/")[1]) if "/" in str(row["dst-address"]) else 32
                if best is None or plen > best[0]:
                    best = (plen, row)
        if best is None:
            problems.append("%s (%s): no connected route contains dst-address %s, cannot resolve _gateway: connected"
                            % (entry["where"], entry["label"], dst))
            continue
        entry["fields"]["gateway"] = best[1]["gateway"]
        warnings.append("%s (%s): gateway %s resolved from connected route %s"
                        % (entry["where"], entry["label"], best[1]["gateway"], best[1]["dst-address"]))


# --------------------------------------------------------------------------------------------
# planning


class _PathPlan(object):
    def __init__(self, spec):
        self.spec = spec
        self.sets = []
        self.adds = []
        self.moves = []
        self.removes = []
        self.placed = []


def build_plan(desired, actual, owner, state="merged", adopt=None, purge=None, paths=None,
               placement=None, resolve_gateways=True, prepared=None):
    """Compute the plan.

    - ``desired``: ``{path: [entry]}`` as documented in docs/architecture.md.
    - ``actual``: ``{path: [row]}``: every row the router printed for the path (dynamic ones
      included), in table order, values as text, with ``.id``.
    - ``adopt``: paths where an untagged entry with the same identity fields is taken over.
    - ``purge``: ``{path: {field: value}}``: untagged entries matching the filter are removed.
    - ``placement``: ``{path: "append"}`` to append a new block instead of placing it before
      the first hand-made rule of the chain.
    - ``prepared``: the result of ``prepare_desired`` when the caller already validated.

    Returns ``{"ops": [...], "warnings": [...]}``; raises PlanError before anything is written.
    """
    if state not in STATES:
        raise PlanError("state must be one of %s" % ", ".join(STATES))
    purge = purge or {}
    adopt = list(adopt or [])
    placement = placement or {}
    problems = []
    for path in list(adopt) + list(purge):
        if not schema_mod.is_known(path):
            problems.append("unknown path %r in adopt/purge" % path)
    for path, flt in purge.items():
        if not isinstance(flt, dict):
            problems.append("purge[%s] must be a mapping of field -> value" % path)
    if problems:
        raise PlanError(problems)
    if prepared is None:
        prepared = prepare_desired(desired, owner, list(paths or []))
    entries = dict(prepared[0])
    warnings = list(prepared[1])
    for path in purge:
        entries.setdefault(path, [])
    if "/ip/route" in entries:
        resolve_connected_gateways(entries["/ip/route"], actual.get("/ip/route"), problems, warnings, resolve_gateways)
    plans = {}
    for path in schema_mod.dependency_order(entries):
        spec = schema_mod.get(path)
        rows = list(actual.get(path) or [])
        plans[path] = _plan_path(spec, entries[path], rows, owner, state, path in adopt,
                                 purge.get(path), placement.get(path), problems, warnings)
    if problems:
        raise PlanError(problems)
    ops = []
    order = schema_mod.dependency_order(plans)
    for path in order:
        pp = plans[path]
        ops.extend(pp.sets)
        ops.extend(pp.placed)
    for path in reversed(order):
        ops.extend(plans[path].removes)
    _record_undo_positions(ops, actual)
    return {"ops": ops, "warnings": warnings}


def _op(op, spec, key, row=None, fields=None, **extra):
    before = writable(spec, row) if row is not None else None
    after = None
    if op == "add":
        after = dict((k, v) for k, v in (fields or {}).items() if v is not None)
    elif op in ("set", "move"):
        after = dict(before or {})
        for k, v in (fields or {}).items():
            if v is None:
                after.pop(k, None)
            else:
                after[k] = v
    result = {
        "op": op,
        "path": spec.path,
        "key": key,
        "id": row.get(".id") if row is not None else None,
        "fields": dict(fields or {}),
        "before": before,
        "after": after,
    }
    result.update(extra)
    return result


def _plan_path(spec, entries, rows, owner, state, adopt, purge_filter, placement, problems, warnings):
    pp = _PathPlan(spec)
    path = spec.path
    visible = [r for r in rows if not schema_mod.is_invisible(r)]
    if spec.singleton:
        _plan_singleton(pp, spec, entries, visible, state, warnings)
        return pp
    tags = {}
    for r in visible:
        tags[id(r)] = owner_mod.parse(r.get("comment"))
    mine = [r for r in visible if tags[id(r)] and tags[id(r)][0] == owner]
    claimed = set()
    matches = []  # (entry, row or None, adopted)
    if spec.key:
        index = {}
        for r in visible:
            index.setdefault(natural_key(spec, r), []).append(r)
        for entry in entries:
            candidates = index.get(entry["ident"], [])
            own = [r for r in candidates if tags[id(r)] and tags[id(r)][0] == owner]
            if own:
                matches.append((entry, own[0], False))
                claimed.add(id(own[0]))
                continue
            if not candidates:
                matches.append((entry, None, False))
                continue
            other = candidates[0]
            other_tag = tags[id(other)]
            if state == "deleted":
                warnings.append("%s (%s): exists but is not managed by owner %s; left alone" % (entry["where"], entry["label"], owner))
                continue
            if other_tag is None and adopt:
                matches.append((entry, other, True))
                claimed.add(id(other))
                continue
            who = "owner %s" % other_tag[0] if other_tag else "nobody (a hand-made entry)"
            wanted = dict(entry["fields"], **entry["expect"])
            if _row_matches(spec, wanted, other):
                warnings.append("%s (%s): already present, managed by %s; left as it is%s"
                                % (entry["where"], entry["label"], who, "" if other_tag else " (list the path in adopt to take it over)"))
                claimed.add(id(other))
                continue
            problems.append("%s (%s): conflicts with an existing entry managed by %s: %s%s"
                            % (entry["where"], entry["label"], who, ", ".join(_differences(spec, wanted, other)),
                               "" if other_tag else "; list the path in adopt to take it over"))
    else:
        by_key = {}
        for r in mine:
            by_key.setdefault(tags[id(r)][1], []).append(r)
        foreign = [r for r in visible if tags[id(r)] is None]
        for entry in entries:
            found = by_key.get(entry["key"])
            if found:
                matches.append((entry, found[0], False))
                claimed.add(id(found[0]))
                continue
            if adopt and state != "deleted":
                cand = [r for r in foreign if id(r) not in claimed and _adopt_identity_matches(spec, entry, r)]
                if cand:
                    matches.append((entry, cand[0], True))
                    claimed.add(id(cand[0]))
                    continue
            matches.append((entry, None, False))
        for key, found in by_key.items():
            # A copied rule carries our tag too: one identity, one entry (the first one stays).
            for extra in found[1:]:
                warnings.append(_copied_tag_warning(spec, key, extra, found[0]))
                pp.removes.append(_op("remove", spec, key, extra, copied_tag=True))
                claimed.add(id(extra))

    if state == "deleted":
        if entries:
            for entry, row, _adopted in matches:
                if row is not None:
                    pp.removes.append(_op("remove", spec, entry["key"], row))
        else:
            for r in mine:
                pp.removes.append(_op("remove", spec, tags[id(r)][1], r))
        _dedupe_removes(pp)
        _purge(pp, spec, visible, tags, claimed, purge_filter)
        return pp

    after_rows = {}
    new_entries = []
    for entry, row, adopted in matches:
        description = entry["description"]
        if row is not None and not entry["has_comment"] and (adopted or state == "merged"):
            # merged compares only what the entry gives; an adopted entry keeps its description
            description = owner_mod.strip(row.get("comment"))
        desired_comment = owner_mod.compose(description, owner, entry["key"], entry["rank"])
        if row is None:
            missing = [f for f in spec.required if not entry["fields"].get(f)]
            if missing:
                problems.append("%s (%s): cannot add without %s" % (entry["where"], entry["label"], ", ".join(missing)))
                continue
            fields = dict((k, v) for k, v in entry["fields"].items() if v != "")
            fields["comment"] = desired_comment
            new_entries.append((entry, fields))
            continue
        changes = _changes(spec, entry, row, desired_comment, state)
        if changes or adopted:
            if adopted and "comment" not in changes:
                changes["comment"] = desired_comment
            op = _op("set", spec, entry["key"], row, changes, adopted=adopted)
            pp.sets.append(op)
            after_rows[id(row)] = op["after"]
        if adopted:
            tags[id(row)] = (owner, entry["key"], entry["rank"])
    if state == "overridden":
        holders = dict((tags[id(row)][1], row) for _entry, row, _adopted in matches if row is not None and id(row) in claimed
                       and tags[id(row)] and tags[id(row)][0] == owner)
        for r in mine:
            if id(r) not in claimed:
                key = tags[id(r)][1]
                holder = holders.get(key)
                if holder is not None and holder is not r:
                    # The comment of a managed entry copied onto a hand-made one: say so before it goes.
                    warnings.append(_copied_tag_warning(spec, key, r, holder))
                    pp.removes.append(_op("remove", spec, key, r, copied_tag=True))
                else:
                    pp.removes.append(_op("remove", spec, key, r))
    _purge(pp, spec, visible, tags, claimed, purge_filter)
    removed_ids = set(op["id"] for op in pp.removes)

    if spec.ordered:
        _plan_order(pp, spec, rows, tags, matches, new_entries, after_rows, removed_ids, owner, placement)
    else:
        for entry, fields in new_entries:
            pp.placed.append(_op("add", spec, entry["key"], None, fields, place_before=None,
                                 handle=new_handle(owner, entry["key"])))
    return pp


def _row_summary(spec, row):
    shown = [f for f in list(spec.key or ()) + ["chain", "action", "dst-address", "gateway", "routing-table"] if row.get(f)]
    return " ".join("%s=%s" % (f, row.get(f)) for f in dict.fromkeys(shown)) or str(row.get(".id"))


def _copied_tag_warning(spec, key, row, holder):
    return ("%s: removing %s (%s): it carries the owner tag %s of %s (%s), a copied or forged comment"
            % (spec.path, row.get(".id"), _row_summary(spec, row), key, holder.get(".id"), _row_summary(spec, holder)))


def _dedupe_removes(pp):
    seen = set()
    out = []
    for op in pp.removes:
        if op["id"] in seen:
            continue
        seen.add(op["id"])
        out.append(op)
    pp.removes = out


def _purge(pp, spec, visible, tags, claimed, purge_filter):
    if purge_filter is None:
        return
    already = set(op["id"] for op in pp.removes)
    for r in visible:
        if tags[id(r)] is not None or id(r) in claimed or r.get(".id") in already:
            continue
        if _row_matches(spec, dict((k, to_text(v)) for k, v in purge_filter.items()), r):
            pp.removes.append(_op("remove", spec, None, r, purged=True))


def _changes(spec, entry, row, desired_comment, state):
    changes = {}
    for field, value in list(entry["fields"].items()) + list(entry["expect"].items()):
        if not equal(spec, field, value, row.get(field)):
            changes[field] = value if value != "" else None
    if row.get("comment", "") != desired_comment:
        changes["comment"] = desired_comment
    if state in _RESET_STATES:
        keys = set(spec.key or []) | set(spec.no_reset)
        for field in spec.fields:
            if field in entry["fields"] or field == "comment" or field in keys:
                continue
            if row.get(field) is None:
                continue
            if canon_field(spec, field, row.get(field)) != canon_field(spec, field, None):
                changes[field] = spec.defaults.get(field)
    return changes


def _plan_singleton(pp, spec, entries, visible, state, warnings):
    if not entries:
        return
    if state == "deleted":
        warnings.append("%s: a singleton menu cannot be deleted; left as it is" % spec.path)
        return
    row = visible[0] if visible else {}
    changes = {}
    for field, value in entries[0]["fields"].items():
        if not equal(spec, field, value, row.get(field)):
            changes[field] = value
    if changes:
        op = _op("set", spec, "settings", row, changes)
        op["id"] = None
        pp.sets.append(op)


def _plan_order(pp, spec, rows, tags, matches, new_entries, after_rows, removed_ids, owner, placement):
    scope_field = spec.scope
    table = [r.get(".id") for r in rows if r.get(".id") not in removed_ids]
    dynamic = set(r.get(".id") for r in rows if schema_mod.is_invisible(r))
    # Entries sort by rank, then owner; equal ranks keep the order of ``desired`` for this owner's
    # entries and the table order for anyone else's, so ranks never depend on list positions. When
    # ``desired`` leaves out some of this owner's entries of a rank (merged, replaced), it does not
    # say where they go: that rank keeps the table order, and its new entries join at its end.
    matched = set(id(row) for _entry, row, _adopted in matches if row is not None)
    partial = set(tags[id(r)][2] for r in rows if tags.get(id(r)) and tags[id(r)][0] == owner and id(r) not in matched
                  and r.get(".id") not in removed_ids and r.get(".id") not in dynamic)
    desired_order = {}
    rank_of = dict((id(row), entry["rank"]) for entry, row, _adopted in matches if row is not None)
    for entry, row, _adopted in matches:
        if row is not None and entry["rank"] not in partial:
            desired_order[id(row)] = (entry["rank"], owner, 0, entry["position"])

    def scope_of(fields):
        return fields.get(scope_field, "") if scope_field else ""

    scopes = {}
    for position, r in enumerate(rows):
        rid = r.get(".id")
        if rid in removed_ids:
            continue
        current = after_rows.get(id(r), r)
        sc = scope_of(current)
        bucket = scopes.setdefault(sc, {"rows": [], "members": []})
        bucket["rows"].append(rid)
        tag = tags.get(id(r))
        if rid in dynamic or tag is None:
            continue
        rank = tag[2] if id(r) not in matched or tag[0] != owner else rank_of[id(r)]
        sort = desired_order.get(id(r)) or (rank if rank is not None else _INF_RANK, tag[0], 1, position)
        bucket["members"].append({
            "handle": rid, "id": rid, "movable": tag[0] == owner, "sort": sort, "row": r, "key": tag[1],
        })
    for entry, fields in new_entries:
        sc = scope_of(fields)
        bucket = scopes.setdefault(sc, {"rows": [], "members": []})
        bucket["members"].append({
            "handle": new_handle(owner, entry["key"]), "id": None, "movable": True,
            "sort": (entry["rank"], owner, 2 if entry["rank"] in partial else 0, entry["position"]),
            "fields": fields, "entry": entry,
        })
    work = []
    moving = set()
    for sc in sorted(scopes):
        bucket = scopes[sc]
        members = sorted(bucket["members"], key=lambda m: m["sort"])
        if not members:
            continue
        if not any(m["id"] is None for m in members) and _in_order(table, members):
            continue
        moving |= movers(table, members)
        work.append((bucket, members))
    for bucket, members in work:
        # Never place before an entry that another chain's plan moves away.
        actions, _moves = plan_scope(table, dynamic | moving, bucket["rows"], members, placement)
        by_handle = dict((m["handle"], m) for m in members)
        for handle, op, before in actions:
            m = by_handle[handle]
            if op == "add":
                pp.placed.append(_op("add", spec, m["entry"]["key"], None, m["fields"], place_before=before, handle=handle))
            else:
                pp.placed.append(_op("move", spec, m["key"], m["row"], {}, destination=before, handle=handle))


def new_handle(owner, key):
    """The placeholder id of an entry a plan adds (check mode predicts rows under it)."""
    return "new:%s:%s" % (owner, key)


def _in_order(table, members):
    position = dict((rid, i) for i, rid in enumerate(table))
    last = -1
    for m in members:
        pos = position.get(m["id"])
        if pos is None:
            return False
        if pos < last:
            return False
        last = pos
    return True


def _record_undo_positions(ops, actual):
    """Record, for every remove and move, the entry that followed it just before the operation,
    so undo can put it back exactly where it was."""
    tables = {}
    for path, rows in actual.items():
        tables[path] = [r.get(".id") for r in rows or []]
    for op in ops:
        if not schema_mod.get(op["path"]).ordered:
            continue  # position does not matter there, and tables can be large
        table = tables.setdefault(op["path"], [])
        if op["op"] == "add":
            handle = op["handle"]
            tables[op["path"]] = simulate(table, [(handle, "add", op.get("place_before"))])
        elif op["op"] in ("move", "remove") and op["id"] in table:
            idx = table.index(op["id"])
            op["undo_before"] = table[idx + 1] if idx + 1 < len(table) else None
            tables[op["path"]] = simulate(table, [(op["id"], op["op"], op.get("destination"))])


def predict(actual, ops):
    """The rows the router should hold after ``ops`` (check mode's "after"), in table order."""
    result = {}
    for path, rows in actual.items():
        result[path] = [dict(r) for r in rows or []]
    counter = [0]
    for op in ops:
        rows = result.setdefault(op["path"], [])
        ids = [r.get(".id") for r in rows]
        if op["op"] == "add":
            counter[0] += 1
            new = dict(op["after"])
            new[".id"] = op.get("handle") or "*new%d" % counter[0]
            before = op.get("place_before")
            if before in ids:
                rows.insert(ids.index(before), new)
            else:
                rows.append(new)
        elif op["op"] == "set":
            if op["id"] is None:
                target = rows[0] if rows else None
                if target is None:
                    rows.append(dict(op["after"]))
                    continue
            else:
                target = rows[ids.index(op["id"])] if op["id"] in ids else None
            if target is not None:
                for k, v in op["fields"].items():
                    if v is None:
                        target.pop(k, None)
                    else:
                        target[k] = v
        elif op["op"] == "remove" and op["id"] in ids:
            rows.pop(ids.index(op["id"]))
        elif op["op"] == "move" and op["id"] in ids:
            row = rows.pop(ids.index(op["id"]))
            ids = [r.get(".id") for r in rows]
            dest = op.get("destination")
            if dest in ids:
                rows.insert(ids.index(dest), row)
            else:
                rows.append(row)
    return result


# --------------------------------------------------------------------------------------------
# gathered / foreign


def gather(actual, owner, paths):
    """This owner's entries in desired format (usable as ``desired``) and the foreign rows."""
    gathered = {}
    foreign = {}
    for path in paths:
        spec = schema_mod.get(path)
        if spec.singleton:
            continue
        rows = actual.get(path) or []
        out = []
        other = []
        for r in rows:
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
            out.sort(key=lambda e: e.get("_rank", _INF_RANK))
        gathered[path] = out
        foreign[path] = other
    return gathered, foreign


def to_desired(spec, row, tag):
    entry = {}
    keys = set(spec.key or [])
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
