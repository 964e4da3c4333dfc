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

Pure functions of the module's result: no I/O.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

SUMMARY = "multiwan_phase_summary"
PENDING = "multiwan_pending_plan"
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
    return [verdict] + list(result.get("commands") or [])


def summary_entry(phase, role, result):
    """The phase's line in the run summary: what it planned, per kind of operation, and its commands."""
    plan = result.get("plan") or []
    entry = {"phase": phase, "role": role, "changed": bool(result.get("changed", False))}
    for op in OPS:
        entry[op] = sum(1 for item in plan if item.get("op") == op)
    entry["deferred"] = len(result.get("deferred") or [])
    entry["copied_tags"] = sum(1 for item in plan if "copied_tag" in item)
    entry["commands"] = list(result.get("commands") or [])
    return entry


def gate_facts(phase, role, result, check_mode, summary, pending):
    """The facts the gate sets when the phase converged: the summary with the phase's line and, in check mode, the
    pending plan with the phase's plan (an apply run's modules ignore it)."""
    facts = {SUMMARY: list(summary or []) + [summary_entry(phase, role, result)]}
    if check_mode:
        facts[PENDING] = list(pending or []) + list(result.get("plan") or [])
    return facts
