# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One reconcile run over a transport: read once per path, plan, (apply, verify), and the module's result.

Used by the ``config`` module, the tests and the benchmark. The result is built here from the typed
plan (``report.py``); ``pending`` plans come in as the mappings an earlier result held.
"""

from typing import Any, Dict, List, Mapping, Optional, Protocol, Sequence, Tuple

from ansible_collections.multiwan.routeros.plugins.module_utils.engine import cli as cli_mod
from ansible_collections.multiwan.routeros.plugins.module_utils.engine import plan as plan_mod
from ansible_collections.multiwan.routeros.plugins.module_utils.engine import references as references_mod
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.desired import (
    PreparedDesired,
    involved_paths,
    validate,
)
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.device.apply import apply_plan
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.device.read import read_state
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.errors import (
    ApplyError,
    PlanError,
)
from ansible_collections.multiwan.routeros.plugins.module_utils.engine import schema as schema_mod
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.gather import gather
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.normalize import equal
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.operation import Operation
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.report import diff_of, public_ops

Rows = Dict[str, List[Mapping[str, Any]]]


def assume_applied(rows: Rows, pending: Optional[Sequence[Mapping[str, Any]]]) -> Rows:
    """``rows`` as they will be once ``pending`` (earlier check-mode plans of this run) has been applied.

    Check mode writes nothing, so a later phase of a check run would otherwise plan against a router
    on which the earlier phases did not happen; only the paths in ``rows`` are predicted.
    """
    ops = [Operation.from_public(op) for op in pending or [] if op.get("path") in rows]
    return plan_mod.predict(rows, ops) if ops else rows


def _read(transport: Any, paths: Sequence[str], desired: Optional[Mapping[str, Any]],
          pending: Optional[Sequence[Mapping[str, Any]]]) -> Rows:
    return assume_applied(read_state(transport, paths, desired), pending)


def reference_problems(transport: Any, ops: List[Operation], actual: Rows,
                       pending: Optional[Sequence[Mapping[str, Any]]] = None) -> List[str]:
    """Entries of ``ops`` that name a missing table or list; reads the referenced paths not read yet.

    Only called when there is something to write, so a no-op run reads nothing more; the paths
    it needs go out as one batched read.
    """
    needed = [p for p in references_mod.referenced_paths(ops) if p not in actual]
    rows = dict(actual)
    if needed:
        rows.update(_read(transport, needed, None, pending))
    return references_mod.missing_references(ops, rows)


def defer_removals_in_use(transport: Any, ops: List[Operation], actual: Rows,
                          pending: Optional[Sequence[Mapping[str, Any]]] = None) -> Tuple[List[Operation], List[Operation], List[str]]:
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
                        % (op.path, op.key or op.id, len(named), "y" if len(named) == 1 else "ies",
                           "; ".join(named[:3]), "; ..." if len(named) > 3 else ""))
    return ([op for i, op in enumerate(ops) if i not in users], [op for i, op in enumerate(ops) if i in users], warnings)


def _plan(transport: Any, desired: Any, actual: Rows, owner: str, state: str, adopt: Optional[Sequence[str]],
          purge: Optional[Mapping[str, Any]], paths: Optional[Sequence[str]], placement: Optional[Mapping[str, str]],
          prepared: Optional[PreparedDesired], pending: Optional[Sequence[Mapping[str, Any]]]) -> Tuple[List[Operation], List[Operation], List[str]]:
    plan = plan_mod.build_plan(desired, actual, owner, state, adopt, purge, paths, placement, prepared=prepared)
    ops, deferred, warnings = defer_removals_in_use(transport, plan.ops, actual, pending)
    return ops, deferred, list(plan.warnings) + warnings


class FromRouter(Protocol):
    """Desired entries that depend on what the router holds, found in the run's one read (an edge's foreign
    source-NAT rules toward the core: compile/transit_srcnat.py)."""

    paths: Sequence[str]  # read with the owner's paths

    def extend(self, actual: Rows, owner: str) -> Tuple[Dict[str, List[Any]], List[str], Dict[str, Any]]:
        """``(entries by path to add to the desired state, paths to adopt besides, what the result reports)``."""


def missing_required(actual: Rows, require: Mapping[str, Sequence[Mapping[str, Any]]]) -> List[str]:
    """Each entry of ``require`` (path -> field mappings, each with an optional ``_why``) that no row of its path in
    ``actual`` matches, whoever owns the row: its ``_why``, or the entry as a CLI line. Values compare as the plan
    compares them (``yes`` is ``true``, an absent field its default), on the path's schema fields, which every
    transport reads."""
    problems = []
    for path, entries in require.items():
        spec = schema_mod.get(path)
        rows = actual.get(path) or []
        for entry in entries:
            fields = dict((name, value) for name, value in entry.items() if not str(name).startswith("_"))
            if not any(all(equal(spec, name, value, row.get(name)) for name, value in fields.items()) for row in rows):
                problems.append(str(entry.get("_why") or "%s: no entry %s on the router" % (
                    path, " ".join("%s=%s" % item for item in sorted(fields.items())))))
    return problems


def reconcile(transport: Any, desired: Any, owner: str, state: str = "merged", adopt: Optional[Sequence[str]] = None,
              purge: Optional[Mapping[str, Any]] = None, paths: Optional[Sequence[str]] = None,
              placement: Optional[Mapping[str, str]] = None, check_mode: bool = False, verify: bool = True,
              prepared: Optional[PreparedDesired] = None, pending: Optional[Sequence[Mapping[str, Any]]] = None,
              from_router: Optional[FromRouter] = None,
              require: Optional[Mapping[str, Sequence[Mapping[str, Any]]]] = None) -> Dict[str, Any]:
    """Run one reconcile over ``transport``; returns the module result (without ``failed``).

    ``pending`` (check mode only): the plans of earlier check-mode runs of the same rollout; this
    run plans as if they had been applied, so its plan is the one the apply run will make, and a
    reference to an object that will still be missing fails as it will in the apply run (without
    ``pending``, check mode only warns about it).
    ``from_router``: entries added to ``desired`` out of the same read (validated as the others, before planning).
    ``require``: entries that must already be on the router, whoever owns them (``missing_required``), read with the
    owner's paths; a missing one raises PlanError before planning.
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
    if from_router is not None:
        read_paths.extend(p for p in from_router.paths if p not in read_paths)
    if require:
        read_paths.extend(p for p in involved_paths(paths=list(require)) if p not in read_paths)
    actual = _read(transport, read_paths, desired, pending)
    missing = missing_required(actual, require) if require and state != "gathered" else []
    if missing:
        raise PlanError(missing)
    found: Optional[Dict[str, Any]] = None
    if from_router is not None and state != "gathered":
        extra, extra_adopt, found = from_router.extend(actual, owner)
        if extra or extra_adopt:
            desired = dict(desired or {})
            for path, entries in extra.items():
                desired[path] = list(desired.get(path) or []) + list(entries)
            adopt = list(adopt or []) + [p for p in extra_adopt if p not in (adopt or [])]
            prepared = validate(desired, owner, state, adopt, purge, paths)
    if state == "gathered":
        gathered, foreign = gather(actual, owner, all_paths)
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
    if found is not None:
        result.update(found)
    if not ops:
        # Nothing to do: the router, as read, already matches.
        result["converged"] = True
        result["still_to_do"] = []
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
        # The gate of a check run judges the plan: the router as the plan would leave it plans nothing more.
        # Planned from the rows already read, so the judgement costs no second read.
        result.update(_judged(transport, desired, plan_mod.predict(actual, ops), owner, state, adopt, purge, paths,
                              placement, prepared, pending))
        return result
    apply_plan(transport, ops, actual)
    if verify:
        after = read_state(transport, read_paths, desired)
        judged = _judged(transport, desired, after, owner, state, adopt, purge, paths, placement, prepared, None)
        if not judged["converged"]:
            raise ApplyError("read-back after apply does not match the desired state; still to do: %s"
                             % "; ".join(judged["still_to_do"][:10]), undone=False)
        result.update(judged)
    return result


def _judged(transport: Any, desired: Any, after: Rows, owner: str, state: str, adopt: Optional[Sequence[str]],
            purge: Optional[Mapping[str, Any]], paths: Optional[Sequence[str]], placement: Optional[Mapping[str, str]],
            prepared: Optional[PreparedDesired], pending: Optional[Sequence[Mapping[str, Any]]]) -> Dict[str, Any]:
    """``converged`` (planning again from ``after`` finds nothing to do) and ``still_to_do`` (what it finds, as CLI
    lines): the verdict the playbooks' gates read instead of reading the router a second time."""
    again, _deferred, _warnings = _plan(transport, desired, after, owner, state, adopt, purge, paths, placement, prepared,
                                        pending)
    return {"converged": not again, "still_to_do": cli_mod.render(again, after) if again else []}
