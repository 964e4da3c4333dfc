"""``/export`` of the lab router, in RouterOS 7's format.

Compact export: a menu line (``/ip firewall mangle``) then one ``add``/``set`` line per entry with
the non-default properties in alphabetical order, long lines wrapped with `` \\`` and a 4-space
continuation. ``terse``: the full menu on every line, never wrapped. ``verbose``: defaults too.
The wrapping rule was derived from real RouterOS 7.19/7.20 exports (see lab/README.md).
"""

import hashlib
import re
import time
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple

from .menus import MENUS, TREE
from .menus.interface import BUILTIN_INTERFACE_LISTS
from .reply import Reply, Trap
from .verbs import WHERE_UNSUPPORTED

# What each menu declares about its export (``menus.base.Export``), read once.
_EXPORTED = sorted(((path, spec["export"]) for path, spec in MENUS.items() if "export" in spec),
                   key=lambda pair: pair[1].order)
# The order in which RouterOS emits the menus the lab exports (taken from real 7.x exports).
EXPORT_ORDER = tuple(path for path, dummy in _EXPORTED)
# Properties RouterOS exports even when they hold their default value (real 7.19/7.20 exports:
# ``add action=accept chain=input ...`` on every firewall menu, also when ``action`` was not written).
ALWAYS_EXPORTED = {path: quirks.always for path, quirks in _EXPORTED if quirks.always}
# Routing menus export the properties that were written, even when equal to the default
# (real exports show ``add dst-address=0.0.0.0/0 ...`` and, for rules, ``disabled=no`` only when
# it was given).
EXPLICIT_MENUS = tuple(path for path, quirks in _EXPORTED if quirks.written)
# Fields that identify a builtin entry in ``set [ find ... ]`` lines.
BUILTIN_SELECTORS = {path: quirks.selector for path, quirks in _EXPORTED}
# Comments RouterOS gives its builtin interface lists (``menus.interface.BUILTIN_INTERFACE_LISTS``): shown by a
# verbose export, never by a compact one.
BUILTIN_LIST_COMMENTS = {name: comment for name, dummy, comment in BUILTIN_INTERFACE_LISTS}
# Never exported (state, not configuration).
NOT_EXPORTED = {".id", "dynamic", "builtin", "invalid", "active", "inactive", "bytes", "packets", "static",
                "connect", "dhcp", "ecmp", "running", "slave", "creation-time", "run-count", "next-run",
                "last-started", "status", "since", "immediate-gw", "actual-mtu", "l2mtu", "mac-address", "orig-mac-address",
                "actual-interface", "network-dummy"}

# Menus whose builtin entries cannot change (``failure: cannot change builtin``): never exported.
FIXED_BUILTINS = tuple(path for path, quirks in _EXPORTED if quirks.skip_builtins)
# Secrets: exported only with ``show-sensitive`` (RouterOS 7 hides them by default).
SENSITIVE = {path: quirks.sensitive for path, quirks in _EXPORTED if quirks.sensitive}
# State of one menu, never exported (the clock's time and date).
NOT_EXPORTED_IN = {path: quirks.state for path, quirks in _EXPORTED if quirks.state}

WRAP_LIMIT = 77          # last column a property may end on before the line is wrapped
STRING_WRAP_LIMIT = 78   # a long value is cut after this column (then ``\``)
INDENT = "    "

_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
# Characters a value may hold and still print bare; matched with fullmatch, never ``^...$``, whose ``$``
# also matches before a trailing newline and would print a value ending in a newline unquoted.
_SAFE = re.compile(r"[A-Za-z0-9_\-.,:/@+*%<>!]*")


# -- value formatting -----------------------------------------------------------------------------
def _escape_char(ch: str) -> str:
    if ch == '"':
        return '\\"'
    if ch == "\\":
        return "\\\\"
    if ch == "$":
        return "\\$"
    if ch == "?":
        return "\\?"
    if ch == "\n":
        return "\\n"
    if ch == "\r":
        return "\\r"
    if ch == "\t":
        return "\\t"
    if ord(ch) < 0x20 or ord(ch) > 0x7E:
        return "".join("\\%02X" % b for b in ch.encode("utf-8"))
    return ch


def needs_quotes(value: str) -> bool:
    if value == "":
        return True
    return not _SAFE.fullmatch(value)


def quote_units(value: str) -> List[str]:
    """The value as printed, split into units that a line wrap must not cut (escapes)."""
    if not needs_quotes(value):
        return list(value)
    return ['"'] + [_escape_char(ch) for ch in value] + ['"']


def format_value(value: str) -> str:
    return "".join(quote_units(value))


# -- property selection ---------------------------------------------------------------------------
def _meta(router: Any, path: str) -> Optional[Dict[str, Any]]:
    getter = getattr(router, "menu", None)
    if getter is None:
        return None
    try:
        meta = getter(path)
    except (KeyError, LookupError, ValueError):
        return None
    if meta is None:
        return None
    if isinstance(meta, dict):
        return meta
    return getattr(meta, "spec", None) or getattr(meta, "__dict__", None)


def _fields(meta: Dict[str, Any]) -> Dict[str, Dict[str, Any]]:
    fields = meta.get("fields") or {}
    if isinstance(fields, dict):
        return {k: (v if isinstance(v, dict) else getattr(v, "__dict__", {})) for k, v in fields.items()}
    return {}


def _version_tuple(version: str) -> Tuple[int, ...]:
    out = []
    for piece in str(version).split(" ", maxsplit=1)[0].split("."):
        m = re.match(r"\d+", piece)
        out.append(int(m.group(0)) if m else 0)
    return tuple(out)


def _bool_word(value: str) -> str:
    if value == "true":
        return "yes"
    if value == "false":
        return "no"
    return value


def entry_properties(router: Any, path: str, row: Dict[str, str], verbose: bool = False,
                     show_sensitive: bool = False) -> List[str]:
    """The ``name=value`` / switch words of one entry, alphabetical, as export prints them."""
    meta = _meta(router, path) or {}
    fields = _fields(meta)
    always = ALWAYS_EXPORTED.get(path, ())
    props: Dict[str, Optional[str]] = {}
    source = row
    if path in EXPLICIT_MENUS and not verbose:
        written = written_values(router, path, row)
        if written is not None:
            source = written
    for name, value in source.items():
        if name in NOT_EXPORTED or name.startswith(".") or name in NOT_EXPORTED_IN.get(path, ()):
            continue
        if name in SENSITIVE.get(path, ()) and not show_sensitive:
            continue
        spec = fields.get(name)
        if spec is None and fields:
            continue
        spec = spec or {}
        if spec.get("ro") and name not in always:
            continue
        kind = spec.get("kind", "str")
        if kind == "switch":
            if value not in ("false", "no"):
                props[name] = None
            continue
        default = spec.get("default")
        explicit = source is not row
        if not verbose and not explicit and name not in always and default is not None and value == default:
            continue
        if kind == "bool":
            value = _bool_word(value)
        props[name] = value
    if verbose:
        for name, spec in fields.items():
            if name in props or name in row or spec.get("ro") or spec.get("default") is None:
                continue
            if spec.get("kind") == "switch":
                continue
            props[name] = _bool_word(spec["default"]) if spec.get("kind") == "bool" else spec["default"]
    if path == "/ip/address" and str(props.get("address", "")).endswith("/32"):
        # a host address exports bare (7.19.4: ``add address=192.0.0.6 interface=lo network=192.0.0.6``)
        props["address"] = str(props["address"])[:-3]
    for name in always:
        if name not in props and name in fields and fields[name].get("default") is not None:
            spec = fields[name]
            props[name] = _bool_word(spec["default"]) if spec.get("kind") == "bool" else spec["default"]
    words = []
    for name in sorted(props):
        value = props[name]
        words.append(name if value is None else "%s=%s" % (name, value))
    return words


def written_values(router: Any, path: str, row: Dict[str, str]) -> Optional[Dict[str, str]]:
    """The values stored for an entry (what was written), read from the model's tables.

    This reaches into ``router.tables`` (the model's storage) because the print view fills in
    defaults and cannot tell a written default from an unwritten one.
    """
    tables = getattr(router, "tables", None)
    item_id = row.get(".id", "")
    if not isinstance(tables, dict) or path not in tables or not re.fullmatch(r"\*[0-9A-Fa-f]+", item_id):
        return None
    item = getattr(tables[path], "items", {}).get(int(item_id[1:], 16))
    values = getattr(item, "values", None)
    return dict(values) if isinstance(values, dict) else None


# -- line wrapping --------------------------------------------------------------------------------
def wrap_command(prefix: str, words: List[str]) -> str:
    """``prefix word word ...`` wrapped the way RouterOS 7 wraps compact exports."""
    lines: List[str] = []
    line = prefix
    for word in words:
        if "=" in word:
            name, value = word.split("=", 1)
            head, units = name + "=", quote_units(value)
        else:
            head, units = word, []
        value_len = sum(len(u) for u in units)
        multiline = "\\n" in units
        if not multiline and len(line) + 1 + len(head) + value_len <= WRAP_LIMIT:
            line += " " + head + "".join(units)
            continue
        if len(line) + 1 + len(head) > WRAP_LIMIT:
            lines.append(line + " \\")
            line = INDENT + head
            if not multiline and len(line) + value_len <= WRAP_LIMIT:
                line += "".join(units)
                continue
        else:
            line += " " + head
        if not units:
            continue
        if not multiline and len(INDENT) + value_len <= WRAP_LIMIT:
            lines.append(line + "\\")
            line = INDENT + "".join(units)
            continue
        if units[0] != '"':
            # a value cut over lines is always quoted
            units = ['"'] + units + ['"']
        for unit in units:
            if unit == "\\n" and line.strip() and not line.endswith("="):
                lines.append(line + "\\")
                line = INDENT
            if len(line) + len(unit) > STRING_WRAP_LIMIT:
                lines.append(line + "\\")
                line = INDENT
            if unit == " " and line == INDENT:
                # the reader drops a continuation line's leading blanks, so a space that starts one is escaped
                unit = "\\_"
            line += unit
    lines.append(line)
    return "\n".join(lines)


def terse_command(prefix: str, words: List[str]) -> str:
    out = prefix
    for word in words:
        if "=" in word:
            name, value = word.split("=", 1)
            out += " %s=%s" % (name, format_value(value))
        else:
            out += " " + word
    return out


# -- menus ----------------------------------------------------------------------------------------
def cli_menu(path: str) -> str:
    return "/" + " ".join(p for p in path.split("/") if p)


def _rows(router: Any, path: str) -> List[Dict[str, str]]:
    try:
        return list(router.rows(path))
    except (KeyError, LookupError, ValueError):
        return []


def _is_dynamic(row: Dict[str, str]) -> bool:
    return row.get("dynamic") == "true"


def _is_builtin(path: str, row: Dict[str, str]) -> bool:
    if row.get("builtin") == "true" or row.get("default") == "true":
        return True
    return path == "/interface/ethernet"


def _builtin_list_words(name: str, words: List[str], verbose: bool) -> List[str]:
    """A builtin interface list: its comment is a default (verbose shows it, compact never does)."""
    comment = BUILTIN_LIST_COMMENTS.get(name)
    if comment is None:
        return words
    if not verbose:
        return [w for w in words if w not in ("comment=" + comment, "include=", "exclude=")]
    if not any(w.startswith("comment=") for w in words):
        words = sorted(words + ["comment=" + comment])
    return words


def menu_commands(router: Any, path: str, verbose: bool = False,
                  where: Optional[Callable[[Dict[str, str]], bool]] = None,
                  show_sensitive: bool = False) -> List[Tuple[str, List[str]]]:
    """(``add``|``set ...``, words) for every exported entry of one menu (those ``where`` selects)."""
    meta = _meta(router, path)
    if meta is None:
        return []
    rows = _rows(router, path)
    if where is not None:
        rows = [row for row in rows if where(row)]
    out: List[Tuple[str, List[str]]] = []
    if meta.get("kind") == "singleton":
        if not rows:
            return []
        words = entry_properties(router, path, rows[0], verbose, show_sensitive)
        if words:
            out.append(("set", words))
        return out
    for row in rows:
        if _is_dynamic(row):
            continue
        if path in FIXED_BUILTINS and _is_builtin(path, row):
            continue
        words = entry_properties(router, path, row, verbose, show_sensitive)
        if _is_builtin(path, row):
            selector = BUILTIN_SELECTORS.get(path, "name")
            key = row.get(selector, row.get("name", ""))
            words = [w for w in words if not w.startswith(selector + "=")] if not verbose else words
            if selector == "default-name":
                words = [w for w in words if w != "name=" + key]
            if path == "/interface/list":
                words = _builtin_list_words(key, words, verbose)
            if not words:
                continue
            out.append(("set [ find %s=%s ]" % (selector, format_value(key)), words))
            continue
        out.append(("add", words))
    return out


def _menus_under(path: Optional[str]) -> Iterable[str]:
    if not path or path == "/":
        return EXPORT_ORDER
    path = path.rstrip("/")
    return [p for p in EXPORT_ORDER if p == path or p.startswith(path + "/")]


def _stable_id(router: Any, alphabet: str, length: int) -> str:
    digest = hashlib.sha256(str(getattr(router, "name", "MikroTik")).encode("utf-8")).digest()
    return "".join(alphabet[digest[i] % len(alphabet)] for i in range(length))


def header(router: Any) -> str:
    """``# <date> <time> by RouterOS <version>`` and the id lines RouterOS prints under it.

    A CHR (``board_name`` ``CHR``, the lab's default) prints ``# system id = ...`` from 7.18 (seen
    in real exports); hardware prints ``# software id = XXXX-XXXX`` and its model and serial.
    """
    version = str(getattr(router, "version", "7.19"))
    clock = getattr(router, "clock", None)
    stamp = clock() if callable(clock) else time.time()
    if _version_tuple(version) >= (7, 10):
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(stamp))
    else:
        when = time.strftime("%b/%d/%Y %H:%M:%S", time.localtime(stamp)).lower()
    lines = ["# %s by RouterOS %s" % (when, version)]
    board = getattr(router, "model", None) or getattr(router, "board_name", "CHR")
    if board == "CHR":
        if _version_tuple(version) >= (7, 18):
            system_id = getattr(router, "system_id", None) or _stable_id(router, _B64, 11)
            lines.append("# system id = %s" % system_id)
        else:
            lines.append("# software id = ")
        lines.append("#")
        return "\n".join(lines)
    software_id = getattr(router, "software_id", None) or "%s-%s" % (_stable_id(router, _UPPER, 4),
                                                                     _stable_id(router, _UPPER[::-1], 4))
    serial = getattr(router, "serial_number", None) or _stable_id(router, _UPPER, 11)
    lines += ["# software id = %s" % software_id, "#", "# model = %s" % board, "# serial number = %s" % serial]
    return "\n".join(lines)


def export(router: Any, path: Optional[str] = None, terse: bool = False, verbose: bool = False,
           where: Optional[Callable[[Dict[str, str]], bool]] = None, show_sensitive: bool = False) -> str:
    """The text ``/export`` (or ``/<menu> export [where ...]``) prints, ending with a newline."""
    lock = getattr(router, "lock", None)
    if lock is not None:
        with lock:
            return _export(router, path, terse, verbose, where, show_sensitive)
    return _export(router, path, terse, verbose, where, show_sensitive)


def _export(router: Any, path: Optional[str], terse: bool, verbose: bool,
            where: Optional[Callable[[Dict[str, str]], bool]] = None, show_sensitive: bool = False) -> str:
    out = [header(router)]
    count_read = getattr(router, "count_read", None)
    for menu in _menus_under(path):
        if count_read is not None:
            # an export reads every menu it covers (the lab's counters count it like a print)
            count_read(menu)
        commands = menu_commands(router, menu, verbose, where, show_sensitive)
        if not commands:
            continue
        name = cli_menu(menu)
        if not terse:
            out.append(name)
        for verb, words in commands:
            if terse:
                out.append(terse_command(name + " " + verb, words))
            else:
                out.append(wrap_command(verb, words))
    return "\n".join(out) + "\n"


# -- files ----------------------------------------------------------------------------------------
def write_file(router: Any, name: str, contents: str) -> None:
    """Store a file in ``/file`` (what ``/export file=`` does)."""
    writer = getattr(router, "write_file", None)
    if callable(writer):
        writer(name, contents)
        return
    files = [r for r in _rows(router, "/file") if r.get("name") == name]
    if files:
        router.execute("/file/set", {".id": files[0][".id"], "contents": contents})
        return
    reply = router.execute("/file/add", {"name": name, "contents": contents})
    trap = getattr(reply, "trap", None)
    if trap is not None:
        raise RuntimeError(getattr(trap, "message", str(trap)))


def read_file(router: Any, name: str) -> Optional[str]:
    reader = getattr(router, "read_file", None)
    if callable(reader):
        return reader(name)
    for row in _rows(router, "/file"):
        if row.get("name") == name:
            return row.get("contents", "")
    return None


# -- API commands ---------------------------------------------------------------------------------
def _flag(attrs: Dict[str, str], name: str) -> bool:
    return name in attrs and attrs[name] not in ("no", "false")


def _api_export(path: Optional[str]):
    def handler(router: Any, attrs: Dict[str, str], user: str) -> Any:
        known = {"file", "terse", "verbose", "compact", "show-sensitive", "hide-sensitive", "where"}
        for name in attrs:
            if name not in known:
                return Reply(trap=Trap("unknown parameter %s" % name))
        if attrs.get("where"):
            return Reply(trap=Trap(WHERE_UNSUPPORTED))
        name = attrs.get("file")
        if not name:
            # over the API the export text goes nowhere: only !done comes back
            return Reply()
        text = export(router, path=path, terse=_flag(attrs, "terse"), verbose=_flag(attrs, "verbose"),
                      show_sensitive=_flag(attrs, "show-sensitive"))
        write_file(router, name if name.endswith(".rsc") else name + ".rsc", text)
        return Reply()
    return handler


def _api_file_read(router: Any, attrs: Dict[str, str], user: str) -> Any:
    version = tuple(getattr(router, "version_tuple", (7, 19)))
    if version < (7, 13):
        return Reply(trap=Trap("no such command"))
    name = attrs.get("file")
    if not name:
        return Reply(trap=Trap("missing value(s) of argument(s) file"))
    contents = read_file(router, name)
    if contents is None:
        return Reply(trap=Trap("no such item"))
    try:
        offset = int(attrs.get("offset", "0") or 0)
        size = int(attrs.get("chunk-size", "4096") or 4096)
    except ValueError:
        return Reply(trap=Trap("invalid value for argument offset"))
    if size < 1 or size > 65535:
        return Reply(trap=Trap("value of chunk-size out of range (1..65535)"))
    data = contents.encode("utf-8")[offset:offset + size].decode("utf-8", errors="replace")
    return Reply(rows=[{"data": data}])


def register(router: Any) -> None:
    """Called by the model when a Router is built: ``/export`` on every menu, ``/file/read``."""
    router.register_command("/export", _api_export(None))
    paths = set(EXPORT_ORDER)
    menus = getattr(router, "menus", None)
    if callable(menus):
        paths.update(menus())
    for path in list(paths):
        parts = path.strip("/").split("/")
        for depth in range(1, len(parts) + 1):
            paths.add("/" + "/".join(parts[:depth]))
    for path in sorted(paths - {"/file", "/system/resource"}):
        if "export" not in TREE.get(path, {}).get("commands", {"export": []}):
            continue
        router.register_command(path + "/export", _api_export(path))
    router.register_command("/file/read", _api_file_read)
