"""The router model: ``Router``, one emulated RouterOS 7 router.

Its parts live in their own modules: the menus (``menus/``, one module per family), storage
(``storage``), the verbs (``verbs``), print (``render``), the query language (``query``), state files
(``state``) and the simulations (``simulation/``). ``Router`` ties them together and is the interface
(``menus.base.LabRouter``) the API, CLI, export and control layers use.
"""

from __future__ import annotations

import heapq
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from . import certs, export, scripting, tools
from . import state as state_files
from .menus import INTERFACE_TABLES, MENUS
from .render import Rendering
from .reply import Reply
from .simulation import dhcp, netwatch, pppoe
from .storage import Item, Table
from .values import version_tuple
from .verbs import Verbs

# Interfaces every RouterOS 7 router has besides its ports: the loopback (a valid reference; the lab
# does not list it in /interface print).
BUILTIN_INTERFACES = ("lo",)


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

    def prints_only_when_set(self, name: str) -> bool:
        return self.fields.get(name, {}).get("show") == "set"


class Router(Verbs, Rendering):
    """One emulated RouterOS v7 router."""

    interface_tables = INTERFACE_TABLES

    def __init__(self, identity: str = "MikroTik", version: str = "7.19", interfaces: Iterable[str] | None = None,
                 board_name: str = "CHR", name: str | None = None, clock: Callable[[], float] = time.time,
                 load_extensions: bool = True) -> None:
        super().__init__()
        self.name = name or identity
        self.version = version
        self.version_tuple = version_tuple(version)
        self.board_name = board_name
        self.clock = clock
        self.boot_time = clock()
        self.lock = threading.RLock()
        self.tables: dict[str, Table] = {path: Table(path, spec) for path, spec in MENUS.items() if not spec.get("view")}
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
            # the console side: /export and /file/read, /system/script and the scheduler, /certificate/sign,
            # /ping and /tool/traceroute
            for extension in (export, scripting, certs, tools):
                extension.register(self)

    # ---- construction -------------------------------------------------------------------------
    def _init_builtins(self, identity: str) -> None:
        for path, spec in MENUS.items():
            builtins = spec.get("builtins")
            if builtins is not None:
                builtins(self, self.tables[path])
        for index, iface in enumerate(self.interfaces):
            self.add_ethernet(iface, index)
        for path, spec in MENUS.items():
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

    # ---- seams for the CLI side ---------------------------------------------------------------
    def register_command(self, command: str, handler: Callable[..., Reply]) -> None:
        self.handlers[command] = handler

    def register_tick(self, callback: Callable[..., Any]) -> None:
        self.tick_callbacks.append(callback)

    def menu(self, path: str) -> Menu:
        spec = MENUS[path]
        natural: tuple[str, ...] = ()
        if spec.get("unique"):
            natural = spec["unique"][0]
        elif spec.get("name"):
            natural = (spec["name"],)
        elif spec.get("natural_key"):
            natural = spec["natural_key"]
        return Menu(path=path, kind=spec["kind"], ordered=bool(spec.get("ordered")), fields=spec["fields"],
                    name_field=spec.get("name"), natural_key=natural, mandatory=tuple(spec.get("mandatory", ())),
                    verbs=tuple(spec["verbs"]))

    def menus(self) -> list[str]:
        return list(MENUS)

    def rows(self, path: str) -> list[dict[str, str]]:
        with self.lock:
            self._expire()
            return list(self.render_all(path))

    def rows_storing(self, path: str, field: str, value: str,
                     norm: Callable[[str], str] = lambda text: text) -> list[dict[str, str]]:
        """The rows of the items whose stored ``field`` is ``value`` once both are ``norm``-alised, for a field no menu
        derives or defaults (``comment``): every row that prints a ``field`` comparing equal is among them. The
        console's ``find where comment="..."`` renders those instead of every row of the table (a 100,000-entry list,
        once per command of a script)."""
        wanted = norm(value)
        with self.lock:
            self._expire()
            return list(self.render_all(path, lambda item: norm(str(item.values.get(field, ""))) == wanted))

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
            netwatch.tick(self, current, self.script_runner)
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

    def interface_exists(self, name: str) -> bool:
        return any(name in self.tables[path].by_name for path in INTERFACE_TABLES) or name in BUILTIN_INTERFACES

    def interface_item(self, name: str) -> Item | None:
        for path in INTERFACE_TABLES:
            table = self.tables[path]
            item_id = table.by_name.get(name)
            if item_id is not None:
                return table.items[item_id]
        return None

    def interface_running(self, name: str) -> bool:
        item = self.interface_item(name)
        if item is None or item.values.get("disabled") == "true":
            return False
        for path in INTERFACE_TABLES:
            running = MENUS[path].get("running")
            if running is not None and item.id in self.tables[path].items:
                return bool(running(self, item))
        parent = item.values.get("interface")
        if parent:
            return self.interface_running(parent)
        return True

    def host_answers(self, address: str) -> bool:
        return address not in self.unreachable

    # ---- uplinks: DHCP and PPPoE clients --------------------------------------------------------
    def add_account(self, name: str, group: str) -> None:
        """One of the server's login accounts, listed in ``/user`` (its password is the server's)."""
        with self.lock:
            table = self.tables["/user"]
            if name not in table.by_name:
                item = Item(table.next_id, {"name": name, "group": group}, meta={"created": self.boot_time})
                table.next_id += 1
                table.insert(item)

    def login_password(self, name: str, account_password: str | None) -> str | None:
        """The password the server's account ``name`` logs in with on this router: the one ``/user set`` (or
        ``add``) stored, else the account's own (``account_password``). None: ``name`` is no account of the
        server, and users added in ``/user`` only never log in (the lab has no per-user groups for them)."""
        if account_password is None:
            return None
        with self.lock:
            table = self.tables["/user"]
            item_id = table.by_name.get(name)
            stored = table.items[item_id].values.get("password") if item_id is not None else None
        return account_password if stored is None else stored

    def set_dhcp_lease(self, interface: str, address: str = "", gateway: str = "") -> None:
        """The DHCP server on ``interface`` offers ``address`` (CIDR) with ``gateway``, or nothing (empty
        ``address``); a DHCP client on that interface, now or added later, is bound to it."""
        with self.lock:
            dhcp.set_lease(self, interface, address, gateway)

    def set_pppoe_session(self, name: str, up: bool) -> None:
        """Bring the session of the PPPoE client ``name`` up or down."""
        with self.lock:
            pppoe.set_session(self, name, up)

    # ---- persistence --------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        with self.lock:
            return state_files.to_json(self)

    @classmethod
    def from_json(cls, data: dict[str, Any], **kwargs: Any) -> "Router":
        router = cls(identity=data.get("identity", "MikroTik"), version=data.get("version", "7.19"),
                     interfaces=data.get("interfaces"), board_name=data.get("board_name", "CHR"), name=data.get("name"), **kwargs)
        router.load_state(data)
        return router

    def load_state(self, data: dict[str, Any]) -> None:
        with self.lock:
            state_files.load_state(self, data)
