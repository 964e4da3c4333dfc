# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The gate after a rollout phase, judged by the ``config`` action plugin on the result of the phase's reconcile.

The config module verifies its own result in the same connection (``converged``, ``still_to_do``): an apply run read
the router back after its writes and planned again; a check run planned again from the router as its plan (and the
plans of the phases before it, ``pending``) would leave it. The gate judges that verdict in the task that reconciled,
so a phase costs no task of its own for it: it stops the run on a phase that did not converge, records the phase in
the run summary (``multiwan_phase_summary``) and, in check mode, hands the phase's plan to the next phases
(``multiwan_pending_plan``), so they plan as they will in the apply run.

Pure functions of the module's result, but ``write_summary``, which writes the run summary's file on the controller.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

from ansible_collections.multiwan.routeros.plugins.module_utils import packed
from ansible_collections.multiwan.routeros.plugins.module_utils.compile.transit_srcnat import reasons as transit_srcnat_reasons
from ansible_collections.multiwan.routeros.plugins.module_utils.runs import CLEANUP_FACT, PENDING_FACT as PENDING
from ansible_collections.multiwan.routeros.plugins.module_utils.runs import SUMMARY_FACT as SUMMARY

# Where the run summary is written for scripts (<folder>/<host>.json), relative to the directory ansible-playbook was
# started from; unset, none is written.
SUMMARY_DIR = "multiwan_summary_dir"
SUMMARY_STAT = "multiwan_summary"
OPS = ("add", "set", "remove", "move")


def stop_message(phase, result, check_mode):
    """Why the run stops after ``phase``: what is left, or the module's own message when it gave no verdict."""
    if check_mode:
        what = "the plan of phase %s would not converge" % phase
    else:
        what = "after phase %s the router still differs from the intent" % phase
    left = result.get("still_to_do")
    detail = left if left is not None else result.get("msg", "no verdict from the role")
    return "STOP: %s (%d operations left): %s. Roll back with the export saved by phase 00 if needed." % (
        what, len(left or []), detail)


def verdict_lines(phase, result, check_mode):
    """What the gate reports when the phase converged: the verdict, then the phase's RouterOS commands (for the change
    ticket)."""
    plan = result.get("plan") or []
    if check_mode:
        verdict = ("Check mode: phase %s plans %d operations, and the router as they would leave it matches the intent"
                   % (phase, len(plan)))
    else:
        verdict = "Phase %s converged: the read-back matches the intent" % phase
    deferred = result.get("deferred") or []
    if deferred:
        verdict += "; %d removal(s) wait until nothing uses them (phase 75)" % len(deferred)
    fixed = transit_srcnat_fixed(result)
    if fixed:
        verdict += "; %s" % fixed
    return [verdict] + list(result.get("commands") or [])


def transit_srcnat_fixed(result):
    """What a reconcile with ``transit_srcnat`` and ``fix_transit_srcnat`` disables, as a line ("" when nothing)."""
    fixed = transit_srcnat_reasons(result, fixed=True)
    return "disabling the foreign source-NAT rule(s) toward the core: %s" % "; ".join(fixed) if fixed else ""


def summary_entry(phase, role, result):
    """The phase's line in the run summary: what it planned, per kind of operation, and its commands."""
    plan = result.get("plan") or []
    entry = {"phase": phase, "role": role, "changed": bool(result.get("changed", False))}
    for op in OPS:
        entry[op] = sum(1 for item in plan if item.get("op") == op)
    entry["deferred"] = len(result.get("deferred") or [])
    entry["copied_tags"] = sum(1 for item in plan if "copied_tag" in item)
    if "transit_srcnat" in result:
        # An edge's foreign source-NAT rules toward the core that the run leaves enabled (phase 80 reports them).
        entry["transit_srcnat_left"] = transit_srcnat_reasons(result, fixed=False)
    entry["commands"] = list(result.get("commands") or [])
    return entry


# What a later phase's plan needs of an operation to predict the router after it (engine/plan.py, ``predict``): an add's
# row (``after``), a set's ``fields`` (and its row, for a settings menu), where an add or a move goes. The entry before
# the operation, its flags and an add's ``fields`` (its row again) would only make the fact bigger, and every later
# task pays for the size of the facts it hands back.
PENDING_KEYS = {"add": ("op", "path", "key", "handle", "after", "place_before"),
                "set": ("op", "path", "key", "id", "fields", "after"),
                "remove": ("op", "path", "key", "id"),
                "move": ("op", "path", "key", "id", "destination")}


def pending_ops(plan):
    """The operations of ``plan`` cut down to what a later phase's plan needs of them (``PENDING_KEYS``)."""
    return [dict((key, op[key]) for key in PENDING_KEYS.get(op.get("op"), op) if key in op) for op in plan]


def deferred_roles(phases):
    """The roles whose removals waited in ``phases`` (the run summary), the latest first: what phase 75 runs again."""
    roles = []
    for entry in reversed(phases):
        if entry.get("deferred") and entry["role"] not in roles:
            roles.append(entry["role"])
    return roles


def gate_facts(phase, role, result, check_mode, summary, pending):
    """The facts the gate sets when the phase converged: the summary with the phase's line, the roles phase 75 runs
    again and, in check mode, the pending plan with the phase's plan (an apply run's modules ignore it)."""
    phases = list(summary or []) + [summary_entry(phase, role, result)]
    facts = {SUMMARY: phases, CLEANUP_FACT: deferred_roles(phases)}
    if check_mode:
        # As JSON text (module_utils/packed.py): every later task copies the facts.
        facts[PENDING] = packed.pack(list(packed.unpack(pending) or []) + pending_ops(result.get("plan") or []))
    return facts


def unchanged_since(verified, summary, check_mode):
    """Whether the router is as it was when the run last probed it (``verified``, the fact the verification gate set):
    a check run writes nothing, an apply run has changed nothing when no phase since reported a change."""
    if not isinstance(verified, dict) or "result" not in verified:
        return False
    return check_mode or not any(entry.get("changed") for entry in list(summary)[verified.get("phases", 0):])


def verification_lines(result, check_mode, host):
    """What the verification gate reports: the per-WAN table, then why it stops (apply run), or that a check run goes
    on although it found problems (the router as it is now, before the planned changes), then the notes."""
    lines = list(result.get("table_lines") or [])
    if result.get("ok"):
        return lines + list(result.get("notes") or [])
    if check_mode:
        return lines + ["check run: the router as it is now, before the planned changes; problems are reported, not stopping"] \
            + list(result.get("problems") or []) + list(result.get("notes") or [])
    return ["STOP: %s does not forward as the intent says; fix it or roll back (playbooks/rollback.yml). Commit-confirm, when "
            "armed, reverts this run by itself." % host] + lines + list(result.get("problems") or [])


def run_problems(kind_roles, phases, compiled):
    """What phase 80 of a rollout finds wrong with the run (``tasks/validated.yml``): a role of the router kind's rollout
    that no gate of this run verified (``phases``, the run summary), then the problems of the compiled design
    (``compiled``, the fact ``multiwan_compiled``; without it the intent was not compiled in this run)."""
    verified = set(entry.get("role") for entry in phases)
    problems = ["%s was not verified by a gate in this run (run playbooks/80_validation.yml)" % role
                for role in kind_roles if role not in verified]
    if not isinstance(compiled, dict) or "design" not in compiled:
        return problems + ["the intent was not compiled in this run (tasks/intent.yml runs first)"]
    return problems + list(compiled["design"].get("problems") or [])


def transit_srcnat_left(phases):
    """The foreign source-NAT rules toward the core that the run's phase 40 left enabled (their reasons)."""
    return [reason for entry in phases for reason in entry.get("transit_srcnat_left") or []]


def run_lines(host, kind_roles, compiled, check_mode, edge=None):
    """What phase 80 reports when the run passed: every role of the kind was verified by its gate, and the design;
    on an edge (``edge``: its ``internet_interface``, and the reasons of the foreign source-NAT rules toward the core
    left enabled, ``offenders``), where it masquerades and what NATs toward the core."""
    lines = ["%s%s matches the intent for %s (each read back by its gate in this run)"
             % (host, " (as the planned phases would leave it)" if check_mode else "", ", ".join(kind_roles))]
    design = compiled["design"]
    if edge is not None:
        offenders = edge["offenders"]
        lines.append("managed masquerade only out of %s; %d foreign source-NAT rule(s) toward the core left enabled%s"
                     % (edge["internet_interface"], len(offenders), (": %s" % "; ".join(offenders)) if offenders else ""))
    else:
        lines.append("routing marks %s all have a table; %d FastTrack rule(s), all limited to connection-mark=no-mark"
                     % (", ".join(design.get("routing_marks") or []) or "(none)", len(design.get("fasttrack_marks") or [])))
    return lines


def summary_lines(phases, check_mode):
    """The run summary for the operator, one line per phase: what changed (in check mode: what would change)."""
    if check_mode:
        lines = ["What would change per phase (check mode: nothing was written):"]
    else:
        lines = ["What changed per phase:"]
    for entry in phases:
        line = "%s: %d add, %d set, %d remove, %d move" % (
            entry["phase"], entry["add"], entry["set"], entry["remove"], entry["move"])
        if entry.get("deferred"):
            line += ", %d removal(s) waiting" % entry["deferred"]
        if entry.get("copied_tags"):
            line += ", %d removed for a copied owner tag (see the warnings)" % entry["copied_tags"]
        lines.append(line)
    return lines


def summary_stats(host, check_mode, phases):
    """The job statistic of the run summary (AWX shows it): the counts per phase, without the commands; aggregated over
    the hosts, as ``ansible.builtin.set_stats`` with ``per_host: false`` and ``aggregate: true`` publishes it."""
    counts = [dict((key, value) for key, value in entry.items() if key != "commands") for entry in phases]
    return {"data": {SUMMARY_STAT: {host: {"check_mode": check_mode, "phases": counts}}}, "per_host": False, "aggregate": True}


def write_summary(folder, host, check_mode, phases):
    """``<folder>/<host>.json``: the run summary for scripts; a relative ``folder`` is taken from the directory
    ansible-playbook was started from (the worker processes never change it)."""
    folder = os.path.normpath(os.path.join(os.getcwd(), os.path.expanduser(str(folder))))
    os.makedirs(folder, mode=0o755, exist_ok=True)
    path = os.path.join(folder, "%s.json" % host)
    # Written aside, then renamed over the file: a script never reads half a summary.
    partial = "%s.partial" % path
    with open(partial, "w", encoding="utf-8") as handle:
        json.dump({"host": host, "check_mode": check_mode, "phases": phases}, handle, indent=4, sort_keys=True)
        handle.write("\n")
    os.replace(partial, path)
    return path
