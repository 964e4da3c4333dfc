"""``/system/script``, ``/system/scheduler``, ``/import`` and ``/execute`` of the lab router.

Scripts run through the same console interpreter as SSH sessions. The scheduler is driven by the
router's ``tick()`` (the lab server ticks every second): an entry with an ``interval`` fires again
and again (with ``start-time=startup``: one interval after boot, never at boot), ``start-time=startup``
without an interval fires once shortly after the router starts.
"""

import threading
import time
from typing import Any, Dict, Optional, Tuple

from .cli import parse
from .cli.interpreter import CliError, DropSession, Interpreter, QuitSession
from .cli.parser import CliSyntaxError
from .reply import Reply, Trap
from .values import duration_seconds

STARTUP_DELAY = 3.0          # RouterOS runs start-time=startup entries without interval 3 s after boot
SCHEDULER_DELAY_CAP = 0.2    # :delay inside a scheduled script (the tick holds the router lock)
_STATE_ATTR = "_scheduler_state"
DRY_RUN_NEEDS_VERBOSE = "failure: dry-run requires verbose"


# -- running scripts ------------------------------------------------------------------------------
_NESTING = threading.local()
MAX_NESTING = 16


def run_source(router: Any, source: str, user: str = "admin", max_delay: Optional[float] = None) -> Tuple[str, Optional[str]]:
    """Run script text; return (output, error text or None)."""
    depth = getattr(_NESTING, "depth", 0)
    if depth >= MAX_NESTING:
        # a script that runs itself: stop instead of recursing without bound
        return "", "script nesting too deep"
    interp = Interpreter(router, user)
    if max_delay is not None:
        interp.max_delay = max_delay
    _NESTING.depth = depth + 1
    try:
        output = interp.run(source, stop_on_error=True)
    except QuitSession:
        return "", None
    except DropSession:
        return "", "connection dropped (lab fault)"
    finally:
        _NESTING.depth = depth
    return output, interp.last_error


def _script_row(router: Any, ref: str) -> Optional[Dict[str, str]]:
    for row in router.rows("/system/script"):
        if row.get(".id") == ref or row.get("name") == ref:
            return row
    return None


def run_script_item(router: Any, ref: str, user: str = "admin", max_delay: Optional[float] = None) -> Tuple[str, Optional[str]]:
    """``/system script run``: by ``*id`` or name."""
    row = _script_row(router, ref)
    if row is None:
        return "", "no such item"
    _bump(router, "/system/script", row.get(".id", ""))
    return run_source(router, row.get("source", ""), user=user, max_delay=max_delay)


def _bump(router: Any, path: str, item_id: str) -> None:
    bump = getattr(router, "bump_run_count", None)
    if callable(bump) and item_id.startswith("*"):
        try:
            bump(path, int(item_id[1:], 16))
        except ValueError:
            return


def run_event(router: Any, source: str, user: str = "admin") -> Tuple[str, Optional[str]]:
    """``on-event``/netwatch scripts: the name of a ``/system/script`` entry, or script text."""
    text = source.strip()
    if text and _script_row(router, text) is not None:
        return run_script_item(router, text, user=user, max_delay=SCHEDULER_DELAY_CAP)
    return run_source(router, source, user=user, max_delay=SCHEDULER_DELAY_CAP)


# -- import ---------------------------------------------------------------------------------------
class ImportError_(Exception):
    """An ``/import`` failure; ``str()`` is what RouterOS reports."""


def import_file(router: Any, name: str, dry_run: bool = False, user: str = "admin") -> str:
    """``/import file-name=X``: run a stored ``.rsc`` file; raise ImportError_ on failure."""
    reader = getattr(router, "read_file", None)
    text = reader(name) if callable(reader) else None
    if text is None and not name.endswith(".rsc") and callable(reader):
        text = reader(name + ".rsc")
    if text is None:
        raise ImportError_("no such item")
    if dry_run:
        try:
            script = parse(text)
            Interpreter(router, user).precheck(script)
        except CliSyntaxError as exc:
            raise ImportError_(exc.text) from None
        except CliError as exc:
            raise ImportError_(exc.text) from None
        return "Script file loaded successfully"
    output, error = run_source(router, text, user=user)
    if error:
        raise ImportError_(error)
    return (output + "\n" if output and not output.endswith("\n") else output) + "Script file loaded and executed successfully"


# -- scheduler ------------------------------------------------------------------------------------
def _seconds(text: str, default: float = 0.0) -> float:
    try:
        return duration_seconds(text)
    except (ValueError, TypeError):
        return default


def _start_epoch(row: Dict[str, str]) -> Optional[float]:
    start_time = row.get("start-time", "startup")
    if start_time == "startup":
        return None
    date = row.get("start-date", "")
    try:
        if date:
            if "-" in date:
                day = time.strptime(date, "%Y-%m-%d")
            else:
                day = time.strptime(date.title(), "%b/%d/%Y")
            base = time.mktime(day)
        else:
            now = time.localtime()
            base = time.mktime((now.tm_year, now.tm_mon, now.tm_mday, 0, 0, 0, 0, 0, -1))
        return base + _seconds(start_time)
    except (ValueError, OverflowError):
        return None


def scheduler_tick(router: Any, now: float) -> None:
    """Fire the scheduler entries that are due (at most once per entry per tick)."""
    state = getattr(router, _STATE_ATTR, None)
    if state is None:
        state = {}
        setattr(router, _STATE_ATTR, state)
    boot = getattr(router, "boot_time", now)
    try:
        rows = router.rows("/system/scheduler")
    except (KeyError, LookupError):
        return
    seen = set()
    due = []
    for row in rows:
        item_id = row.get(".id", "")
        seen.add(item_id)
        if row.get("disabled") == "true":
            state.pop(item_id, None)
            continue
        interval = _seconds(row.get("interval", "0s"))
        key = (row.get("start-time"), row.get("start-date"), row.get("interval"))
        entry = state.get(item_id)
        if entry is None or entry["key"] != key:
            start = _start_epoch(row)
            if start is None and interval > 0:
                # RouterOS: "If the interval is set to a value other than 0, the scheduler will not
                # run at startup"; it first runs one interval after boot (or after it was added)
                first = boot + interval
                if first < now - 1.0:
                    first = now + interval
            elif start is None:
                first = boot + STARTUP_DELAY
                if first < now - 1.0:
                    first = None
            else:
                first = start
                if interval > 0 and first < now:
                    periods = int((now - first) // interval) + 1
                    first += periods * interval
                elif first < now - 1.0:
                    first = None
            entry = {"key": key, "next": first}
            state[item_id] = entry
        if entry["next"] is None or entry["next"] > now:
            continue
        entry["next"] = entry["next"] + interval if interval > 0 else None
        if entry["next"] is not None and entry["next"] <= now:
            entry["next"] = now + interval
        due.append(row)
    for stale in [k for k in state if k not in seen]:
        del state[stale]
    for row in due:
        _bump(router, "/system/scheduler", row.get(".id", ""))
        run_event(router, row.get("on-event", ""), user=row.get("owner", "admin") or "admin")


# -- API commands ---------------------------------------------------------------------------------
def _api_import(router: Any, attrs: Dict[str, str], user: str) -> Reply:
    name = attrs.get("file-name")
    if not name:
        return Reply(trap=Trap("missing value(s) of argument(s) file-name"))
    dry_run = "dry-run" in attrs and attrs.get("dry-run", "") not in ("no", "false")
    if dry_run and not _version_at_least(router, (7, 16)):
        return Reply(trap=Trap("unknown parameter dry-run"))
    if dry_run and attrs.get("verbose", "no") in ("no", "false"):
        # RouterOS rejects dry-run without verbose (the exact text is unverified)
        return Reply(trap=Trap(DRY_RUN_NEEDS_VERBOSE))
    try:
        import_file(router, name, dry_run=dry_run, user=user)
    except ImportError_ as exc:
        return Reply(trap=Trap(str(exc)))
    return Reply()


def _api_script_run(router: Any, attrs: Dict[str, str], user: str) -> Reply:
    ref = attrs.get(".id") or attrs.get("number") or attrs.get("numbers")
    if not ref:
        return Reply(trap=Trap("missing =.id=" if _version_at_least(router, (7, 11)) else "no such item"))
    error = run_script_item(router, ref, user=user)[1]
    if error:
        return Reply(trap=Trap(error))
    return Reply()


_JOBS = {"next": 1}


def _api_execute(router: Any, attrs: Dict[str, str], user: str) -> Reply:
    script = attrs.get("script")
    if script is None:
        return Reply(trap=Trap("missing value(s) of argument(s) script"))
    output, error = run_source(router, script, user=user)
    if "as-string" in attrs:
        if error:
            return Reply(trap=Trap(error))
        return Reply(ret=output.rstrip("\n"))
    job = "*%X" % _JOBS["next"]
    _JOBS["next"] += 1
    return Reply(ret=job)


def _version_at_least(router: Any, wanted: Tuple[int, ...]) -> bool:
    current = getattr(router, "version_tuple", None)
    if current is None:
        return True
    return tuple(current) >= wanted


def _netwatch_runner(router: Any, source: str) -> None:
    run_event(router, source)


def register(router: Any) -> None:
    """Called by the model when a Router is built."""
    router.register_command("/import", _api_import)
    router.register_command("/system/script/run", _api_script_run)
    router.register_command("/execute", _api_execute)
    router.register_tick(scheduler_tick)
    router.script_runner = _netwatch_runner
