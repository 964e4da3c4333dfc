# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the ``config``, ``facts``, ``lock``, ``confirm`` and ``verify`` modules do, from validated parameters to the result dict.

Two callers share it so they cannot drift apart: the modules' ``main()`` (through ``AnsibleModule``)
and the collection's action plugins, which run it in the controller's own process. A result with
``failed: true`` carries ``msg`` and the extra keys of the failure; ``warnings`` is a list of texts.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import getpass
import os
import socket

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.multiwan.routeros.plugins.module_utils import backup_files
from ansible_collections.multiwan.routeros.plugins.module_utils import registry
from ansible_collections.multiwan.routeros.plugins.module_utils import confirm as confirm_mod
from ansible_collections.multiwan.routeros.plugins.module_utils import lock as lock_mod
from ansible_collections.multiwan.routeros.plugins.module_utils import packed
from ansible_collections.multiwan.routeros.plugins.module_utils import verify as verify_mod
from ansible_collections.multiwan.routeros.plugins.module_utils.connection import (
    connection_argument_spec,
    connection_warnings,
    missing_connection_params,
)
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.errors import (
    ApplyError,
    EngineError,
    PlanError,
)
from ansible_collections.multiwan.routeros.plugins.module_utils.engine import schema as schema_mod
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.desired import involved_paths, validate
from ansible_collections.multiwan.routeros.plugins.module_utils.compile import dispatch
from ansible_collections.multiwan.routeros.plugins.module_utils.compile import transit_srcnat
from ansible_collections.multiwan.routeros.plugins.module_utils.intent import durations
from ansible_collections.multiwan.routeros.plugins.module_utils.intent.validate import checked as checked_intent
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.device.run import reconcile
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.offline import (
    parse_offline,
    render_offline,
)
from ansible_collections.multiwan.routeros.plugins.module_utils.transport.factory import (
    missing_library,
    open_transport,
)

CONFIG_STATES = ["merged", "replaced", "overridden", "deleted", "gathered", "rendered", "parsed"]
# The keys of a planned operation a summarised plan keeps: what it does to which entry, and the flags a warning or a
# summary counts. The entry's fields, before and after are left out: on a large reconcile they are most of the result,
# and Ansible scans every value of a result for secrets (the cost grows with the entries, not with what a user reads).
SUMMARY_KEYS = ("op", "path", "key", "id", "adopted", "purged", "copied_tag")
FACTS_ITEMS = ["identity", "version", "export"]
# The fact the compile module sets: every role's desired state and the digest of the intent it was compiled from.
COMPILED_FACT = "multiwan_compiled"
# The roles phase 75 runs again (playbooks/tasks/cleanup.yml), the latest first: every role of the kind until a gate of
# the run sets it to those whose removals waited (plugins/plugin_utils/gate.py).
CLEANUP_FACT = "multiwan_cleanup_roles"
# The facts the gates set (plugins/plugin_utils/gate.py): the run summary, and in check mode the plans of the phases so
# far; the verification gate's last probe (plugins/action/verify.py); the run lock's (plugins/action/lock.py).
SUMMARY_FACT = "multiwan_phase_summary"
PENDING_FACT = "multiwan_pending_plan"
VERIFIED_FACT = "multiwan_verified"
LOCK_RUN_ID_FACT = "multiwan_lock_run_id"
LOCK_HELD_FACT = "multiwan_lock_held"
CONFIRM_ARMED_FACT = "multiwan_confirm_armed"
# The facts of one run, which the compile module (the run's first task) starts afresh: module results are host facts,
# which a fact cache would otherwise carry over from an earlier run (its phases, its plans, its probe, its lock).
RUN_FACTS = {SUMMARY_FACT: [], PENDING_FACT: None, VERIFIED_FACT: None,
             LOCK_RUN_ID_FACT: None, LOCK_HELD_FACT: False, CONFIRM_ARMED_FACT: False}


def config_spec():
    """``(argument_spec, validator keywords)`` of the config module."""
    argument_spec = connection_argument_spec()
    argument_spec.update(
        desired=dict(type="dict", default={}),
        # Filled in by the action plugin, from the host's intent (plugins/plugin_utils/host_intent.py).
        from_intent=dict(type="bool", default=False),
        owner=dict(type="str", required=True),
        state=dict(type="str", default="merged", choices=CONFIG_STATES),
        adopt=dict(type="list", elements="str", default=[]),
        purge=dict(type="dict", default={}),
        paths=dict(type="list", elements="str", default=[]),
        placement=dict(type="dict", default={}),
        running_config=dict(type="str"),
        pending=dict(type="list", elements="dict"),
        detail=dict(type="bool", default=False),
        # Judged by the action plugin (plugins/plugin_utils/gate.py), in the controller's process that has the facts.
        gate=dict(type="str"),
        transit_srcnat=dict(type="dict"),
        require=dict(type="dict"),
    )
    return argument_spec, dict(required_if=[("state", "parsed", ["running_config"])])


def facts_spec():
    """``(argument_spec, validator keywords)`` of the facts module."""
    argument_spec = connection_argument_spec()
    argument_spec.update(
        gather=dict(type="list", elements="str", choices=FACTS_ITEMS, default=["identity", "version"]),
        export_terse=dict(type="bool", default=False),
        backup_dir=dict(type="path"),
        backup_name=dict(type="str"),
        backup_keep=dict(type="int", default=0),
    )
    return argument_spec, dict(required_by={"backup_dir": ["backup_name"]})


def lock_spec():
    """``(argument_spec, validator keywords)`` of the lock module."""
    argument_spec = connection_argument_spec()
    argument_spec.update(
        name=dict(type="str", default=lock_mod.DEFAULT_NAME),
        state=dict(type="str", default="acquired", choices=["acquired", "released"]),
        # Required; with from_run the action plugin fills it in from the run's variables.
        run_id=dict(type="str"),
        holder=dict(type="str"),
        lock_timeout=dict(type="int", default=lock_mod.DEFAULT_TIMEOUT),
        force=dict(type="bool", default=False),
        # Commit-confirm in the same session: armed right after the lock is taken, disarmed right before it is released.
        arm=dict(type="str"),
        disarm=dict(type="bool", default=False),
        kind=dict(type="str", default="core", choices=["core", "edge"]),
        # Read by the action plugin, which has the run's variables.
        from_run=dict(type="bool", default=False),
    )
    return argument_spec, {}


def confirm_spec():
    """``(argument_spec, validator keywords)`` of the confirm module."""
    argument_spec = connection_argument_spec()
    argument_spec.update(
        name=dict(type="str", default=confirm_mod.DEFAULT_NAME),
        state=dict(type="str", default="armed", choices=["armed", "disarmed"]),
        run_id=dict(type="str", required=True),
        timer=dict(type="str", default=durations.DEFAULT),
        kind=dict(type="str", default="core", choices=["core", "edge"]),
        lock_name=dict(type="str", default=lock_mod.DEFAULT_NAME),
    )
    return argument_spec, {}


def verify_spec():
    """``(argument_spec, validator keywords)`` of the verify module."""
    argument_spec = connection_argument_spec()
    argument_spec.update(
        # The action plugin fills intent and kind in from the host's variables when the task leaves them out.
        intent=dict(type="dict"),
        kind=dict(type="str", choices=["core", "edge"]),
        count=dict(type="int", default=3),
        interval=dict(type="str", default="200ms"),
        max_hops=dict(type="int", default=1),
        report_only=dict(type="bool", default=False),
        # Judged by the action plugin, which has the run's facts.
        gate=dict(type="str"),
        reuse=dict(type="bool", default=False),
        validate_run=dict(type="bool", default=False),
    )
    return argument_spec, {}


def compile_spec():
    """``(argument_spec, validator keywords)`` of the compile module (no connection: it contacts no router)."""
    # No defaults: the action plugin fills each option the task leaves out from the host's variables.
    argument_spec = dict(
        intent=dict(type="dict"),
        kind=dict(type="str", choices=["core", "edge"]),
        variables=dict(type="list", elements="str"),
    )
    return argument_spec, {}


def run_compile(params, check_mode=False):
    """Validate a router's intent (every violation, with its variable path) and compile every role of its kind. The
    result's fact ``multiwan_compiled`` is what the ``config`` action's ``from_intent`` reuses for the rest of the run."""
    del check_mode
    if params["intent"] is None:
        return _failure("intent is required when the module runs without its action plugin")
    kind = params["kind"] or "core"
    intent, problems = checked_intent(params["intent"], kind, params["variables"] or [])
    if problems:
        return _failure("Invalid %s intent (no router was contacted): %s" % (kind, problems), problems=problems)
    compiled = dispatch.compile_router(params["intent"], kind, intent)
    # What the verification gate probes, planned once too (verify's action takes it while the intent is unchanged).
    compiled["probes"] = verify_mod.plan_as_dict(verify_mod.plan_for(kind, params["intent"], intent, compiled["desired"]))
    counts = dict((role, sum(len(entries) for entries in desired.values())) for role, desired in compiled["desired"].items())
    # Each role's desired state as JSON text (module_utils/packed.py), parsed by the reconcile that takes it.
    compiled["desired"] = dict((role, packed.pack(desired)) for role, desired in compiled["desired"].items())
    facts = dict(RUN_FACTS, **{COMPILED_FACT: compiled})
    # What phase 75 runs again until a gate of this run says which roles left removals waiting (the phase run alone):
    # every role of the kind's rollout, the latest first.
    facts[CLEANUP_FACT] = [phase.role for phase in reversed(registry.reconciling_phases(kind))]
    return dict(changed=False, msg="The %s intent is valid: %s" % (kind, ", ".join("%s %d entries" % item for item in counts.items())),
                entries=counts, ansible_facts=facts)


def _failure(msg, **extra):
    result = dict(extra)
    result.update(failed=True, msg=msg)
    return result


def _connection_failure(params):
    """A failure when the run cannot connect at all (options or client library missing), else None."""
    missing = missing_connection_params(params)
    if missing:
        return _failure("missing required arguments: %s" % ", ".join(missing))
    lib = missing_library(params["transport"])
    if lib:
        return _failure(missing_required_lib(lib[0]), exception=str(lib[1]))
    return None


def run_config(params, check_mode, diff):
    """One run of the config module with validated ``params``."""
    state = params["state"]
    if params["from_intent"] and not params["desired"]:
        # The action plugin fills desired in; run without it, an empty desired state would remove every owned entry.
        return _failure("from_intent needs the collection's action plugin (it reads the host's intent); nothing was written")
    try:
        if state == "rendered":
            result = render_offline(params["desired"], params["owner"], params["paths"], params["placement"])
        elif state == "parsed":
            result = parse_offline(params["running_config"], params["owner"], params["paths"] or None)
        else:
            result = _reconcile_on_device(params, state, check_mode)
    except PlanError as exc:
        return _failure("invalid input, nothing was written: %s" % exc, problems=exc.problems)
    except ApplyError as exc:
        return _failure(str(exc), undone=exc.undone, router_message=exc.router_message)
    except (EngineError, ValueError) as exc:
        return _failure(str(exc))
    left = transit_srcnat.reasons(result, fixed=False)
    if left:
        result.setdefault("warnings", []).append(
            "foreign source-NAT rule(s) toward the core NOT fixed (set multiwan_edge.fix_transit_srcnat: true): %s"
            % "; ".join(left))
    if not diff:
        result.pop("diff", None)
    if state not in ("rendered", "parsed") and not (params["detail"] or check_mode or diff):
        # Check mode keeps the whole plan: a later phase's pending is made of it; diff mode shows it.
        for name in ("plan", "deferred"):
            if name in result:
                result[name] = summarised(result[name])
    return result


def summarised(ops):
    """Planned operations (as the result holds them) cut down to ``SUMMARY_KEYS``."""
    return [dict((key, op[key]) for key in SUMMARY_KEYS if key in op) for op in ops]


def require_failure(require):
    """A failure when ``require`` is not path -> list of mappings of that path's fields (before any connection)."""
    involved_paths(paths=list(require))
    for path, entries in require.items():
        if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
            return _failure("require must map each path to a list of field mappings; nothing was written")
        unknown = sorted(set(name for entry in entries for name in entry if not str(name).startswith("_"))
                         - set(schema_mod.get(path).fields))
        if unknown:
            return _failure("require[%s]: %s not a field of that menu that every transport reads; nothing was written"
                            % (path, ", ".join(unknown) + (" is" if len(unknown) == 1 else " are")))
    return None


def _reconcile_on_device(params, state, check_mode):
    # Bad input fails here, before any connection is opened.
    prepared = validate(params["desired"], params["owner"], state, params["adopt"], params["purge"], params["paths"])
    failure = require_failure(params["require"] or {})
    if failure:
        return failure
    from_router = None
    if params["transit_srcnat"] is not None:
        if not params["transit_srcnat"].get("transit_interface"):
            return _failure("transit_srcnat must be the multiwan_edge mapping, with transit_interface; nothing was written")
        from_router = transit_srcnat.TransitSrcnat(params["transit_srcnat"])
    failure = _connection_failure(params)
    if failure:
        return failure
    transport = open_transport(params)
    try:
        result = reconcile(transport, params["desired"], params["owner"], state, params["adopt"], params["purge"],
                           params["paths"], params["placement"], check_mode=check_mode, prepared=prepared,
                           pending=params["pending"], from_router=from_router, require=params["require"])
    finally:
        transport.close()
    result["warnings"] = connection_warnings(params) + result.get("warnings", [])
    return result


def read_export(transport, terse, check_mode):
    """The router's ``/export``. In check mode through the transport's way that writes nothing on the router:
    over the API the usual way writes a temporary file, which a read-only account or a full disk refuses."""
    if check_mode:
        return transport.export_read_only(terse=terse)
    return transport.export(terse=terse)


def gather_facts(transport, gather, export_terse, check_mode=False):
    """Read what ``gather`` asks for over an open transport."""
    result = {}
    if "identity" in gather:
        result["identity"] = transport.identity()
    if "version" in gather:
        result["version"] = transport.version()
    if "export" in gather:
        result["export"] = read_export(transport, export_terse, check_mode)
    facts = {}
    if "identity" in result:
        facts["ansible_net_hostname"] = result["identity"]
    if "version" in result:
        facts["ansible_net_version"] = result["version"]
    result["ansible_facts"] = facts
    return result


def run_facts(params, check_mode=False):
    """One run of the facts module with validated ``params``; in check mode nothing at all is written on the router
    (a backup is still saved on the controller)."""
    failure = _connection_failure(params)
    if failure:
        return failure
    if params["backup_keep"] < 0:
        return _failure("backup_keep must be 0 (keep every export) or a positive number (got %d)" % params["backup_keep"])
    gather = list(params["gather"])
    if params["backup_dir"] and "export" not in gather:
        gather.append("export")
    try:
        with open_transport(params) as transport:
            result = gather_facts(transport, gather, params["export_terse"], check_mode)
    except EngineError as exc:
        return _failure("%s: %s" % (params["hostname"], exc))
    if params["backup_dir"]:
        failure = save_backup(result, params)
        if failure:
            return failure
    result["changed"] = False
    result["warnings"] = connection_warnings(params)
    return result


def save_backup(result, params):
    """Save the export of ``result`` on the controller (``backup_file``, ``backup_removed``); a failure, else None."""
    if not result.get("export"):
        return _failure("%s: the router returned an empty /export; refusing to continue without a backup." % params["hostname"])
    # A relative folder is taken from the directory ansible-playbook was started from (the worker processes never
    # change it), never from a playbook's or a role's folder.
    folder = os.path.normpath(os.path.join(os.getcwd(), params["backup_dir"]))
    try:
        result["backup_file"] = backup_files.save_export(folder, params["backup_name"], result["export"],
                                                         datetime.datetime.now(datetime.timezone.utc))
        result["backup_removed"] = backup_files.prune_exports(folder, params["backup_name"], params["backup_keep"])
    except OSError as exc:
        return _failure("cannot save the backup in %s: %s" % (folder, exc))
    result["msg"] = "Saved the /export of %s (RouterOS %s), %d characters, to %s" % (
        result.get("identity", params["hostname"]), result.get("version", "?"), len(result["export"]), result["backup_file"])
    return None


def default_holder():
    """``<user>@<controller>``: who runs ``ansible-playbook`` (the module always runs on the controller)."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return "%s@%s" % (user, socket.gethostname().split(".")[0] or "controller")


def _lock_options(params):
    """The checked lock options, or a failure naming the bad one (before any connection)."""
    if params["run_id"] is None:
        return None, _failure("missing required arguments: run_id (from_run fills it in through the action plugin)")
    try:
        run_id = lock_mod.check_token("run_id", params["run_id"])
        name = lock_mod.check_token("name", params["name"])
        holder = lock_mod.check_token("holder", params.get("holder") or default_holder())
    except ValueError as exc:
        return None, _failure(str(exc))
    if params["lock_timeout"] <= 0:
        return None, _failure("lock_timeout must be a positive number of seconds (got %d)" % params["lock_timeout"])
    timer = None
    if params.get("arm") is not None:
        timer, problem = durations.read_timeout(params["arm"])
        if problem:
            return None, _failure("arm: timer %s" % problem)
    return (name, run_id, holder, timer), None


def run_lock(params, check_mode=False):
    """One run of the lock module with validated ``params``; in check mode nothing is written."""
    options, failure = _lock_options(params)
    if failure:
        return failure
    name, run_id, holder, timer = options
    failure = _connection_failure(params)
    if failure:
        return failure
    confirm = None
    try:
        with open_transport(params) as transport:
            now = datetime.datetime.now(datetime.timezone.utc)
            if params["state"] == "acquired":
                result = lock_mod.acquire(transport, name, run_id, holder, params["lock_timeout"], now, check_mode)
                if timer is not None:
                    confirm = confirm_mod.arm(transport, confirm_mod.DEFAULT_NAME, run_id, timer, params["kind"], name, now,
                                              check_mode)
            else:
                if params["disarm"]:
                    confirm = confirm_mod.disarm(transport, confirm_mod.DEFAULT_NAME, run_id, check_mode)
                result = lock_mod.release(transport, name, run_id, params["force"], check_mode)
    except lock_mod.LockHeld as exc:
        return _failure("%s: %s" % (params["hostname"], exc), lock=lock_mod.as_dict(exc.lock, name))
    except EngineError as exc:
        return _failure("%s: %s" % (params["hostname"], exc))
    result["warnings"] = connection_warnings(params) + result["warnings"]
    if confirm is not None:
        result["warnings"].extend(confirm.pop("warnings", []))
        result["confirm"] = confirm
    return result


def _confirm_options(params):
    """``(name, run_id, lock_name, timer seconds)``, or a failure naming the bad option (before any connection)."""
    try:
        name = lock_mod.check_token("name", params["name"])
        run_id = lock_mod.check_token("run_id", params["run_id"])
        lock_name = lock_mod.check_token("lock_name", params["lock_name"])
    except ValueError as exc:
        return None, _failure(str(exc))
    timer, problem = durations.read_timeout(params["timer"])
    if params["state"] == "armed" and (problem or timer is None):
        return None, _failure("timer %s" % (problem or "switches commit-confirm off: skip the task instead of arming nothing"))
    return (name, run_id, lock_name, timer), None


def run_confirm(params, check_mode=False):
    """One run of the confirm module with validated ``params``; in check mode nothing is written."""
    options, failure = _confirm_options(params)
    if failure:
        return failure
    name, run_id, lock_name, timer = options
    failure = _connection_failure(params)
    if failure:
        return failure
    try:
        with open_transport(params) as transport:
            if params["state"] == "armed":
                result = confirm_mod.arm(transport, name, run_id, timer, params["kind"], lock_name,
                                         datetime.datetime.now(datetime.timezone.utc), check_mode)
            else:
                result = confirm_mod.disarm(transport, name, run_id, check_mode)
    except EngineError as exc:
        return _failure("%s: %s" % (params["hostname"], exc))
    result["warnings"] = connection_warnings(params) + result["warnings"]
    return result


def run_verify(params, check_mode=False, plan=None):
    """One run of the verify module with validated ``params``. It only reads and probes, so check mode runs the
    same; ``failed`` when a check fails, unless ``report_only``. ``plan``: the probes planned from the same intent
    already (the run's compile fact), else planned here."""
    del check_mode
    if params["intent"] is None:
        return _failure("intent is required when the module runs without its action plugin")
    params = dict(params, kind=params["kind"] or "core")
    if params["count"] < 1 or params["max_hops"] < 1:
        return _failure("count and max_hops must be at least 1 (got %d and %d)" % (params["count"], params["max_hops"]))
    try:
        # Bad intent fails here, before any connection is opened.
        plan = plan if plan is not None else verify_mod.plan_for(params["kind"], params["intent"])
    except ValueError as exc:
        return _failure("invalid intent, nothing was probed: %s" % exc)
    failure = _connection_failure(params)
    if failure:
        return failure
    try:
        with open_transport(params) as transport:
            identity = transport.identity()
            rows = verify_mod.verify(transport, plan, params["count"], params["interval"], params["max_hops"])
    except EngineError as exc:
        return _failure("%s: %s" % (params["hostname"], exc))
    problems = verify_mod.summary(rows)
    verdict = "ok" if not problems else "%d problem%s" % (len(problems), "" if len(problems) == 1 else "s")
    table = verify_mod.render_table(rows, "%s (%s, %s): %s" % (identity, params["hostname"], params["kind"], verdict))
    result = dict(changed=False, rows=rows, table=table, table_lines=table.splitlines(), problems=problems,
                  notes=verify_mod.summary(rows, "notes"), ok=not problems, warnings=connection_warnings(params))
    if problems and not params["report_only"]:
        result.update(failed=True)
    result["msg"] = table
    return result


def exit_module(module, result):
    """End an ``AnsibleModule`` run with a result of ``run_config``/``run_facts``."""
    for warning in result.pop("warnings", []):
        module.warn(warning)
    if result.pop("failed", False):
        module.fail_json(**result)
    module.exit_json(**result)
