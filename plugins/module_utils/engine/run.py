# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One reconcile run: read once per path, plan, (apply, verify), and the module's result.

Used by the ``config`` module, the tests and the benchmark; talks to a transport object only.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.multiwan.routeros.plugins.module_utils.engine import cli as cli_mod
from ansible_collections.multiwan.routeros.plugins.module_utils.engine import normalize as normalize_mod
from ansible_collections.multiwan.routeros.plugins.module_utils.engine import owner as owner_mod
from ansible_collections.multiwan.routeros.plugins.module_utils.engine import plan as plan_mod
from ansible_collections.multiwan.routeros.plugins.module_utils.engine import references as references_mod
from ansible_collections.multiwan.routeros.plugins.module_utils.engine import schema as schema_mod
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.apply import (
    apply_plan,
    read_state,
)
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.errors import (
    ApplyError,
    PlanError,
)

DEVICE_STATES = ("merged", "replaced", "overridden", "deleted", "gathered")
OFFLINE_STATES = ("rendered", "parsed")
_PUBLIC_OP_KEYS = ("op", "path", "key", "id", "handle", "fields", "before", "after", "place_before",
                   "destination", "adopted", "purged", "copied_tag")


def involved_paths(desired=None, paths=None, adopt=None, purge=None):
    """Every path one run reads, in dependency order; unknown paths fail here, before any I/O."""
    names = set(desired or {}) | set(paths or []) | set(adopt or []) | set(purge or {})
    unknown = sorted(p for p in names if not schema_mod.is_known(p))
    if unknown:
        raise PlanError(["unknown path %r (known: %s)" % (p, ", ".join(sorted(schema_mod.PATHS))) for p in unknown])
    return schema_mod.dependency_order(names)


def validate(desired, owner, state="merged", adopt=None, purge=None, paths=None):
    """Every input check that needs no router; raises PlanError listing all problems."""
    owner_mod.check_owner(owner)
    involved_paths(desired, paths, adopt, purge)
    problems = []
    for path, flt in (purge or {}).items():
        if not isinstance(flt, dict):
            problems.append("purge[%s] must be a mapping of field -> value" % path)
    if problems:
        raise PlanError(problems)
    if state != "gathered":
        return plan_mod.prepare_desired(desired, owner, list(paths or []))
    return None


def public_ops(ops):
    return [dict((k, op[k]) for k in _PUBLIC_OP_KEYS if k in op and (op[k] is not None or k in ("before", "after", "key", "id")))
            for op in ops]


def _entry_text(spec, fields):
    if not fields:
        return ""
    return "".join("%s=%s\n" % (k, cli_mod.quote(normalize_mod.display(spec, k, v))) for k, v in sorted(fields.items()))


def diff_of(ops, actual=None):
    """Per-entry before/after texts a reviewer can read (Ansible shows each as a unified diff)."""
    selectors = cli_mod.Selectors(actual)

    def where(path, rid):
        if rid is None:
            return "the end of the table"
        row = selectors.row(path, rid)
        return selectors.select(path, row) if row is not None else str(rid)

    diffs = []
    for op in ops:
        label = "%s %s" % (op["path"], op.get("key") or op.get("id") or "")
        spec = schema_mod.get(op["path"])
        before = _entry_text(spec, op.get("before"))
        after = _entry_text(spec, op.get("after")) if op["op"] != "remove" else ""
        if op["op"] == "move":
            before += "position: before %s\n" % where(op["path"], op.get("undo_before"))
            after += "position: before %s\n" % where(op["path"], op.get("destination"))
        elif op["op"] == "add" and schema_mod.get(op["path"]).ordered:
            after += "position: before %s\n" % where(op["path"], op.get("place_before"))
        diffs.append({
            "before_header": "%s (%s)" % (label, "absent" if op["op"] == "add" else "router"),
            "after_header": "%s (%s)" % (label, op["op"]),
            "before": before,
            "after": after,
        })
    return diffs


def assume_applied(rows, pending):
    """``rows`` as they will be once ``pending`` (earlier check-mode plans of this run) has been applied.

    Check mode writes nothing, so a later phase of a check run would otherwise plan against a router
    on which the earlier phases did not happen; only the paths in ``rows`` are predicted.
    """
    ops = [op for op in pending or [] if op.get("path") in rows]
    return plan_mod.predict(rows, ops) if ops else rows


def _read(transport, paths, desired, pending):
    return assume_applied(read_state(transport, paths, desired), pending)


def reference_problems(transport, ops, actual, pending=None):
    """Entries of ``ops`` that name a missing table or list; reads the referenced paths not read yet.

    Only called when there is something to write, so a no-op run reads nothing more; the paths
    it needs go out as one batched read.
    """
    needed = [p for p in references_mod.referenced_paths(ops) if p not in actual]
    rows = dict(actual)
    if needed:
        rows.update(_read(transport, needed, None, pending))
    return references_mod.missing_references(ops, rows)


def defer_removals_in_use(transport, ops, actual, pending=None):
    """Split ``ops`` into those to run now and the removals of objects entries still name.

    A routing table that a mark-routing rule of another phase still uses stays until that rule is
    gone (a real router may refuse the removal, and an undo after it could not restore the users):
    the owner's next run removes it. Returns ``(ops, deferred, warnings)``; reads the referring
    paths only when the plan removes something they could name.
    """
    paths = references_mod.removal_paths(ops)
    if not paths:
        return ops, [], []
    rows = dict(actual)
    needed = [p for p in paths if p not in rows]
    if needed:
        rows.update(_read(transport, needed, None, pending))
    users = references_mod.users_of_removals(ops, plan_mod.predict(rows, ops))
    if not users:
        return ops, [], []
    warnings = []
    for index in sorted(users):
        op = ops[index]
        named = users[index]
        warnings.append("%s %s: not removed yet, still used by %d entr%s (%s%s); a later run removes it once nothing uses it"
                        % (op["path"], op.get("key") or op.get("id"), len(named), "y" if len(named) == 1 else "ies",
                           "; ".join(named[:3]), "; ..." if len(named) > 3 else ""))
    return ([op for i, op in enumerate(ops) if i not in users], [op for i, op in enumerate(ops) if i in users], warnings)


def _plan(transport, desired, actual, owner, state, adopt, purge, paths, placement, prepared, pending):
    plan = plan_mod.build_plan(desired, actual, owner, state, adopt, purge, paths, placement, prepared=prepared)
    ops, deferred, warnings = defer_removals_in_use(transport, plan["ops"], actual, pending)
    return ops, deferred, list(plan["warnings"]) + warnings


def reconcile(transport, desired, owner, state="merged", adopt=None, purge=None, paths=None,
              placement=None, check_mode=False, verify=True, prepared=None, pending=None):
    """Run one reconcile over ``transport``; returns the module result (without ``failed``).

    ``pending`` (check mode only): the plans of earlier check-mode runs of the same rollout; this
    run plans as if they had been applied, so its plan is the one the apply run will make, and a
    reference to an object that will still be missing fails as it will in the apply run (without
    ``pending``, check mode only warns about it).
    Raises PlanError (bad input, nothing written) or ApplyError (a write failed; the applied
    part was undone when possible).
    """
    if prepared is None:
        prepared = validate(desired, owner, state, adopt, purge, paths)
    pending = pending if check_mode else None
    all_paths = involved_paths(desired, paths, adopt, purge)
    read_paths = list(all_paths)
    if desired and any(isinstance(e, dict) and e.get("_gateway") for e in (desired.get("/ip/route") or [])):
        if "/ip/route" not in read_paths:
            read_paths.append("/ip/route")
    actual = _read(transport, read_paths, desired, pending)
    if state == "gathered":
        gathered, foreign = plan_mod.gather(actual, owner, all_paths)
        return {"changed": False, "gathered": gathered, "foreign": foreign, "plan": [], "deferred": [], "commands": [],
                "warnings": [], "stats": transport.stats}
    ops, deferred, warnings = _plan(transport, desired, actual, owner, state, adopt, purge, paths, placement, prepared, pending)
    commands = cli_mod.render(ops, actual)
    result = {
        "changed": bool(ops),
        "plan": public_ops(ops),
        "deferred": public_ops(deferred),
        "commands": commands,
        "diff": diff_of(ops, actual),
        "warnings": warnings,
    }
    result["stats"] = transport.stats
    if not ops:
        return result
    missing = reference_problems(transport, ops, actual, pending)
    # Planned alone in check mode, the run that creates them (an earlier phase) did not write either: warn,
    # show the plan. With ``pending`` the earlier phases are accounted for: a missing object fails as it will apply.
    if missing and not (check_mode and pending is None):
        raise PlanError(missing)
    if check_mode:
        if missing:
            # The first text names every missing object; the per-entry lines would fill a screen.
            result["warnings"].append("check mode: a real run fails before any write unless these exist by then (entries "
                                      "naming them: %d): %s" % (len(missing) - 1, missing[0]))
        return result
    apply_plan(transport, ops, actual)
    if verify:
        after = read_state(transport, read_paths, desired)
        again, _deferred, _warnings = _plan(transport, desired, after, owner, state, adopt, purge, paths, placement, prepared, None)
        if again:
            lines = cli_mod.render(again, after)
            raise ApplyError("read-back after apply does not match the desired state; still to do: %s"
                             % "; ".join(lines[:10]), undone=False)
    return result


def render_offline(desired, owner, paths=None, placement=None):
    """``state: rendered``: the plan against an empty router, without a device."""
    plan = plan_mod.build_plan(desired, {}, owner, "merged", None, None, paths, placement, resolve_gateways=False)
    ops = plan["ops"]
    commands = cli_mod.render(ops, {})
    return {"changed": False, "rendered": commands, "commands": commands, "plan": public_ops(ops),
            "warnings": list(plan["warnings"])}


def parse_offline(text, owner, paths=None):
    """``state: parsed``: an ``/export`` text -> entries in ``desired`` format.

    Entries tagged for ``owner`` keep their key and rank; untagged entries get a key made from
    their position (``<chain>-<n>``) and ranks in steps of 10 in file order, so the result can be
    fed back as ``desired`` together with ``adopt`` to bring a hand-made configuration under
    management.
    """
    owner_mod.check_owner(owner)
    rows_by_path = cli_mod.parse_export(text)
    wanted = involved_paths(None, paths) if paths else schema_mod.dependency_order(
        p for p in rows_by_path if schema_mod.is_known(p))
    parsed = {}
    for path in wanted:
        spec = schema_mod.get(path)
        rows = rows_by_path.get(path) or []
        out = []
        counters = {}
        for index, row in enumerate(rows):
            tag = owner_mod.parse(row.get("comment"))
            if tag is not None and tag[0] != owner:
                continue
            if spec.singleton:
                out.append(dict(sorted((k, v) for k, v in row.items() if not k.startswith("."))))
                continue
            if tag is None and spec.key:
                tag = (owner, owner_mod.key_from_values(plan_mod.natural_key(spec, row)), None)
            elif tag is None:
                scope = row.get(spec.scope, "") if spec.scope else ""
                base = scope or path.rsplit("/", 1)[-1]
                counters[base] = counters.get(base, 0) + 1
                key = owner_mod.key_from_values(["%s-%d" % (base, counters[base])])
                rank = (index + 1) * 10 if spec.ordered else None
                tag = (owner, key, rank)
            out.append(plan_mod.to_desired(spec, row, tag))
        parsed[path] = out
    return {"changed": False, "parsed": parsed, "warnings": []}
