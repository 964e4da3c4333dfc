"""What every menu module uses: field constructors, ``declare`` (a menu and the functions registered
with it) and ``LabRouter``, the router interface those functions and the API, CLI, export and control
layers see.

Field keys:
  kind      str | bool | int | enum | set | switch | duration | address | prefix | ifaddress |
            listaddress | ref | routetables | computed
  default   value RouterOS uses when the field was never written (``None``: no default)
  show      "always" (printed with its default) | "set" (printed only once written)
  choices   allowed values for enum/set
  ref       ("/menu/path", label) hard reference that must name an existing object (the error names the field)
  range     (low, high) for int
  neg       accepts a leading ``!`` (firewall matchers)
  ro        read-only (computed at print; writing it is an unknown parameter)
  flag      computed boolean printed only when true
  absent    value a query (API ``?=name=v``, console ``find where``) sees while the field was never
            written; print and export still leave it out (``disabled``/``log`` on firewall rules and routes)
  clear     ``!name`` (API ``=!name=``, console ``set ... !name``) and ``unset value-name=name`` may
            remove the value; other fields answer ``UNSET_REFUSED``
  stored    a RouterOS property the lab stores and prints without modelling its effect (``STORED_ONLY``)
  specials  values a ref or duration field takes besides references and durations
  hidden    written, never printed (a user's password)

Menu keys (``declare(path, {...})``):
  kind      list | singleton
  ordered   entries keep a user-controlled order (move, place-before)
  verbs     API verbs the menu accepts (set at import from the RouterOS tree, see ``menus.reconcile``)
  mandatory fields that add requires
  name      field usable as ``.id`` and as a reference target
  natural_key fields that identify an entry for the console and exporters (default: ``unique``, else ``name``)
  unique    tuple of fields that must be unique together, with the error text
  ids       "seq" (``*1``...), "route" (``*80000001``...) or "iface" (the interfaces' shared counter)
  interface the items are interfaces (one namespace of names, one ``/interface`` view)
  view      no storage of its own: print lists ``items``; writes go to ``writes_to``, or to the
            interface menu that holds the item
  since     {verb: version}: verbs that exist only from that RouterOS version
  builtin_set "unchanged": a ``set`` on a builtin entry that changes nothing succeeds (otherwise any
            ``set`` on a builtin is ``failure: cannot change builtin``)
  disabled_shape the columns a disabled entry prints
  export    ``Export``: the menu's place and quirks in ``/export`` (a menu without it is not exported)

Functions registered with a menu (decorators of the ``Declared`` that ``declare`` returns):
  derive    (router, path, item, ctx) -> {field: value or None}: computed, read-only values at print
  context   (router, path) -> dict: computed once per print, shared by the rows' ``derive`` (``ctx``)
  items     (router, path) -> items: what print lists (default: the stored items)
  hook      (router, table, item): on add, before the checks (auto names, timestamps)
  on_set    (router, table, item, values, unset): after a set/unset/enable/disable changed an item
  parser(f) (router, raw) -> stored text: the parser of field ``f`` instead of its kind's
  fixed_ids (router, path) -> ids: dynamic entries print lists that no write may touch (``cannot change builtin``)
  builtins  (router, table): the builtin entries a new router has
  running   (router, item) -> bool: whether an interface of this menu runs (else: enabled and its parent runs)
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Protocol

from ..storage import Item, Table

LIST_VERBS = ("print", "add", "set", "remove", "unset", "enable", "disable", "getall")
ORDERED_VERBS = LIST_VERBS + ("move",)
SINGLETON_VERBS = ("print", "set", "getall")


def f(kind: str = "str", **kw: Any) -> dict[str, Any]:
    spec = {"kind": kind, "default": None, "show": "set", "clear": False}
    spec.update(kw)
    return spec


def ro(default: Any = None) -> dict[str, Any]:
    return f("computed", ro=True, default=default, show="always")


def flag() -> dict[str, Any]:
    return f("computed", ro=True, flag=True)


def c(kind: str = "str", **kw: Any) -> dict[str, Any]:
    """A field RouterOS can unset (``!name``)."""
    return f(kind, clear=True, **kw)


# Answer to ``unset value-name=X`` (and ``set =!X=``) for a property RouterOS cannot unset. First-hand
# for ``unset`` of a firewall rule's ``disabled``/``log`` on 7.23 (REST ``/unset``, same parser); the
# answer to the API's ``=!X=`` word is not verified (the console says ``syntax error``).
UNSET_REFUSED = "input does not match any value of value-name"
# An interface name already used by another interface (ethernet, vlan and pppoe-client names share
# one namespace; unverified text).
INTERFACE_NAME_EXISTS = "failure: already have interface with such name"
NAME_EXISTS = "failure: item with this name already exists"

COMMENT = c("str")
DISABLED_ALWAYS = f("bool", default="false", show="always")

IFACE_REF = ("/interface", "interface")
IFLIST_REF = ("/interface/list", "interface-list")
TABLE_REF = ("/routing/table", "routing-table")


@dataclass(frozen=True)
class Export:
    """How ``/export`` writes a menu (``export.py``), as real RouterOS 7.19/7.20 exports do."""

    order: int                        # the menu's place in RouterOS's export order
    always: tuple[str, ...] = ()      # exported even at their default (``add action=accept chain=...``)
    written: bool = False             # exports what was written, also a default (``add dst-address=0.0.0.0/0``)
    selector: str = "name"            # identifies a builtin entry: ``set [ find <selector>=... ]``
    skip_builtins: bool = False       # builtin entries are never exported (they cannot change)
    sensitive: tuple[str, ...] = ()   # exported only with ``show-sensitive``
    state: tuple[str, ...] = ()       # never exported: state, not configuration (the clock's time)


class LabRouter(Protocol):
    """The router as menus and the layers above the model see it (``model.Router`` implements it)."""

    name: str
    version: str
    board_name: str
    boot_time: float
    clock: Callable[[], float]
    lock: threading.RLock
    tables: dict[str, Table]
    interface_tables: tuple[str, ...]
    counters: dict[str, dict[str, int]]
    dhcp_leases: dict[str, dict[str, str]]
    pppoe_up: set[int]

    def version_at_least(self, version: str) -> bool:
        ...

    def interface_exists(self, name: str) -> bool:
        ...

    def interface_item(self, name: str) -> Item | None:
        ...

    def interface_running(self, name: str) -> bool:
        ...

    def host_answers(self, address: str) -> bool:
        ...

    def schedule_expiry(self, table: Table, item: Item) -> None:
        ...

    def render_all(self, path: str) -> Iterable[dict[str, str]]:
        """The rows of a menu as print shows them (hold ``lock``)."""

    def rows(self, path: str) -> list[dict[str, str]]:
        ...

    def rows_storing(self, path: str, field: str, value: str, norm: Callable[[str], str] = ...) -> list[dict[str, str]]:
        ...

    def menus(self) -> list[str]:
        ...

    def execute(self, command: str, attrs: dict[str, str] | None = None, queries: Iterable[str] = (),
                proplist: list[str] | None = None, user: str = "admin", stream: bool = False) -> Any:
        """Run one API-form command (``Reply``)."""

    def register_command(self, command: str, handler: Callable[..., Any]) -> None:
        ...

    def register_tick(self, callback: Callable[..., Any]) -> None:
        ...


Derived = dict[str, "str | None"]
Derive = Callable[[LabRouter, str, Item, dict[str, Any]], Derived]
Context = Callable[[LabRouter, str], dict[str, Any]]
Items = Callable[[LabRouter, str], Iterable[Item]]
Hook = Callable[[LabRouter, Table, Item], None]
OnSet = Callable[[LabRouter, Table, Item, dict[str, str], list[str]], None]
Parser = Callable[[LabRouter, str], str]
FixedIds = Callable[[LabRouter, str], "dict[int, str] | set[int]"]
Builtins = Callable[[LabRouter, Table], None]
Running = Callable[[LabRouter, Item], bool]

# Every declared menu, by path, in declaration order (the package imports its modules, then reads this).
DECLARED: dict[str, dict[str, Any]] = {}


class Declared:
    """One declared menu: its spec, and decorators that register its functions."""

    def __init__(self, path: str, spec: dict[str, Any]) -> None:
        self.path = path
        self.spec = spec

    def _register(self, key: str, function: Callable[..., Any]) -> Callable[..., Any]:
        if key in self.spec:
            raise ValueError("%s: %s registered twice" % (self.path, key))
        self.spec[key] = function
        return function

    def derive(self, function: Derive) -> Derive:
        return self._register("derive", function)

    def context(self, function: Context) -> Context:
        return self._register("context", function)

    def items(self, function: Items) -> Items:
        return self._register("items", function)

    def hook(self, function: Hook) -> Hook:
        return self._register("hook", function)

    def on_set(self, function: OnSet) -> OnSet:
        return self._register("on_set", function)

    def fixed_ids(self, function: FixedIds) -> FixedIds:
        return self._register("fixed_ids", function)

    def builtins(self, function: Builtins) -> Builtins:
        return self._register("builtins", function)

    def running(self, function: Running) -> Running:
        return self._register("running", function)

    def parser(self, name: str) -> Callable[[Parser], Parser]:
        def register(function: Parser) -> Parser:
            self.spec.setdefault("parsers", {})[name] = function
            return function
        return register


def declare(path: str, spec: dict[str, Any]) -> Declared:
    """Declare the menu at ``path`` (its fields and keys, see above); returns it for registering functions."""
    if path in DECLARED:
        raise ValueError("menu %s declared twice" % path)
    DECLARED[path] = spec
    return Declared(path, spec)


def auto_name(table: Table, item: Item, stem: str) -> None:
    """An unnamed entry gets ``<stem><n>``, the first number free (``vlan1``, ``schedule2``)."""
    if "name" in item.values:
        return
    number = 1
    while "%s%d" % (stem, number) in table.by_name:
        number += 1
    item.values["name"] = "%s%d" % (stem, number)
