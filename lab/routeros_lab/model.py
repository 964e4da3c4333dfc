"""The router model: tables of items per menu, and ``Router.execute`` for API-form commands."""

from __future__ import annotations

import functools
import heapq
import importlib
import ipaddress
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator

from . import menus as M
from .values import (
    ValueFault,
    duration_seconds,
    format_duration,
    match_choice,
    parse_address,
    parse_bool,
    parse_duration,
    parse_enum_set,
    parse_int,
    parse_interface_address,
    parse_list_address,
    parse_prefix,
    parse_protocol,
    version_tuple,
)

WRITE_VERBS = ("add", "set", "remove", "move", "unset", "enable", "disable", "comment", "reset")
READ_VERBS = ("print", "getall")
# Interfaces every RouterOS 7 router has besides its ports: the loopback (a valid reference; the lab
# does not list it in /interface print).
BUILTIN_INTERFACES = ("lo",)


@dataclass
class Trap:
    message: str
    category: int | None = None


@dataclass
class Reply:
    rows: Any = field(default_factory=list)
    ret: str | None = None
    trap: Trap | None = None
    fatal: str | None = None
    drop: bool = False


class Fault(Exception):
    """A command error; becomes ``!trap`` with RouterOS's message."""

    def __init__(self, message: str, category: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.category = category


# ``=category=`` of a trap, by message prefix (RouterOS: 0 missing item or command, 1 argument
# value failure, 2 interrupted, 4 general failure); messages not listed carry no category.
TRAP_CATEGORIES = (
    ("no such command", 0), ("no such item", 0),
    ("input does not match any value of", 1), ("invalid value for argument", 1), ("value of ", 1),
    ("ambiguous value of", 1), ("missing value(s) of argument(s)", 1), ("invalid or unexpected argument", 1),
)


def trap_category(fault: "Fault") -> int | None:
    if fault.category is not None:
        return fault.category
    for prefix, category in TRAP_CATEGORIES:
        if fault.message.startswith(prefix):
            return category
    return None


class Item:
    __slots__ = ("id", "values", "dynamic", "builtin", "meta")

    def __init__(self, item_id: int, values: dict[str, str], dynamic: bool = False, builtin: bool = False,
                 meta: dict[str, Any] | None = None) -> None:
        self.id = item_id
        self.values = values
        self.dynamic = dynamic
        self.builtin = builtin
        self.meta = meta


def format_id(item_id: int) -> str:
    return "*%X" % item_id


def parse_id(text: str) -> int | None:
    if text.startswith("*"):
        try:
            return int(text[1:], 16)
        except ValueError:
            return None
    return None


class Table:
    """The stored items of one menu, in print order."""

    def __init__(self, path: str, spec: dict[str, Any]) -> None:
        self.path = path
        self.spec = spec
        self.items: dict[int, Item] = {}
        self.next_id = M.ROUTE_ID_BASE + 1 if spec.get("ids") == "route" else spec.get("id_start", 1)
        self.name_field: str | None = spec.get("name")
        self.by_name: dict[str, int] = {}
        unique = spec.get("unique")
        self.unique_fields: tuple[str, ...] = unique[0] if unique else ()
        self.unique_error: str = unique[1] if unique else ""
        self.unique: dict[tuple[str, ...], int] = {}
        self.expiry: list[tuple[float, int]] = []

    def index(self, item: Item) -> None:
        if self.name_field and self.name_field in item.values:
            self.by_name[item.values[self.name_field]] = item.id
        if self.unique_fields:
            self.unique[self.unique_key(item.values)] = item.id

    def unindex(self, item: Item) -> None:
        if self.name_field:
            name = item.values.get(self.name_field)
            if name is not None and self.by_name.get(name) == item.id:
                del self.by_name[name]
        if self.unique_fields:
            key = self.unique_key(item.values)
            if self.unique.get(key) == item.id:
                del self.unique[key]

    def unique_key(self, values: dict[str, str]) -> tuple[str, ...]:
        return tuple(values.get(k, "") for k in self.unique_fields)

    def insert(self, item: Item, before: int | None = None) -> None:
        if before is None or before not in self.items:
            self.items[item.id] = item
        else:
            rebuilt: dict[int, Item] = {}
            for key, value in self.items.items():
                if key == before:
                    rebuilt[item.id] = item
                rebuilt[key] = value
            self.items = rebuilt
        self.index(item)


@dataclass
class Menu:
    """Read-only metadata of a menu, for exporters and CLI code."""

    path: str
    kind: str
    ordered: bool
    fields: dict[str, dict[str, Any]]
    name_field: str | None
    natural_key: tuple[str, ...]
    mandatory: tuple[str, ...]
    verbs: tuple[str, ...]

    def default(self, name: str) -> str | None:
        spec = self.fields.get(name)
        return None if spec is None else spec.get("default")

    def is_switch(self, name: str) -> bool:
        return self.fields.get(name, {}).get("kind") == "switch"

    def is_bool(self, name: str) -> bool:
        return self.fields.get(name, {}).get("kind") == "bool"

    def prints_only_when_set(self, name: str) -> bool:
        return self.fields.get(name, {}).get("show") == "set"

    def is_read_only(self, name: str) -> bool:
        return bool(self.fields.get(name, {}).get("ro"))

    def writable_fields(self) -> list[str]:
        return [k for k, v in self.fields.items() if not v.get("ro")]


def _now_text(ts: float) -> str:
    return _second_text(int(ts))


@functools.lru_cache(maxsize=4096)
def _second_text(second: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(second))


class Router:
    """One emulated RouterOS v7 router."""

    def __init__(self, identity: str = "MikroTik", version: str = "7.19", interfaces: Iterable[str] | None = None,
                 board_name: str = "CHR", name: str | None = None, clock: Callable[[], float] = time.time,
                 load_extensions: bool = True) -> None:
        self.name = name or identity
        self.version = version
        self.version_tuple = version_tuple(version)
        self.board_name = board_name
        self.clock = clock
        self.boot_time = clock()
        self.lock = threading.RLock()
        self.tables: dict[str, Table] = {path: Table(path, spec) for path, spec in M.MENUS.items() if not spec.get("view")}
        self.handlers: dict[str, Callable[..., Reply]] = {}
        self.tick_callbacks: list[Callable[..., Any]] = []
        self.script_runner: Callable[..., Any] | None = None
        self.unreachable: set[str] = set()
        self.user_groups: dict[str, str] = {}
        # uplink state given through the control port: the lease the DHCP server on an interface offers
        # (by interface name), the PPPoE clients (ids) whose session is up
        self.dhcp_leases: dict[str, dict[str, str]] = {}
        self.pppoe_up: set[int] = set()
        self.counters: dict[str, dict[str, int]] = {"reads": {}, "writes": {}}
        self.faults: dict[str, Any] = {"latency_ms": 0, "fail_write_after": None, "drop_after_writes": None}
        self.good_writes = 0
        self.iface_next = 1
        self.interfaces = list(interfaces) if interfaces is not None else ["ether%d" % i for i in range(1, 9)]
        self._init_builtins(identity)
        if load_extensions:
            self._load_extensions()

    # ---- construction -------------------------------------------------------------------------
    def _init_builtins(self, identity: str) -> None:
        main = Item(0, {"name": "main", "fib": ""}, dynamic=True, builtin=True)
        self.tables["/routing/table"].insert(main)
        self.tables["/ip/vrf"].insert(Item(0, {"name": "main", "interfaces": "all"}, builtin=True))
        lists = self.tables["/interface/list"]
        for list_name, list_id, comment in M.BUILTIN_INTERFACE_LISTS:
            lists.insert(Item(list_id, {"name": list_name, "comment": comment}, builtin=True))
        for index, iface in enumerate(self.interfaces):
            self.add_ethernet(iface, index)
        for path, spec in M.MENUS.items():
            if spec["kind"] == "singleton":
                self.tables[path].insert(Item(0, {}))
        self.tables["/system/identity"].items[0].values["name"] = identity

    def add_ethernet(self, iface: str, index: int | None = None) -> None:
        table = self.tables["/interface/ethernet"]
        number = index if index is not None else len(table.items)
        mac = "02:00:00:00:%02X:%02X" % ((number >> 8) & 0xFF, (number + 1) & 0xFF)
        item = Item(self.iface_next, {"name": iface, "default-name": iface, "mac-address": mac})
        self.iface_next += 1
        table.insert(item)

    def _load_extensions(self) -> None:
        """The CLI side (export, scripting) registers its commands if its modules exist."""
        for module_name in ("routeros_lab.export", "routeros_lab.scripting", "routeros_lab.certs"):
            try:
                module = importlib.import_module(module_name)
            except ImportError as exc:
                if exc.name != module_name:
                    raise
                continue
            register = getattr(module, "register", None)
            if register is not None:
                register(self)

    # ---- seams for the CLI side ---------------------------------------------------------------
    def register_command(self, command: str, handler: Callable[..., Reply]) -> None:
        self.handlers[command] = handler

    def register_tick(self, callback: Callable[..., Any]) -> None:
        self.tick_callbacks.append(callback)

    def menu(self, path: str) -> Menu:
        spec = M.MENUS[path]
        natural: tuple[str, ...] = ()
        if spec.get("unique"):
            natural = spec["unique"][0]
        elif spec.get("name"):
            natural = (spec["name"],)
        elif path == "/tool/netwatch":
            natural = ("host",)
        return Menu(path=path, kind=spec["kind"], ordered=bool(spec.get("ordered")), fields=spec["fields"],
                    name_field=spec.get("name"), natural_key=natural, mandatory=tuple(spec.get("mandatory", ())),
                    verbs=tuple(spec["verbs"]))

    def menus(self) -> list[str]:
        return list(M.MENUS)

    def rows(self, path: str) -> list[dict[str, str]]:
        with self.lock:
            self._expire()
            return list(self._render_all(path))

    def write_file(self, name: str, contents: str) -> None:
        with self.lock:
            table = self.tables["/file"]
            now = self.clock()
            item_id = table.by_name.get(name)
            if item_id is None:
                item = Item(table.next_id, {"name": name, "contents": contents}, meta={"created": now, "modified": now})
                table.next_id += 1
                table.insert(item)
            else:
                item = table.items[item_id]
                item.values["contents"] = contents
                item.meta = dict(item.meta or {}, modified=now)

    def read_file(self, name: str) -> str | None:
        with self.lock:
            item_id = self.tables["/file"].by_name.get(name)
            if item_id is None:
                return None
            return self.tables["/file"].items[item_id].values.get("contents", "")

    def bump_run_count(self, path: str, item_id: int) -> None:
        with self.lock:
            item = self.tables[path].items.get(item_id)
            if item is not None:
                meta = dict(item.meta or {})
                meta["run-count"] = meta.get("run-count", 0) + 1
                meta["last-started"] = self.clock()
                item.meta = meta

    def identity(self) -> str:
        return self.tables["/system/identity"].items[0].values.get("name", "MikroTik")

    def version_at_least(self, version: str) -> bool:
        return self.version_tuple >= version_tuple(version)

    # ---- control ------------------------------------------------------------------------------
    def set_reachable(self, address: str, reachable: bool) -> None:
        with self.lock:
            if reachable:
                self.unreachable.discard(address)
            else:
                self.unreachable.add(address)

    def count_read(self, path: str) -> None:
        """One read of ``path`` in the counters (a print, or an export that covered the menu)."""
        with self.lock:
            counts = self.counters["reads"]
            counts[path] = counts.get(path, 0) + 1

    def reset_counters(self) -> None:
        with self.lock:
            self.counters = {"reads": {}, "writes": {}}

    def set_faults(self, latency_ms: int | None = None, fail_write_after: int | None = None,
                   drop_after_writes: int | None = None) -> None:
        with self.lock:
            if latency_ms is not None:
                self.faults["latency_ms"] = int(latency_ms)
            if fail_write_after is not None:
                self.faults["fail_write_after"] = None if int(fail_write_after) < 0 else int(fail_write_after)
                self.good_writes = 0
            if drop_after_writes is not None:
                self.faults["drop_after_writes"] = None if int(drop_after_writes) < 0 else int(drop_after_writes)
                self.good_writes = 0

    # ---- time ---------------------------------------------------------------------------------
    def tick(self, now: float | None = None) -> None:
        with self.lock:
            current = self.clock() if now is None else now
            self._expire(current)
            self._netwatch_tick(current)
            for callback in list(self.tick_callbacks):
                callback(self, current)

    def _expire(self, now: float | None = None) -> None:
        table = self.tables["/ip/firewall/address-list"]
        if not table.expiry:
            return
        current = self.clock() if now is None else now
        while table.expiry and table.expiry[0][0] <= current:
            expires, item_id = heapq.heappop(table.expiry)
            item = table.items.get(item_id)
            if item is not None and item.meta and item.meta.get("expires") == expires:
                table.unindex(item)
                del table.items[item_id]

    # ---- execute ------------------------------------------------------------------------------
    def execute(self, command: str, attrs: dict[str, str] | None = None, queries: Iterable[str] = (),
                proplist: list[str] | None = None, user: str = "admin", stream: bool = False) -> Reply:
        """Run one API-form command. With ``stream``, print rows come as an iterator (hold ``lock``)."""
        attrs = dict(attrs or {})
        with self.lock:
            try:
                self._expire()
                reply = self._execute(command, attrs, list(queries), proplist, user)
            except Fault as exc:
                return Reply(rows=[], trap=Trap(exc.message, trap_category(exc)))
            if not stream and not isinstance(reply.rows, list):
                try:
                    reply.rows = list(reply.rows)
                except Fault as exc:
                    return Reply(rows=[], trap=Trap(exc.message, trap_category(exc)))
            return reply

    def _execute(self, command: str, attrs: dict[str, str], queries: list[str], proplist: list[str] | None,
                 user: str) -> Reply:
        if command in self.handlers:
            handler_path, dummy, handler_verb = command.rpartition("/")
            check_arguments(handler_path or "/", handler_verb, attrs)
            return self.handlers[command](self, attrs, user)
        if not command.startswith("/"):
            raise Fault("no such command prefix")
        path, dummy, verb = command.rpartition("/")
        path = path or "/"
        spec = M.MENUS.get(path)
        if spec is None:
            if path in M.DIRECTORIES or any(p.startswith(path + "/") for p in M.MENUS):
                raise Fault("no such command")
            raise Fault("no such command prefix")
        if verb not in spec["verbs"]:
            raise Fault("no such command")
        since = spec.get("since", {}).get(verb)
        if since is not None and not self.version_at_least(since):
            raise Fault("no such command")
        check_arguments(path, verb, attrs)
        if verb in WRITE_VERBS:
            return self._write(path, spec, verb, attrs, user)
        if verb in READ_VERBS:
            self.count_read(path)
            return self._print(path, spec, attrs, queries, proplist)
        if verb == "get":
            return self._get(path, spec, attrs)
        if verb == "find":
            return self._find(path, spec, attrs, queries)
        if verb == "reset-counters":
            # the lab forwards no traffic: counters stay 0, but the items must exist
            table = self.tables.get(path) or self._view_target(path, attrs)
            self._resolve(table, attrs, None)
        return Reply()

    def _get(self, path: str, spec: dict[str, Any], attrs: dict[str, str]) -> Reply:
        """``get [number] value-name``: one printed value as ``ret``."""
        name = attrs.get("value-name", "")
        if not name:
            raise Fault("missing value(s) of argument(s) value-name")
        if name not in spec["fields"]:
            raise Fault("input does not match any value of value-name")
        rows = list(self._render_all(path))
        if spec["kind"] == "singleton":
            row = rows[0]
        else:
            ref = attrs.get("number", attrs.get(".id", ""))
            if not ref:
                raise Fault("missing value(s) of argument(s) number")
            table = self.tables.get(path) or self._view_target(path, {".id": ref})
            wanted = format_id(self._resolve_one(table, ref, None).id)
            row = next((r for r in rows if r.get(".id") == wanted), {})
        return Reply(ret=row.get(name, ""))

    def _find(self, path: str, spec: dict[str, Any], attrs: dict[str, str], queries: list[str]) -> Reply:
        """``find``: the ids of the items the API query selects, as ``ret`` (``*1;*2``, unverified)."""
        if attrs.get("where"):
            raise Fault(WHERE_UNSUPPORTED)
        matcher = compile_query(queries, spec["fields"]) if queries else None
        ids = [row[".id"] for row in self._render_all(path) if ".id" in row and (matcher is None or matcher(row))]
        return Reply(ret=";".join(ids))

    def _write(self, path: str, spec: dict[str, Any], verb: str, attrs: dict[str, str], user: str) -> Reply:
        counts = self.counters["writes"]
        counts[path] = counts.get(path, 0) + 1
        if self.user_groups.get(user, "full") == "read":
            raise Fault("not enough permissions (9)")
        fail_after = self.faults.get("fail_write_after")
        if fail_after is not None and self.good_writes >= fail_after:
            self.faults["fail_write_after"] = None
            raise Fault("failure: lab fault injected (fail-write-after)")
        drop_after = self.faults.get("drop_after_writes")
        if drop_after is not None and self.good_writes >= drop_after:
            self.faults["drop_after_writes"] = None
            return Reply(drop=True)
        table = self.tables.get(path)
        if table is None:
            table = self._view_target(path, attrs)
            spec = table.spec
        handler = getattr(self, "_op_" + verb)
        reply = handler(table, spec, attrs)
        self.good_writes += 1
        return reply

    # ---- id resolution ------------------------------------------------------------------------
    def _dummy_ids(self, path: str) -> dict[int, str]:
        if path not in M.FASTTRACK_DUMMIES or not self._fasttrack_active():
            return {}
        return {dummy_id: chain for chain, dummy_id in M.FASTTRACK_DUMMIES[path]}

    def _fasttrack_active(self) -> bool:
        for item in self.tables["/ip/firewall/filter"].items.values():
            if item.values.get("action") == "fasttrack-connection" and item.values.get("disabled") != "true":
                return True
        return False

    def _resolve_one(self, table: Table, text: str, builtin_error: str | None) -> Item:
        text = text.strip()
        item_id = parse_id(text)
        if item_id is None and table.name_field:
            item_id = table.by_name.get(text)
        if item_id is not None and item_id in self._dummy_ids(table.path):
            raise Fault(builtin_error or "failure: cannot change builtin")
        item = table.items.get(item_id) if item_id is not None else None
        if item is None:
            if table.path == "/ip/route" and item_id is not None and item_id in self._connected_ids():
                raise Fault(builtin_error or "failure: cannot change builtin")
            raise Fault("no such item")
        if item.builtin and builtin_error:
            raise Fault(builtin_error)
        return item

    def _resolve(self, table: Table, attrs: dict[str, str], builtin_error: str | None) -> list[Item]:
        raw = attrs.pop(".id", None)
        numbers = attrs.pop("numbers", None)
        if raw is None:
            raw = numbers
        if raw is None or raw == "":
            if self.version_at_least("7.11"):
                raise Fault("missing =.id=")
            raise Fault("no such item")
        return [self._resolve_one(table, part, builtin_error) for part in raw.split(",") if part.strip() != ""]

    def _view_target(self, path: str, attrs: dict[str, str]) -> Table:
        """``/interface`` is a view over ethernet and vlan items; writes go to the owning table."""
        raw = attrs.get(".id", attrs.get("numbers", ""))
        first = raw.split(",")[0].strip()
        if path == "/routing/route":
            # a static route is one object in both menus: its comment and disabled are written here
            return self.tables["/ip/route"]
        for owner in M.INTERFACE_TABLES:
            table = self.tables[owner]
            item_id = parse_id(first)
            if item_id is None:
                item_id = table.by_name.get(first)
            if item_id in table.items:
                return table
        if not raw:
            raise Fault("missing =.id=")
        raise Fault("no such item")

    # ---- value parsing ------------------------------------------------------------------------
    def _parse_value(self, path: str, name: str, spec: dict[str, Any], raw: str) -> str:
        kind = spec["kind"]
        neg = bool(spec.get("neg"))
        try:
            if kind == "str":
                return raw
            if kind == "bool":
                return parse_bool(name, raw)
            if kind == "int":
                return parse_int(name, raw, spec.get("range"))
            if kind == "enum":
                return match_choice(name, raw, spec["choices"])
            if kind == "set":
                return parse_enum_set(name, raw, spec["choices"], neg, bool(spec.get("neg_items")))
            if kind == "protocol":
                return parse_protocol(name, raw, spec["choices"], neg)
            if kind == "switch":
                return ""
            if kind == "duration":
                return parse_duration(name, raw, spec.get("specials", ()))
            if kind == "address":
                return parse_address(name, raw, neg)
            if kind == "prefix":
                return parse_prefix(name, raw)
            if kind == "ifaddress":
                return parse_interface_address(name, raw)
            if kind == "listaddress":
                return parse_list_address(name, raw)
            if kind == "ref":
                return self._check_ref(name, spec, raw, neg)
            if kind == "routetables":
                return self._check_route_tables(name, raw)
        except ValueFault as exc:
            raise Fault(str(exc)) from None
        return raw

    def _check_route_tables(self, name: str, raw: str) -> str:
        """``default-route-tables``: ``table[:distance]`` items; a table must exist (``default`` is main)."""
        for part in raw.split(","):
            table, colon, distance = part.strip().partition(":")
            if table != "default" and table not in self.tables["/routing/table"].by_name:
                raise Fault("input does not match any value of %s" % name)
            if colon:
                parse_int(name, distance, (0, 255))
        return raw

    def _check_ref(self, name: str, spec: dict[str, Any], raw: str, neg: bool) -> str:
        """RouterOS names the field in the error (``... of routing-table``, ``... of new-routing-mark``)."""
        target = spec["ref"][0]
        label = name
        text = raw
        prefix = ""
        if neg and text.startswith("!"):
            prefix, text = "!", text[1:]
        if text == "" and spec.get("default") is None:
            return ""
        if text in spec.get("specials", ()):
            return text
        if target == "/interface":
            if not self.interface_exists(text):
                raise Fault("input does not match any value of %s" % label)
        elif text not in self.tables[target].by_name:
            raise Fault("input does not match any value of %s" % label)
        return prefix + text

    def interface_exists(self, name: str) -> bool:
        return any(name in self.tables[path].by_name for path in M.INTERFACE_TABLES) or name in BUILTIN_INTERFACES

    def _interface_item(self, name: str) -> Item | None:
        for path in M.INTERFACE_TABLES:
            table = self.tables[path]
            item_id = table.by_name.get(name)
            if item_id is not None:
                return table.items[item_id]
        return None

    def interface_running(self, name: str) -> bool:
        item = self._interface_item(name)
        if item is None or item.values.get("disabled") == "true":
            return False
        if item.id in self.tables["/interface/pppoe-client"].items:
            # a PPPoE client runs while its session is up (``set_pppoe_session``) over a running interface
            return item.id in self.pppoe_up and self.interface_running(item.values.get("interface", ""))
        parent = item.values.get("interface")
        if parent:
            return self.interface_running(parent)
        return True

    def _check_gateway_value(self, raw: str) -> str:
        parts = []
        for gw in raw.split(","):
            gw = gw.strip()
            if not gw:
                continue
            address, dummy, rest = gw.partition("%")
            address, dummy, table = address.partition("@")
            if rest:
                if not self.interface_exists(rest):
                    raise Fault("invalid or unexpected argument base")
            if table and table not in self.tables["/routing/table"].by_name:
                raise Fault("input does not match any value of routing-table")
            try:
                ipaddress.IPv4Address(address)
            except ValueError:
                if rest or table or not self.interface_exists(address):
                    raise Fault("invalid or unexpected argument base") from None
            parts.append(gw)
        return ",".join(parts)

    def _parse_fields(self, path: str, spec: dict[str, Any], attrs: dict[str, str], allow_unset: bool) -> tuple[dict[str, str], list[str]]:
        fields = spec["fields"]
        values: dict[str, str] = {}
        unset: list[str] = []
        for name, raw in attrs.items():
            if name.startswith("."):
                continue
            if name.startswith("!"):
                real = name[1:]
                fspec = fields.get(real)
                if fspec is None or fspec.get("ro"):
                    raise Fault("unknown parameter %s" % real)
                if not fspec.get("clear"):
                    raise Fault(M.UNSET_REFUSED)
                if allow_unset:
                    unset.append(real)
                continue
            fspec = fields.get(name)
            if fspec is None or fspec.get("ro"):
                raise Fault("unknown parameter %s" % name)
            if fspec["kind"] == "switch" and raw.strip().lower() in ("no", "false"):
                unset.append(name)
                continue
            if path == "/ip/route" and name == "gateway":
                values[name] = self._check_gateway_value(raw)
                continue
            values[name] = self._parse_value(path, name, fspec, raw)
        if values.get("comment") == "":
            del values["comment"]
            unset.append("comment")
        return values, unset

    # ---- write operations ---------------------------------------------------------------------
    def _op_add(self, table: Table, spec: dict[str, Any], attrs: dict[str, str]) -> Reply:
        place_before = attrs.pop("place-before", None)
        copy_from = attrs.pop("copy-from", None)
        values, dummy = self._parse_fields(table.path, spec, attrs, allow_unset=False)
        if copy_from is not None:
            # the source's written properties, then the ones given here
            source = self._resolve_one(table, copy_from, None)
            copied = dict(source.values)
            if table.path in M.INTERFACE_TABLES:
                # an interface name is unique: the copy gets a name of its own (unverified)
                copied.pop("name", None)
            values = dict(copied, **values)
        item = Item(0, values)
        hook = spec.get("hooks")
        if hook:
            getattr(self, "_hook_" + hook)(table, item)
        missing = [name for name in spec.get("mandatory", ()) if name not in item.values]
        if missing:
            raise Fault("missing value(s) of argument(s) %s" % ", ".join(missing))
        if table.unique_fields and table.unique_key(item.values) in table.unique:
            raise Fault(table.unique_error)
        self._check_interface_name(table, item)
        before_id = None
        if place_before is not None:
            if parse_id(place_before) in self._dummy_ids(table.path):
                raise Fault("failure: cannot move builtin")
            before_id = self._resolve_one(table, place_before, None).id
        if spec.get("ids") == "iface":
            item.id = self.iface_next
            self.iface_next += 1
        else:
            item.id = table.next_id
            table.next_id += 1
        table.insert(item, before_id)
        if item.meta and "expires" in item.meta:
            heapq.heappush(table.expiry, (item.meta["expires"], item.id))
        return Reply(ret=format_id(item.id))

    def _apply(self, table: Table, spec: dict[str, Any], item: Item, values: dict[str, str], unset: list[str]) -> None:
        old_values = dict(item.values)
        old_name = old_values.get(table.name_field) if table.name_field else None
        table.unindex(item)
        for name in unset:
            item.values.pop(name, None)
        item.values.update(values)
        try:
            if table.unique_fields and table.unique_key(item.values) in table.unique:
                raise Fault(table.unique_error)
            self._check_interface_name(table, item)
        except Fault:
            item.values = old_values
            table.index(item)
            raise
        table.index(item)
        if table.path == "/ip/firewall/address-list" and ("timeout" in values or "timeout" in unset or "dynamic" in values):
            self._hook_address_list(table, item)
            if item.meta and "expires" in item.meta:
                heapq.heappush(table.expiry, (item.meta["expires"], item.id))
        if table.path == "/file" and "contents" in values:
            item.meta = dict(item.meta or {}, modified=self.clock())
        new_name = item.values.get(table.name_field) if table.name_field else None
        if old_name is not None and new_name != old_name:
            self._rename_refs(table.path, old_name, new_name or "")

    def _check_interface_name(self, table: Table, item: Item) -> None:
        """Ethernet and VLAN interfaces share one namespace of names (one ``/interface`` menu)."""
        if table.path not in M.INTERFACE_TABLES:
            return
        name = item.values.get("name")
        for path in M.INTERFACE_TABLES:
            other = self.tables[path].by_name.get(name) if name is not None else None
            if other is not None and other != item.id:
                raise Fault(M.INTERFACE_NAME_EXISTS)

    def _rename_refs(self, path: str, old: str, new: str) -> None:
        """References are stored by name here; RouterOS keeps ids, so a rename follows through."""
        target = "/interface" if path in M.INTERFACE_TABLES else path
        for other_path, other in self.tables.items():
            fields = other.spec["fields"]
            names = [k for k, v in fields.items() if v["kind"] == "ref" and v["ref"][0] == target]
            if not names:
                continue
            for item in other.items.values():
                for name in names:
                    value = item.values.get(name)
                    if value == old:
                        item.values[name] = new
                    elif value == "!" + old:
                        item.values[name] = "!" + new

    def _op_set(self, table: Table, spec: dict[str, Any], attrs: dict[str, str]) -> Reply:
        if spec["kind"] == "singleton":
            items = [table.items[0]]
            attrs.pop(".id", None)
            attrs.pop("numbers", None)
        else:
            # a builtin interface list takes a set that changes nothing (a verbose export's
            # ``set [ find name=all ] comment=... name=all`` line loads back); other builtins refuse any set
            lenient = spec.get("builtin_set") == "unchanged"
            items = self._resolve(table, attrs, None if lenient else "failure: cannot change builtin")
            for item in items:
                if item.dynamic and item.builtin:
                    raise Fault("failure: cannot change builtin")
        values, unset = self._parse_fields(table.path, spec, attrs, allow_unset=True)
        for item in items:
            if item.builtin and (any(item.values.get(k, spec["fields"][k].get("default")) != v for k, v in values.items())
                                 or any(k in item.values for k in unset)):
                raise Fault("failure: cannot change builtin")
        for item in items:
            self._apply(table, spec, item, values, unset)
        return Reply()

    def _op_unset(self, table: Table, spec: dict[str, Any], attrs: dict[str, str]) -> Reply:
        name = attrs.pop("value-name", None)
        if spec["kind"] == "singleton":
            items = [table.items[0]]
        else:
            items = self._resolve(table, attrs, "failure: cannot change builtin")
        if not name:
            raise Fault("missing value(s) of argument(s) value-name")
        fspec = spec["fields"].get(name)
        if fspec is None or fspec.get("ro") or not fspec.get("clear"):
            # value-name's choices are the properties RouterOS can unset
            raise Fault(M.UNSET_REFUSED)
        for item in items:
            self._apply(table, spec, item, {}, [name])
        return Reply()

    def _op_comment(self, table: Table, spec: dict[str, Any], attrs: dict[str, str]) -> Reply:
        comment = attrs.pop("comment", "")
        return self._op_set(table, spec, dict(attrs, comment=comment))

    def _op_reset(self, table: Table, spec: dict[str, Any], attrs: dict[str, str]) -> Reply:
        """``reset numbers=X prop ...``: the named properties go back to their defaults (unverified
        beyond the tree: a mandatory property cannot be reset)."""
        items = self._resolve(table, attrs, "failure: cannot change builtin")
        names = [name for name in attrs if not name.startswith(".")]
        for name in names:
            fspec = spec["fields"].get(name)
            if fspec is None or fspec.get("ro"):
                raise Fault("unknown parameter %s" % name)
            if name in spec.get("mandatory", ()) or name == table.name_field:
                raise Fault(M.UNSET_REFUSED)
        for item in items:
            self._apply(table, spec, item, {}, names)
        return Reply()

    def _op_enable(self, table: Table, spec: dict[str, Any], attrs: dict[str, str]) -> Reply:
        for item in self._resolve(table, attrs, "failure: cannot change builtin"):
            self._apply(table, spec, item, {"disabled": "false"}, [])
        return Reply()

    def _op_disable(self, table: Table, spec: dict[str, Any], attrs: dict[str, str]) -> Reply:
        for item in self._resolve(table, attrs, "failure: cannot change builtin"):
            self._apply(table, spec, item, {"disabled": "true"}, [])
        return Reply()

    def _op_remove(self, table: Table, spec: dict[str, Any], attrs: dict[str, str]) -> Reply:
        items = self._resolve(table, attrs, "failure: cannot remove builtin")
        for item in items:
            if item.id in table.items:
                table.unindex(item)
                del table.items[item.id]
        return Reply()

    def _op_move(self, table: Table, spec: dict[str, Any], attrs: dict[str, str]) -> Reply:
        destination = attrs.pop("destination", None)
        items = self._resolve(table, attrs, "failure: cannot move builtin")
        moving = [item.id for item in items]
        dest_id: int | None = None
        if destination:
            dest_id = parse_id(destination)
            if dest_id is None and table.name_field:
                dest_id = table.by_name.get(destination)
            if dest_id in self._dummy_ids(table.path):
                raise Fault("failure: cannot move builtin")
            if dest_id in moving:
                raise Fault("failure: can not move object before itself")
            if dest_id not in table.items:
                dest_id = None
        rest = [(k, v) for k, v in table.items.items() if k not in moving]
        block = [(k, table.items[k]) for k in moving]
        rebuilt: dict[int, Item] = {}
        placed = False
        for key, value in rest:
            if key == dest_id and not placed:
                rebuilt.update(block)
                placed = True
            rebuilt[key] = value
        if not placed:
            rebuilt.update(block)
        table.items = rebuilt
        return Reply()

    # ---- add hooks ----------------------------------------------------------------------------
    def _auto_name(self, table: Table, item: Item, stem: str) -> None:
        if "name" in item.values:
            return
        number = 1
        while "%s%d" % (stem, number) in table.by_name:
            number += 1
        item.values["name"] = "%s%d" % (stem, number)

    def _hook_address_list(self, table: Table, item: Item) -> None:
        now = self.clock()
        meta = dict(item.meta or {})
        meta.setdefault("created", now)
        timeout = item.values.get("timeout")
        written = item.values.pop("dynamic", None)
        if written is not None:
            meta["dynamic"] = written == "true"
        if timeout:
            meta["expires"] = now + duration_seconds(timeout)
            item.dynamic = True
        else:
            meta.pop("expires", None)
            item.dynamic = bool(meta.get("dynamic"))
        item.meta = meta

    def _hook_vlan(self, table: Table, item: Item) -> None:
        self._auto_name(table, item, "vlan")

    def _hook_pppoe_client(self, table: Table, item: Item) -> None:
        self._auto_name(table, item, "pppoe-out")

    def _hook_user(self, table: Table, item: Item) -> None:
        item.meta = {"created": self.clock()}

    def _hook_netwatch(self, table: Table, item: Item) -> None:
        item.meta = {"created": self.clock(), "status": "unknown"}

    def _hook_scheduler(self, table: Table, item: Item) -> None:
        """Without ``start-time`` RouterOS starts the entry now: it fills in today's date and the time."""
        self._auto_name(table, item, "schedule")
        now = self.clock()
        item.meta = {"created": now}
        if "start-time" not in item.values:
            stamp = time.localtime(int(now))
            item.values["start-time"] = time.strftime("%H:%M:%S", stamp)
            if "start-date" not in item.values:
                date_format = "%Y-%m-%d" if self.version_at_least("7.10") else "%b/%d/%Y"
                item.values["start-date"] = time.strftime(date_format, stamp).lower()

    def _hook_script(self, table: Table, item: Item) -> None:
        self._auto_name(table, item, "script")

    def _hook_file(self, table: Table, item: Item) -> None:
        now = self.clock()
        item.meta = {"created": now, "modified": now}

    def _hook_route(self, table: Table, item: Item) -> None:
        if "gateway" not in item.values and "blackhole" not in item.values:
            item.values.setdefault("gateway", "")
            if not item.values["gateway"]:
                del item.values["gateway"]

    # ---- print --------------------------------------------------------------------------------
    def _print(self, path: str, spec: dict[str, Any], attrs: dict[str, str], queries: list[str],
               proplist: list[str] | None) -> Reply:
        if proplist is None and ".proplist" in attrs:
            proplist = [p for p in attrs[".proplist"].split(",") if p]
        matcher = compile_query(queries, spec["fields"]) if queries else None
        rows: Iterator[dict[str, str]] = self._render_all(path)
        if matcher is not None:
            rows = (row for row in rows if matcher(row))
        if proplist is not None:
            wanted = proplist
            rows = ({k: row[k] for k in wanted if k in row} for row in rows)
        if "count-only" in attrs:
            return Reply(rows=[], ret=str(sum(1 for dummy in rows)))
        return Reply(rows=rows)

    def _render_all(self, path: str) -> Iterator[dict[str, str]]:
        spec = M.MENUS[path]
        ctx: dict[str, Any] = {"now": self.clock()}
        if spec.get("derive") == "route":
            ctx["routes"] = self._route_state()
        if spec.get("firewall"):
            ctx["chains"] = {item.values.get("chain") for item in self.tables[path].items.values()}
        for item in self._items_for_print(path):
            yield self._render(path, spec, item, ctx)

    def _items_for_print(self, path: str) -> Iterator[Item]:
        if path == "/interface":
            merged = [item for owner in M.INTERFACE_TABLES for item in self.tables[owner].items.values()]
            merged.sort(key=lambda it: it.id)
            yield from merged
            return
        if path == "/routing/route":
            yield from self._routing_route_items()
            return
        if path == "/ip/route":
            yield from self._connected_items()
            yield from self._uplink_route_items()
        if path == "/ip/address":
            yield from self._dhcp_address_items()
        for dummy_id, chain in self._dummy_ids(path).items():
            yield Item(dummy_id, {"chain": chain, "action": "passthrough", "comment": M.FASTTRACK_DUMMY_COMMENT},
                       dynamic=True, builtin=True)
        yield from list(self.tables[path].items.values())

    def _render(self, path: str, spec: dict[str, Any], item: Item, ctx: dict[str, Any]) -> dict[str, str]:
        derive = spec.get("derive")
        derived = getattr(self, "_derive_" + derive)(path, item, ctx) if derive else {}
        row: dict[str, str] = {} if spec["kind"] == "singleton" else {".id": format_id(item.id)}
        values = item.values
        for name, fspec in spec["fields"].items():
            if name in derived:
                value = derived[name]
                if value is None or (fspec.get("flag") and value != "true"):
                    continue
                row[name] = value
            elif name == "dynamic":
                row[name] = "true" if item.dynamic else "false"
            elif name == "builtin":
                row[name] = "true" if item.builtin else "false"
            elif fspec.get("hidden"):
                continue
            elif name in values:
                row[name] = values[name]
            elif fspec["show"] == "always" and fspec.get("default") is not None and not fspec.get("flag"):
                row[name] = fspec["default"]
        shape = spec.get("disabled_shape")
        if shape and values.get("disabled") == "true":
            row = {k: row[k] for k in shape if k in row}
        return row

    # ---- derive functions (computed, read-only fields) ----------------------------------------
    def _derive_firewall(self, path: str, item: Item, ctx: dict[str, Any]) -> dict[str, str | None]:
        out: dict[str, str | None] = {}
        action = item.values.get("action", "accept")
        if action == "jump":
            target = item.values.get("jump-target")
            builtin_chains = ("prerouting", "input", "forward", "output", "postrouting", "srcnat", "dstnat")
            if not target or (target not in ctx["chains"] and target not in builtin_chains):
                out["invalid"] = "true"
        if path == "/ip/firewall/mangle":
            if action in M.PASSTHROUGH_ACTIONS:
                out["passthrough"] = item.values.get("passthrough", "true")
            else:
                out["passthrough"] = None
        return out

    def _derive_interface(self, path: str, item: Item, ctx: dict[str, Any]) -> dict[str, str | None]:
        is_vlan = "vlan-id" in item.values
        is_pppoe = item.id in self.tables["/interface/pppoe-client"].items
        name = item.values.get("name", "")
        running = self.interface_running(name)
        return {
            "type": "pppoe-out" if is_pppoe else ("vlan" if is_vlan else "ether"),
            "default-name": None if is_vlan or is_pppoe else item.values.get("default-name"),
            "actual-mtu": "1480" if is_pppoe else item.values.get("mtu", "1500"),
            "l2mtu": None if is_pppoe else ("1594" if is_vlan else "1514"),
            "mac-address": None if is_pppoe else self._mac_of(item),
            "running": "true" if running else "false",
            "last-link-up-time": _now_text(self.boot_time) if running else None,
        }

    def _mac_of(self, item: Item) -> str:
        if "mac-address" in item.values:
            return item.values["mac-address"]
        parent = self._interface_item(item.values.get("interface", ""))
        return self._mac_of(parent) if parent is not None and parent is not item else "02:00:00:00:00:00"

    def _derive_ethernet(self, path: str, item: Item, ctx: dict[str, Any]) -> dict[str, str | None]:
        return {
            "default-name": item.values.get("default-name"),
            "mac-address": item.values.get("mac-address"), "orig-mac-address": item.values.get("mac-address"),
            "running": "true" if item.values.get("disabled") != "true" else "false",
        }

    def _derive_vlan(self, path: str, item: Item, ctx: dict[str, Any]) -> dict[str, str | None]:
        return {
            "mac-address": self._mac_of(item), "l2mtu": "1594", "actual-mtu": item.values.get("mtu", "1500"),
            "running": "true" if self.interface_running(item.values.get("name", "")) else "false",
        }

    def _derive_ip_address(self, path: str, item: Item, ctx: dict[str, Any]) -> dict[str, str | None]:
        address = item.values.get("address", "0.0.0.0/32")
        network = item.values.get("network") or str(ipaddress.IPv4Interface(address).network.network_address)
        iface = item.values.get("interface", "")
        return {"network": network, "actual-interface": iface,
                "invalid": "false" if self.interface_exists(iface) else "true"}

    def _derive_address_list(self, path: str, item: Item, ctx: dict[str, Any]) -> dict[str, str | None]:
        meta = item.meta or {}
        out: dict[str, str | None] = {"creation-time": _now_text(meta.get("created", self.boot_time))}
        if "expires" in meta:
            out["timeout"] = format_duration(max(0.0, int(meta["expires"] - ctx["now"])))
        else:
            out["timeout"] = None
        return out

    def _derive_netwatch(self, path: str, item: Item, ctx: dict[str, Any]) -> dict[str, str | None]:
        meta = item.meta or {}
        since = meta.get("since")
        return {"status": self._netwatch_status(item, ctx["now"]), "since": _now_text(since) if since else None}

    def _netwatch_status(self, item: Item, now: float) -> str:
        if item.values.get("disabled") == "true":
            return "unknown"
        meta = item.meta or {}
        interval = duration_seconds(item.values.get("interval", "10s"))
        if now - meta.get("created", self.boot_time) < interval:
            return "unknown"
        return "up" if self.host_answers(item.values.get("host", "")) else "down"

    def _netwatch_tick(self, now: float) -> None:
        for item in self.tables["/tool/netwatch"].items.values():
            status = self._netwatch_status(item, now)
            meta = item.meta if item.meta is not None else {}
            item.meta = meta
            previous = meta.get("status", "unknown")
            if status != previous:
                meta["status"] = status
                meta["since"] = now
                script = item.values.get("up-script" if status == "up" else "down-script", "")
                if status in ("up", "down") and script and self.script_runner is not None:
                    self.script_runner(self, script)

    def _derive_scheduler(self, path: str, item: Item, ctx: dict[str, Any]) -> dict[str, str | None]:
        meta = item.meta or {}
        return {"run-count": str(meta.get("run-count", 0)),
                "next-run": meta.get("next-run")}

    def _derive_script(self, path: str, item: Item, ctx: dict[str, Any]) -> dict[str, str | None]:
        meta = item.meta or {}
        last = meta.get("last-started")
        return {"run-count": str(meta.get("run-count", 0)), "last-started": _now_text(last) if last else None}

    def _derive_file(self, path: str, item: Item, ctx: dict[str, Any]) -> dict[str, str | None]:
        meta = item.meta or {}
        name = item.values.get("name", "")
        contents = item.values.get("contents", "")
        size = len(contents.encode("utf-8", errors="surrogateescape"))
        return {"type": ".rsc file" if name.endswith(".rsc") else ("directory" if meta.get("directory") else "file"),
                "size": str(size), "contents": contents if size <= M.FILE_CONTENTS_LIMIT else None,
                "creation-time": _now_text(meta.get("created", self.boot_time)),
                "last-modified": _now_text(meta.get("modified", self.boot_time))}

    def _derive_resource(self, path: str, item: Item, ctx: dict[str, Any]) -> dict[str, str | None]:
        return {
            "uptime": format_duration(int(ctx["now"] - self.boot_time)), "version": "%s (stable)" % self.version,
            "build-time": "2025-06-01 10:00:00", "factory-software": "7.1", "free-memory": "1851392000",
            "total-memory": "2147483648", "cpu": "QEMU", "cpu-count": "2", "cpu-frequency": "2400", "cpu-load": "1",
            "free-hdd-space": "90000000", "total-hdd-space": "100000000", "write-sect-since-reboot": "100",
            "write-sect-total": "100", "architecture-name": "x86_64", "board-name": self.board_name, "platform": "MikroTik",
        }

    # ---- routes -------------------------------------------------------------------------------
    def host_answers(self, address: str) -> bool:
        return address not in self.unreachable

    def _connected_subnets(self) -> list[tuple[ipaddress.IPv4Network, str, Item]]:
        out = []
        for item in list(self.tables["/ip/address"].items.values()) + self._dhcp_address_items():
            if item.values.get("disabled") == "true":
                continue
            iface = item.values.get("interface", "")
            if not self.interface_running(iface):
                continue
            net = ipaddress.IPv4Interface(item.values["address"]).network
            out.append((net, iface, item))
        return out

    def _connected_ids(self) -> set[int]:
        return {M.CONNECTED_ID_BASE + item.id for dummy, dummy, item in self._connected_subnets()}

    def _connected_items(self) -> list[Item]:
        items = []
        for net, iface, addr in self._connected_subnets():
            local = addr.values["address"].split("/")[0]
            items.append(Item(M.CONNECTED_ID_BASE + addr.id, {
                "dst-address": str(net), "gateway": iface, "distance": "0", "scope": "10", "target-scope": "5",
                "routing-table": "main"}, dynamic=True, builtin=True, meta={"connected": True, "local": "%s%%%s" % (local, iface)}))
        return items

    def _gateway_state(self, gateway: str, check: str | None, subnets: list[tuple[ipaddress.IPv4Network, str, Item]]) -> str | None:
        """The immediate gateway when ``gateway`` is usable, else None."""
        for gw in gateway.split(","):
            address, dummy, iface = gw.partition("%")
            address, dummy, _table = address.partition("@")
            try:
                ip = ipaddress.IPv4Address(address)
            except ValueError:
                if self.interface_running(address):
                    return address
                continue
            if iface:
                if not self.interface_running(iface):
                    continue
                if check and check != "none" and not self.host_answers(address):
                    continue
                return "%s%%%s" % (address, iface)
            for net, net_iface, dummy in subnets:
                if ip in net:
                    if check and check != "none" and not self.host_answers(address):
                        break
                    return "%s%%%s" % (address, net_iface)
        return None

    def _route_state(self) -> dict[int, dict[str, str | None]]:
        subnets = self._connected_subnets()
        state: dict[int, dict[str, str | None]] = {}
        groups: dict[tuple[str, str], list[tuple[int, int]]] = {}
        for item in self._connected_items():
            state[item.id] = {"immediate-gw": item.values["gateway"], "usable": "yes"}
            groups.setdefault(("main", item.values["dst-address"]), []).append((0, item.id))
        for item in self._uplink_route_items():
            # a DHCP client's check-gateway checks the routes it installs
            if item.meta.get("check", "none") != "none" and not self.host_answers(item.meta["gateway"]):
                state[item.id] = {"immediate-gw": "", "usable": None}
                continue
            state[item.id] = {"immediate-gw": item.meta["immediate"], "usable": "yes"}
            key = (item.values["routing-table"], item.values["dst-address"])
            groups.setdefault(key, []).append((int(item.values["distance"]), item.id))
        for item in self.tables["/ip/route"].items.values():
            values = item.values
            if values.get("disabled") == "true":
                state[item.id] = {}
                continue
            if "blackhole" in values:
                immediate: str | None = ""
                usable = True
            else:
                immediate = self._gateway_state(values.get("gateway", ""), values.get("check-gateway"), subnets)
                usable = immediate is not None
            state[item.id] = {"immediate-gw": immediate if usable else "", "usable": "yes" if usable else None}
            if usable:
                key = (values.get("routing-table", "main"), values.get("dst-address", "0.0.0.0/0"))
                groups.setdefault(key, []).append((int(values.get("distance", "1")), item.id))
        for members in groups.values():
            best = min(distance for distance, dummy in members)
            winners = [item_id for distance, item_id in members if distance == best]
            for item_id in winners:
                state[item_id]["active"] = "true"
                if len(winners) > 1:
                    state[item_id]["ecmp"] = "true"
        return state

    def _derive_route(self, path: str, item: Item, ctx: dict[str, Any]) -> dict[str, str | None]:
        info = ctx["routes"].get(item.id, {})
        if item.meta and item.meta.get("connected"):
            return {"immediate-gw": info.get("immediate-gw"), "connect": "true", "active": info.get("active"),
                    "inactive": "false", "local-address": item.meta["local"], "static": None}
        if item.meta and item.meta.get("uplink"):
            usable = info.get("usable") is not None
            return {"immediate-gw": info.get("immediate-gw"), "dhcp": "true" if item.meta["uplink"] == "dhcp" else None,
                    "active": info.get("active"), "ecmp": info.get("ecmp"), "inactive": "false" if usable else "true",
                    "static": None}
        if item.values.get("disabled") == "true":
            return {"static": "true", "inactive": "false", "immediate-gw": None}
        usable = info.get("usable") is not None
        return {
            "immediate-gw": info.get("immediate-gw", ""),
            "static": "true",
            "active": info.get("active"),
            "ecmp": info.get("ecmp"),
            "inactive": "false" if usable else "true",
        }

    # ---- uplinks: DHCP and PPPoE clients --------------------------------------------------------
    def add_account(self, name: str, group: str) -> None:
        """One of the server's login accounts, listed in ``/user`` (its password is the server's)."""
        with self.lock:
            table = self.tables["/user"]
            if name not in table.by_name:
                item = Item(table.next_id, {"name": name, "group": group}, meta={"created": self.boot_time})
                table.next_id += 1
                table.insert(item)

    def set_dhcp_lease(self, interface: str, address: str = "", gateway: str = "") -> None:
        """The DHCP server on ``interface`` offers ``address`` (CIDR) with ``gateway``, or nothing (empty
        ``address``); a DHCP client on that interface, now or added later, is bound to it."""
        with self.lock:
            if not address:
                self.dhcp_leases.pop(interface, None)
                return
            ipaddress.IPv4Interface(address)
            ipaddress.IPv4Address(gateway)
            self.dhcp_leases[interface] = {"address": address, "gateway": gateway}

    def set_pppoe_session(self, name: str, up: bool) -> None:
        """Bring the session of the PPPoE client ``name`` up or down."""
        with self.lock:
            item_id = self.tables["/interface/pppoe-client"].by_name.get(name)
            if item_id is None:
                raise ValueError("no PPPoE client named %r" % name)
            if up:
                self.pppoe_up.add(item_id)
            else:
                self.pppoe_up.discard(item_id)

    def _bound_leases(self) -> list[tuple[Item, dict[str, str]]]:
        """(client, lease) of every enabled DHCP client with a lease on a running interface."""
        out = []
        for item in self.tables["/ip/dhcp-client"].items.values():
            lease = self.dhcp_leases.get(item.values.get("interface", ""))
            if lease and item.values.get("disabled") != "true" and self.interface_running(item.values.get("interface", "")):
                out.append((item, lease))
        return out

    def _dhcp_address_items(self) -> list[Item]:
        return [Item(M.DHCP_ADDRESS_ID_BASE + client.id, {"address": lease["address"], "interface": client.values["interface"]},
                     dynamic=True) for client, lease in self._bound_leases()]

    @staticmethod
    def dhcp_route_tables(value: str | None, distance: str) -> list[tuple[str, str]]:
        """``default-route-tables`` -> (table, distance): ``table[:distance],...``; a table without a
        distance, and ``default`` (main), take ``default-route-distance``."""
        out = []
        for part in (value or "default").split(","):
            table, dummy, own = part.strip().partition(":")
            if table:
                out.append(("main" if table == "default" else table, own or distance))
        return out

    def _uplink_route_items(self) -> list[Item]:
        """The dynamic default routes DHCP clients (a lease, ``add-default-route``) and PPPoE clients
        (session up, ``add-default-route=yes``) install."""
        items = []
        for client, lease in self._bound_leases():
            if client.values.get("add-default-route", "yes") == "no":
                continue
            iface = client.values["interface"]
            tables = self.dhcp_route_tables(client.values.get("default-route-tables"), client.values.get("default-route-distance", "1"))
            for index, (table, distance) in enumerate(tables):
                items.append(Item(M.DHCP_ROUTE_ID_BASE + client.id * 0x100 + index, {
                    "dst-address": "0.0.0.0/0", "gateway": lease["gateway"], "distance": distance, "scope": "30",
                    "target-scope": "10", "routing-table": table}, dynamic=True, builtin=True,
                    meta={"uplink": "dhcp", "immediate": "%s%%%s" % (lease["gateway"], iface),
                          "check": client.values.get("check-gateway", "none"), "gateway": lease["gateway"]}))
        for client in self.tables["/interface/pppoe-client"].items.values():
            name = client.values.get("name", "")
            if client.values.get("add-default-route") != "true" or not self.interface_running(name):
                continue
            items.append(Item(M.PPP_ROUTE_ID_BASE + client.id, {
                "dst-address": "0.0.0.0/0", "gateway": name, "distance": client.values.get("default-route-distance", "1"),
                "scope": "30", "target-scope": "10", "routing-table": "main"}, dynamic=True, builtin=True,
                meta={"uplink": "pppoe", "immediate": name}))
        return items

    def _derive_dhcp_client(self, path: str, item: Item, ctx: dict[str, Any]) -> dict[str, str | None]:
        lease = self.dhcp_leases.get(item.values.get("interface", ""))
        if item.values.get("disabled") == "true":
            return {"status": "stopped"}
        if not lease or not self.interface_running(item.values.get("interface", "")):
            return {"status": "searching..."}
        return {"status": "bound", "address": lease["address"], "gateway": lease["gateway"], "dhcp-server": lease["gateway"],
                "expires-after": "10m"}

    def _derive_pppoe_client(self, path: str, item: Item, ctx: dict[str, Any]) -> dict[str, str | None]:
        return {"running": "true" if self.interface_running(item.values.get("name", "")) else "false"}

    def _derive_clock(self, path: str, item: Item, ctx: dict[str, Any]) -> dict[str, str | None]:
        stamp = time.gmtime(ctx["now"])
        date = time.strftime("%Y-%m-%d", stamp) if self.version_at_least("7.10") else time.strftime("%b/%d/%Y", stamp).lower()
        return {"time": item.values.get("time", time.strftime("%H:%M:%S", stamp)), "date": item.values.get("date", date)}

    def _routing_route_items(self) -> list[Item]:
        """``/routing/route``: every route of ``/ip/route`` with RouterOS 7's extra columns."""
        items = []
        for row in self._render_all("/ip/route"):
            values = {k: v for k, v in row.items() if k != ".id"}
            if values.get("connect") == "true":
                values["belongs-to"] = "connected"
            elif values.get("dhcp") == "true":
                values["belongs-to"] = "DHCP"
            elif values.get("static") == "true":
                values["belongs-to"] = "Static route"
            else:
                values["belongs-to"] = "PPP"
            values["afi"] = "ip4"
            values["contribution"] = "active" if values.get("active") == "true" else "candidate"
            dynamic = values.pop("dynamic", "false") == "true"
            items.append(Item(parse_id(row[".id"]) or 0, values, dynamic=dynamic, builtin=dynamic))
        return items

    # ---- persistence --------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        with self.lock:
            tables = {}
            for path, table in self.tables.items():
                tables[path] = {
                    "next_id": table.next_id,
                    "items": [[item.id, item.values, item.dynamic, item.builtin, item.meta] for item in table.items.values()],
                }
            return {"name": self.name, "identity": self.identity(), "version": self.version, "interfaces": self.interfaces,
                    "board_name": self.board_name, "iface_next": self.iface_next, "unreachable": sorted(self.unreachable),
                    "dhcp_leases": dict(self.dhcp_leases), "pppoe_up": sorted(self.pppoe_up),
                    "tables": tables}

    @classmethod
    def from_json(cls, data: dict[str, Any], **kwargs: Any) -> "Router":
        router = cls(identity=data.get("identity", "MikroTik"), version=data.get("version", "7.19"),
                     interfaces=data.get("interfaces"), board_name=data.get("board_name", "CHR"), name=data.get("name"), **kwargs)
        router.load_state(data)
        return router

    def load_state(self, data: dict[str, Any]) -> None:
        with self.lock:
            for path, saved in data.get("tables", {}).items():
                if path not in self.tables:
                    continue
                table = Table(path, M.MENUS[path])
                table.next_id = saved["next_id"]
                for item_id, values, dynamic, builtin, meta in saved["items"]:
                    item = Item(item_id, dict(values), dynamic, builtin, meta)
                    table.insert(item)
                    if meta and "expires" in meta:
                        heapq.heappush(table.expiry, (meta["expires"], item_id))
                self.tables[path] = table
            self.iface_next = data.get("iface_next", self.iface_next)
            self.unreachable = set(data.get("unreachable", ()))
            self.dhcp_leases = dict(data.get("dhcp_leases", {}))
            self.pppoe_up = set(data.get("pppoe_up", ()))


# ---- the command tree ---------------------------------------------------------------------------
# Answer to ``find``/``export`` with ``where=`` over the API: a console expression the lab evaluates
# only in the console.
WHERE_UNSUPPORTED = "failure: where= is evaluated by the lab's console only"


def check_arguments(path: str, verb: str, attrs: dict[str, str]) -> None:
    """Every argument must be one of the command's in RouterOS 7.19 (``unknown parameter X``, which the
    console shows as ``expected end of command``). API words (``.id``, ``.proplist``) are not arguments."""
    tree = M.TREE.get(path)
    if tree is None:
        return
    allowed = tree["commands"].get("print" if verb == "getall" else verb)
    if allowed is None:
        return
    for name in attrs:
        if name.startswith("."):
            continue
        real = name[1:] if name.startswith("!") and verb == "set" else name
        if real not in allowed:
            raise Fault("unknown parameter %s" % real)


# ---- queries ------------------------------------------------------------------------------------
def _compare_key(value: str) -> tuple[int, Any]:
    if value.startswith("*"):
        parsed = parse_id(value)
        if parsed is not None:
            return (0, parsed)
    try:
        return (0, int(value))
    except ValueError:
        return (1, value)


def compile_query(words: list[str], fields: dict[str, dict[str, Any]]) -> Callable[[dict[str, str]], bool]:
    """The API query stack machine (``?name``, ``?-name``, ``?=name=v``, ``?<``, ``?>``, ``?#ops``)."""
    program: list[tuple[str, str, str]] = []
    for word in words:
        body = word[1:]
        if body.startswith("#"):
            program.append(("ops", body[1:], ""))
            continue
        if body.startswith("-"):
            program.append(("absent", body[1:], ""))
            continue
        op = "eq"
        if body[:1] in ("=", "<", ">"):
            op = {"=": "eq", "<": "lt", ">": "gt"}[body[0]]
            body = body[1:]
        if "=" not in body:
            program.append(("present", body, ""))
            continue
        name, value = body.split("=", 1)
        spec = fields.get(name, {})
        if spec.get("kind") == "bool" or spec.get("flag") or name in (
                "dynamic", "builtin", "invalid", "active", "inactive", "static", "connect", "dhcp", "ecmp", "running", "disabled"):
            low = value.lower()
            if low in ("yes", "true"):
                value = "true"
            elif low in ("no", "false"):
                value = "false"
        program.append((op, name, value))

    def row_value(row: dict[str, str], name: str) -> str | None:
        if name in row:
            return row[name]
        spec = fields.get(name)
        if spec is not None and spec.get("default") is not None and not spec.get("flag"):
            return spec["default"]
        if spec is not None and spec.get("absent") is not None:
            return spec["absent"]
        if spec is not None and spec.get("flag"):
            return "false"
        return None

    def matcher(row: dict[str, str]) -> bool:
        stack: list[bool] = []
        for op, name, value in program:
            if op == "present":
                stack.append(name in row)
            elif op == "absent":
                stack.append(name not in row)
            elif op == "eq":
                stack.append(row_value(row, name) == value)
            elif op in ("lt", "gt"):
                current = row_value(row, name)
                if current is None:
                    stack.append(False)
                elif op == "lt":
                    stack.append(_compare_key(current) < _compare_key(value))
                else:
                    stack.append(_compare_key(current) > _compare_key(value))
            else:
                _run_ops(stack, name)
        return all(stack)

    return matcher


def _pop(stack: list[bool]) -> bool:
    return stack.pop() if stack else True


def _at(stack: list[bool], index: int) -> bool:
    return stack[-1 - index] if index < len(stack) else True


def _run_ops(stack: list[bool], ops: str) -> None:
    pos = 0
    after_index = False
    while pos < len(ops):
        char = ops[pos]
        if char.isdigit():
            end = pos
            while end < len(ops) and ops[end].isdigit():
                end += 1
            value = _at(stack, int(ops[pos:end]))
            if end == len(ops):
                stack[:] = [value]
            else:
                stack.append(value)
            pos = end
            after_index = True
            continue
        if char == "!":
            stack.append(not _pop(stack))
        elif char == "&":
            right, left = _pop(stack), _pop(stack)
            stack.append(left and right)
        elif char == "|":
            right, left = _pop(stack), _pop(stack)
            stack.append(left or right)
        elif char == "." and not after_index:
            stack.append(_at(stack, 0))
        after_index = False
        pos += 1
