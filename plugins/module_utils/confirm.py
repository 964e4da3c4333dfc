# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Commit-confirmed runs: a revert armed on the router itself before the first write, disarmed at the end.

RouterOS offers Safe Mode only to an interactive session, so an apply run arms its own safety net: a
``/system/script`` entry (the revert) and a ``/system/scheduler`` entry that runs it once ``timeout`` has
passed, both named ``multiwan-confirm`` by default::

    /system script print where name=multiwan-confirm
    comment: multiwan commit-confirm: run_id=20260121T011752Z-4711 armed=2026-01-21T01:17:52Z timeout=5m

The revert is built from a snapshot of what the run may change, read when it is armed: every entry the
collection owns (its owner tag, ``[mwan:...]``) on the paths the router kind's roles manage, and their
settings singletons. Run on the router, it removes the entries that carry an owner tag then, re-adds the
snapshot's tagged entries at their places (before the foreign entry that followed them), and sets the
settings back. Foreign entries are never removed or changed, and nothing is duplicated: every tagged entry
the run added, changed or kept is removed before the snapshot's are added. The revert also releases the
run lock of its run (the run is over) and leaves its script behind as a marker whose comment says
``reverted``: the next run reports it and removes it.

The final gate of the run disarms it (both entries removed, nothing left behind). When the controller dies,
the connection drops or a gate fails, nobody disarms it and the router reverts when the timer fires.

Durations and comments are pure functions; ``arm`` and ``disarm`` talk to a transport.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import datetime
import re
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from ansible_collections.multiwan.routeros.plugins.module_utils import lock as lock_mod
from ansible_collections.multiwan.routeros.plugins.module_utils import registry
from ansible_collections.multiwan.routeros.plugins.module_utils.engine import cli as cli_mod
from ansible_collections.multiwan.routeros.plugins.module_utils.engine import schema as schema_mod
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.device.commands import commands_for
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.errors import EngineError
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.export import parse_export
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.operation import Operation
from ansible_collections.multiwan.routeros.plugins.module_utils.intent.durations import format_duration

SCRIPT_PATH = "/system/script"
SCHEDULER_PATH = "/system/scheduler"
DEFAULT_NAME = "multiwan-confirm"
COMMENT_PREFIX = "multiwan commit-confirm:"
REVERTED = "reverted"
# Settings singletons a role writes (registry roles list their list paths only): restored field by field.
SETTINGS_PATHS = {registry.COMMON: ("/ip/firewall/connection/tracking",)}
# Matches the owner tag in a comment on the router (RouterOS regular expression, as a CLI string).
TAG_REGEX = r"\[mwan:[a-z0-9_]+:"
# Read besides the export's fields: rows the router made are never snapshot or re-added.
_DYNAMIC_FLAGS = ("dynamic", "builtin", "connect", "dhcp", "default")

Armed = collections.namedtuple("Armed", ("run_id", "armed", "timeout", "state"))


# Comments ----------------------------------------------------------------------------------------

def armed_comment(run_id: str, armed: datetime.datetime, timeout: int) -> str:
    return "%s run_id=%s armed=%s timeout=%s" % (COMMENT_PREFIX, run_id, lock_mod.utc_text(armed), format_duration(timeout))


def parse_comment(text: Optional[str]) -> Optional[Armed]:
    """The armed (or reverted) revert a comment describes; None for a foreign entry of the same name."""
    text = (text or "").strip()
    if not text.startswith(COMMENT_PREFIX):
        return None
    words = text[len(COMMENT_PREFIX):].split()
    state = REVERTED if words and words[0] == REVERTED else "armed"
    values = dict(word.partition("=")[::2] for word in words if "=" in word)
    if not values.get("run_id"):
        return None
    return Armed(values["run_id"], values.get("armed", ""), values.get("timeout", ""), state)


def as_dict(armed: Optional[Armed], name: str) -> Optional[Dict[str, str]]:
    if armed is None:
        return None
    return {"name": name, "run_id": armed.run_id, "armed": armed.armed, "timeout": armed.timeout, "state": armed.state}


# The revert script -------------------------------------------------------------------------------

def managed_paths(kind: str) -> Tuple[List[str], List[str]]:
    """``(list paths, settings paths)`` the roles of a router kind (and the common ones) write."""
    kinds = (kind, registry.COMMON)
    paths: List[str] = []
    for role in registry.ROLES:
        if role.kind in kinds:
            paths.extend(p for p in role.paths if p not in paths)
    settings = [p for k in kinds for p in SETTINGS_PATHS.get(k, ())]
    return schema_mod.dependency_order(paths), settings


def _is_tagged(row: Mapping[str, Any]) -> bool:
    return "[mwan:" in str(row.get("comment") or "")


def _is_dynamic(row: Mapping[str, Any]) -> bool:
    return any(str(row.get(flag, "")).lower() in ("true", "yes") for flag in _DYNAMIC_FLAGS)


def _fields(row: Mapping[str, Any]) -> Dict[str, Any]:
    return dict((k, v) for k, v in row.items() if not k.startswith(".") and k not in _DYNAMIC_FLAGS)


def readd_ops(path: str, rows: Sequence[Mapping[str, Any]]) -> List[Operation]:
    """The ``add`` of every tagged row of the snapshot, in table order; on an ordered path each one goes
    before the foreign row that followed it (foreign rows keep their ``.id``: the collection never
    re-creates them), at the end when none did."""
    spec = schema_mod.get(path)
    visible = [r for r in rows if not _is_dynamic(r)]
    ops = []
    for index, row in enumerate(visible):
        if not _is_tagged(row):
            continue
        anchor = None
        if spec.ordered:
            anchor = next((r.get(".id") for r in visible[index + 1:] if not _is_tagged(r)), None)
        ops.append(Operation("add", path, fields=_fields(row), place_before=anchor))
    return ops


def settings_op(path: str, row: Mapping[str, Any]) -> Optional[Operation]:
    """The ``set`` that gives a settings singleton back every writable value it had (a value the read left
    out is RouterOS's default)."""
    spec = schema_mod.get(path)
    fields = {}
    for name in spec.fields:
        value = row.get(name)
        if value is None:
            value = spec.defaults.get(name)
        if value is not None:
            fields[name] = value
    return Operation("set", path, fields=fields) if fields else None


def _regex_literal(token: str) -> str:
    """A run id (letters, digits, ``_.:@+-``) as a RouterOS regular expression that matches only itself."""
    return token.replace(".", "[.]").replace("+", "[+]")


def _guarded(line: str) -> str:
    """One step of the revert: a failure is counted, the revert goes on with the next step."""
    return ":do { %s } on-error={ :set errors ($errors + 1) }" % line


def revert_source(snapshot: Mapping[str, Sequence[Mapping[str, Any]]], settings: Mapping[str, Mapping[str, Any]],
                  name: str, run_id: str, armed: str, lock_name: str, timeout: str = "") -> str:
    """The revert script's source: back to ``snapshot`` on its paths, then the run's lock and timer gone."""
    find_own = cli_mod.find_expr([("name", name)])
    lines = [
        # First, so that a revert that fails half-way is not run again and again.
        "/system scheduler remove %s" % find_own,
        ":local errors 0",
    ]
    paths = schema_mod.dependency_order(snapshot)
    for path in reversed(paths):
        lines.append(_guarded('%s remove [find where comment~"%s"]' % (schema_mod.cli_path(path), TAG_REGEX.replace("\\", "\\\\"))))
    ops: List[Operation] = []
    for path in paths:
        ops.extend(readd_ops(path, snapshot[path]))
    for path in sorted(settings):
        op = settings_op(path, settings[path])
        if op is not None:
            ops.append(op)
    lines.extend(_guarded(line) for line in commands_for(ops, snapshot, prefer_ids=True)[1])
    lines.extend([
        # The run is over: its lock goes too, so the next run need not wait until the lock is stale.
        _guarded('/system script remove [find where name=%s and comment~"run_id=%s "]'
                 % (cli_mod.quote_always(lock_name), _regex_literal(run_id))),
        '/system script set %s comment=("%s %s run_id=%s armed=%s timeout=%s errors=" . $errors)'
        % (find_own, COMMENT_PREFIX, REVERTED, run_id, armed, timeout or "?"),
        ':log warning ("%s reverted run %s, errors: " . $errors)' % (COMMENT_PREFIX, run_id),
    ])
    return "\n".join(lines) + "\n"


# I/O ---------------------------------------------------------------------------------------------

class ConfirmError(EngineError):
    """Commit-confirm cannot be armed or disarmed safely; nothing of the run's configuration was written."""


def _named(transport: Any, name: str) -> Tuple[Optional[dict], Optional[dict]]:
    """``(script row, scheduler row)`` named ``name``; one batched read."""
    fields = {SCRIPT_PATH: [".id", "name", "comment"], SCHEDULER_PATH: [".id", "name", "comment", "disabled", "interval"]}
    rows = transport.read([SCRIPT_PATH, SCHEDULER_PATH], fields)
    found = []
    for path in (SCRIPT_PATH, SCHEDULER_PATH):
        found.append(next((r for r in rows.get(path) or [] if r.get("name") == name), None))
    return found[0], found[1]


def _execute(transport: Any, ops: List[Operation], actual: Mapping[str, Any]) -> List[str]:
    commands, lines = commands_for(ops, actual, prefer_ids=True)
    for op, res in zip(ops, transport.execute(commands)):
        if not res.ok:
            raise ConfirmError("commit-confirm: %s failed: %s" % (op.describe(), res.message))
    return lines


def _remove(path: str, row: dict) -> Operation:
    return Operation("remove", path, id=row[".id"], before={"name": row.get("name")})


def _snapshot(transport: Any, kind: str) -> Tuple[Dict[str, List[dict]], Dict[str, dict]]:
    paths, settings_paths = managed_paths(kind)
    # Rows as the export shows them (written values only): a re-add from a print would write defaults. One
    # ``/export terse`` that writes nothing covers the unordered paths; the ordered ones are read with their ids
    # too, which the re-added rows' places name.
    rows = parse_export(transport.export_read_only(terse=True), paths)
    ordered = [p for p in paths if schema_mod.get(p).ordered]
    if ordered:
        rows.update(transport.read(ordered, {}) if getattr(transport, "reads_full_rows", False) else transport.read_exported(ordered))
    settings = {}
    if settings_paths:
        read = transport.read(settings_paths, dict((p, sorted(schema_mod.get(p).fields)) for p in settings_paths))
        settings = dict((p, (read.get(p) or [{}])[0]) for p in settings_paths)
    return dict((p, list(rows.get(p) or [])) for p in paths), settings


# The source of the revert: a quoted string (runs of plain characters taken at once; the revert is tens of kilobytes).
_SOURCE = re.compile(r'source=("[^"\\]*(?:\\.[^"\\]*)*"|\S+)')


def _short(line: str) -> str:
    """A command line as the result shows it: the revert's source is summarised, not repeated."""
    return _SOURCE.sub("source=<revert script>", line)


def arm(transport: Any, name: str, run_id: str, timeout: int, kind: str, lock_name: str,
        now: datetime.datetime, check_mode: bool = False) -> Dict[str, Any]:
    """Arm the revert for ``run_id``: nothing to do when this run armed it already (the phases of one run)."""
    script, scheduler = _named(transport, name)
    current = parse_comment(script.get("comment")) if script else None
    warnings: List[str] = []
    ops: List[Operation] = []
    reverted = None
    if script is not None and current is None:
        raise ConfirmError("/system script %s exists but is not a multiwan commit-confirm revert: nothing was written; "
                           "rename or remove that script" % name)
    if scheduler is not None and parse_comment(scheduler.get("comment")) is None:
        raise ConfirmError("/system scheduler %s exists but is not a multiwan commit-confirm timer: nothing was written; "
                           "rename or remove that entry" % name)
    if current is not None and current.state == REVERTED:
        reverted = as_dict(current, name)
        warnings.append("commit-confirm: the router reverted run %s (armed %s, timer %s): its changes were undone "
                        "because the run did not confirm them in time" % (current.run_id, current.armed, current.timeout))
        ops.append(_remove(SCRIPT_PATH, script))
    elif current is not None and current.run_id == run_id:
        return {"changed": False, "armed": dict(as_dict(current, name), fires_after=current.timeout), "reverted": None,
                "commands": [], "warnings": []}
    elif current is not None:
        raise ConfirmError("a commit-confirm revert of run %s (armed %s, timer %s) is armed on this router: its timer "
                           "will undo whatever this run writes; nothing was written. Wait until it fires, or remove "
                           "/system scheduler and /system script %s if that run is known to be over"
                           % (current.run_id, current.armed, current.timeout, name))
    if scheduler is not None:
        # A timer whose revert is gone (removed by hand, or a disarm cut short): it could run nothing useful.
        ops.insert(0, _remove(SCHEDULER_PATH, scheduler))
    armed_at = now.replace(microsecond=0)
    comment = armed_comment(run_id, armed_at, timeout)
    snapshot, settings = _snapshot(transport, kind)
    source = revert_source(snapshot, settings, name, run_id, lock_mod.utc_text(armed_at), lock_name, format_duration(timeout))
    # The script before its timer: the timer never fires without a revert to run.
    ops.append(Operation("add", SCRIPT_PATH, fields={"name": name, "comment": comment, "source": source}))
    ops.append(Operation("add", SCHEDULER_PATH, fields={"name": name, "comment": comment, "interval": format_duration(timeout),
                                                        "on-event": "/system script run %s" % name}))
    fires_at = armed_at + datetime.timedelta(seconds=timeout)
    result = {
        "changed": True,
        "armed": {"name": name, "run_id": run_id, "armed": lock_mod.utc_text(armed_at), "timeout": format_duration(timeout),
                  "state": "armed", "fires_after": format_duration(timeout), "fires_at": lock_mod.utc_text(fires_at),
                  "restores": dict((p, sum(1 for r in rows if _is_tagged(r) and not _is_dynamic(r))) for p, rows in snapshot.items())},
        "reverted": reverted,
        "warnings": warnings,
    }
    actual = {SCRIPT_PATH: [script] if script else [], SCHEDULER_PATH: [scheduler] if scheduler else []}
    if check_mode:
        result["commands"] = [_short(line) for line in commands_for(ops, actual, prefer_ids=True)[1]]
        return result
    result["commands"] = [_short(line) for line in _execute(transport, ops, actual)]
    _check_timer(transport, name, run_id)
    return result


def _check_timer(transport: Any, name: str, run_id: str) -> None:
    """The timer and its revert must now be on the router, enabled, or the run must not write."""
    script, scheduler = _named(transport, name)
    problems = []
    for what, row in (("script", script), ("scheduler entry", scheduler)):
        armed = parse_comment(row.get("comment")) if row else None
        if armed is None or armed.run_id != run_id:
            problems.append("its %s is missing" % what)
    if scheduler is not None and str(scheduler.get("disabled", "")).lower() in ("true", "yes"):
        problems.append("its scheduler entry is disabled")
    if problems:
        raise ConfirmError("commit-confirm could not be armed on the router (%s): refusing to write without it; "
                           "set multiwan_commit_confirm: false to run without a revert" % ", ".join(problems))


def disarm(transport: Any, name: str, run_id: str, check_mode: bool = False) -> Dict[str, Any]:
    """Remove the timer and the revert of ``run_id``; fail when the router reverted the run already."""
    script, scheduler = _named(transport, name)
    current = parse_comment(script.get("comment")) if script else None
    if current is not None and current.run_id == run_id and current.state == REVERTED:
        raise ConfirmError("the router reverted this run (%s) before it confirmed: its timer (%s) fired while the run was "
                           "still writing. Everything it wrote was undone; give it a longer multiwan_commit_confirm and "
                           "run it again" % (run_id, current.timeout))
    ops = []
    for path, row in ((SCHEDULER_PATH, scheduler), (SCRIPT_PATH, script)):
        armed = parse_comment(row.get("comment")) if row else None
        if armed is not None and armed.run_id == run_id:
            ops.append(_remove(path, row))
    result = {"changed": bool(ops), "armed": None, "disarmed": as_dict(current, name) if ops else None, "reverted": None,
              "warnings": []}
    actual = {SCRIPT_PATH: [script] if script else [], SCHEDULER_PATH: [scheduler] if scheduler else []}
    if not ops and current is not None:
        result["warnings"].append("commit-confirm: %s belongs to run %s, not to this run: left in place" % (name, current.run_id))
    if check_mode:
        result["commands"] = commands_for(ops, actual, prefer_ids=True)[1]
        return result
    result["commands"] = _execute(transport, ops, actual) if ops else []
    return result
