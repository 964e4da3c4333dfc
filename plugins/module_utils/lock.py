# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The run lock: one ``/system/script`` entry that an apply run holds on the router while it writes.

RouterOS refuses a second script with the same name (``failure: item with this name already exists``),
so adding the entry is an atomic test-and-set on the router itself, whichever controller runs. The
entry's comment says who holds it, visible with ``/system script print where name=multiwan-lock``::

    multiwan run lock: holder=alice@ctl run_id=20260121T011752Z-4711 started=2026-01-21T01:17:52Z expires=2026-01-21T01:47:52Z

A lock whose ``expires`` has passed is stale (its run died without releasing it): the next run
takes it over, with a warning naming the old holder. Times are the controllers' UTC clocks.

The decisions are pure functions of the entry read and the time; ``acquire`` and ``release`` do the
I/O through a transport (one read, then the writes the decision needs).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import datetime
import re
from typing import List, Optional, Tuple

from ansible_collections.multiwan.routeros.plugins.module_utils.engine.device.commands import commands_for
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.errors import EngineError
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.operation import Operation

PATH = "/system/script"
DEFAULT_NAME = "multiwan-lock"
DEFAULT_TIMEOUT = 1800
COMMENT_PREFIX = "multiwan run lock:"
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
# Words of the comment are split on spaces, so the values carry none.
_TOKEN = re.compile(r"^[A-Za-z0-9_.:@+-]+$")
_FIELDS = ("holder", "run_id", "started", "expires")

Lock = collections.namedtuple("Lock", _FIELDS)


class LockHeld(EngineError):
    """Another run holds a lock that is not stale (or a foreign script has the lock's name)."""

    def __init__(self, message, lock=None):
        super(LockHeld, self).__init__(message)
        self.lock = lock


def check_token(option: str, value: str) -> str:
    """``value`` when it can be one word of the comment; ValueError naming ``option`` otherwise."""
    text = "" if value is None else str(value)
    if not _TOKEN.match(text):
        raise ValueError("%s must be one word of letters, digits and _ . : @ + - (got %r)" % (option, text))
    return text


def utc_text(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.timezone.utc).strftime(TIME_FORMAT)


def _parse_time(text: str) -> Optional[datetime.datetime]:
    try:
        return datetime.datetime.strptime(text, TIME_FORMAT).replace(tzinfo=datetime.timezone.utc)
    except ValueError:
        return None


def new_lock(holder: str, run_id: str, now: datetime.datetime, timeout: int) -> Lock:
    return Lock(holder, run_id, now.replace(microsecond=0), now.replace(microsecond=0) + datetime.timedelta(seconds=timeout))


def lock_comment(lock: Lock) -> str:
    return "%s holder=%s run_id=%s started=%s expires=%s" % (
        COMMENT_PREFIX, lock.holder, lock.run_id, utc_text(lock.started), utc_text(lock.expires))


def parse_comment(text: Optional[str]) -> Optional[Lock]:
    """The lock a script comment describes, or None when it is not a lock comment (a foreign script)."""
    text = (text or "").strip()
    if not text.startswith(COMMENT_PREFIX):
        return None
    values = {}
    for word in text[len(COMMENT_PREFIX):].split():
        key, sep, value = word.partition("=")
        if sep and key in _FIELDS and value:
            values[key] = value
    if set(values) != set(_FIELDS):
        return None
    started, expires = _parse_time(values["started"]), _parse_time(values["expires"])
    if started is None or expires is None:
        return None
    return Lock(values["holder"], values["run_id"], started, expires)


def is_stale(lock: Lock, now: datetime.datetime) -> bool:
    return now >= lock.expires


def describe(lock: Lock) -> str:
    """``alice@ctl (run 42, started ..., stale from ...)``: who holds it, for messages."""
    return "%s (run %s, started %s, stale from %s)" % (lock.holder, lock.run_id, utc_text(lock.started), utc_text(lock.expires))


def as_dict(lock: Optional[Lock], name: str) -> Optional[dict]:
    if lock is None:
        return None
    return {"name": name, "holder": lock.holder, "run_id": lock.run_id,
            "started": utc_text(lock.started), "expires": utc_text(lock.expires)}


def held_message(name: str, lock: Optional[Lock]) -> str:
    if lock is None:
        return ("/system script %s exists but is not a multiwan run lock (its comment does not describe one): "
                "nothing was written; rename or remove that script, or give the lock another name" % name)
    return ("the run lock %s is held by %s: another apply run is writing to this router, nothing was written; "
            "wait for it to end, or, if it ended without releasing the lock, release it (state=released with its "
            "run_id, or force=true) or wait until it is stale" % (name, describe(lock)))


# Decisions ---------------------------------------------------------------------------------------

ACQUIRE = "acquire"        # no lock: add it
HELD = "held"              # this run holds it already: nothing to do
TAKE_OVER = "take_over"    # a stale lock: remove it, add ours
CONFLICT = "conflict"      # another run holds it (or a foreign script has the name)

RELEASE = "release"        # remove it
ABSENT = "absent"          # no lock: nothing to do
OTHER = "other"            # held by another run: left in place


def acquire_decision(row: Optional[dict], run_id: str, now: datetime.datetime) -> Tuple[str, Optional[Lock]]:
    """What acquiring means given the lock's script ``row`` (None: no such script)."""
    if row is None:
        return ACQUIRE, None
    lock = parse_comment(row.get("comment"))
    if lock is None:
        return CONFLICT, None
    if lock.run_id == run_id:
        return HELD, lock
    if is_stale(lock, now):
        return TAKE_OVER, lock
    return CONFLICT, lock


def release_decision(row: Optional[dict], run_id: str, force: bool = False) -> Tuple[str, Optional[Lock]]:
    """What releasing means; a foreign script of the lock's name is never removed, even with ``force``."""
    if row is None:
        return ABSENT, None
    lock = parse_comment(row.get("comment"))
    if lock is None:
        return OTHER, None
    if lock.run_id == run_id or force:
        return RELEASE, lock
    return OTHER, lock


# I/O ---------------------------------------------------------------------------------------------

def read_lock_row(transport, name: str) -> Optional[dict]:
    """The script named ``name`` (with its ``.id``), or None; one read of ``/system/script``."""
    rows = transport.read([PATH], {PATH: [".id", "name", "comment"]})[PATH]
    for row in rows:
        if row.get("name") == name:
            return row
    return None


def _run(transport, ops: List[Operation], actual: dict):
    commands, lines = commands_for(ops, actual, prefer_ids=True)
    return transport.execute(commands), lines


def _remove_op(row: dict) -> Operation:
    return Operation("remove", PATH, id=row[".id"], before={"name": row.get("name")})


def acquire(transport, name: str, run_id: str, holder: str, timeout: int, now: datetime.datetime,
            check_mode: bool = False) -> dict:
    """Take the lock for ``run_id``; raises LockHeld when another run holds it and it is not stale."""
    row = read_lock_row(transport, name)
    decision, current = acquire_decision(row, run_id, now)
    if decision == HELD:
        return {"changed": False, "lock": as_dict(current, name), "previous": None, "commands": [], "warnings": []}
    if decision == CONFLICT:
        raise LockHeld(held_message(name, current), current)
    lock = new_lock(holder, run_id, now, timeout)
    ops = []
    warnings = []
    if decision == TAKE_OVER:
        ops.append(_remove_op(row))
        warnings.append("run lock %s: took over the stale lock of %s" % (name, describe(current)))
    ops.append(Operation("add", PATH, fields={"name": name, "comment": lock_comment(lock)}))
    result = {"changed": True, "lock": as_dict(lock, name), "previous": as_dict(current, name), "warnings": warnings}
    actual = {PATH: [row] if row else []}
    if check_mode:
        result["commands"] = commands_for(ops, actual, prefer_ids=True)[1]
        return result
    # One command at a time: a takeover's remove may fail because another run removed the stale lock first
    # (by .id, so it never removes that run's new lock); the add then tells who won.
    lines = []
    for op in ops:
        results, op_lines = _run(transport, [op], actual)
        lines.extend(op_lines)
        if op.verb == "remove" or (results and results[0].ok):
            continue
        winner = acquire_decision(read_lock_row(transport, name), run_id, now)[1]
        raise LockHeld(held_message(name, winner) if winner else "the run lock %s could not be added: %s"
                       % (name, results[0].message if results else "no answer"), winner)
    result["commands"] = lines
    return result


def release(transport, name: str, run_id: str, force: bool = False, check_mode: bool = False) -> dict:
    """Remove the lock when ``run_id`` holds it (any run's lock with ``force``); never a foreign script."""
    row = read_lock_row(transport, name)
    decision, current = release_decision(row, run_id, force)
    result = {"changed": False, "lock": None, "previous": as_dict(current, name), "commands": [], "warnings": []}
    if decision == ABSENT:
        return result
    if decision == OTHER:
        result["lock"] = as_dict(current, name)
        why = "held by " + describe(current) if current else "the script of that name is not a multiwan run lock"
        result["warnings"].append("run lock %s: not released, %s" % (name, why))
        return result
    ops = [_remove_op(row)]
    actual = {PATH: [row]}
    result["changed"] = True
    if current.run_id != run_id:
        result["warnings"].append("run lock %s: force released the lock of %s" % (name, describe(current)))
    if check_mode:
        result["commands"] = commands_for(ops, actual, prefer_ids=True)[1]
        return result
    results, lines = _run(transport, ops, actual)
    result["commands"] = lines
    if not (results and results[0].ok):
        # Gone already (its own run or a force release came first): the lock is not held by this run either way.
        if read_lock_row(transport, name) is not None:
            raise EngineError("run lock %s could not be released: %s" % (name, results[0].message if results else "no answer"))
        result["changed"] = False
    return result
