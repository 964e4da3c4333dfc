"""The verbs: ``Router.execute`` runs one API-form command against the tables (print is in ``render``)."""

from __future__ import annotations

import heapq
import threading
from typing import Any, Callable, Iterable

from .menus import DIRECTORIES, INTERFACE_NAME_EXISTS, INTERFACE_TABLES, MENUS, TOOLS, TREE, UNSET_REFUSED
from .query import compile_query
from .reply import Fault, Reply, Trap, trap_category
from .storage import Item, Table, format_id, parse_id
from .values import (
    ValueFault,
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
)

WRITE_VERBS = ("add", "set", "remove", "move", "unset", "enable", "disable", "comment", "reset")
READ_VERBS = ("print", "getall")
# Answer to ``find``/``export`` with ``where=`` over the API: a console expression the lab evaluates
# only in the console.
WHERE_UNSUPPORTED = "failure: where= is evaluated by the lab's console only"


def check_arguments(path: str, verb: str, attrs: dict[str, str]) -> None:
    """Every argument must be one of the command's in RouterOS 7.19 (``unknown parameter X``, which the
    console shows as ``expected end of command``). API words (``.id``, ``.proplist``) are not arguments."""
    tool = TOOLS.get(path.rstrip("/") + "/" + verb)
    tree = TREE.get(path)
    if tool is not None:
        allowed: list[str] | None = tool
    elif tree is None:
        return
    else:
        allowed = tree["commands"].get("print" if verb == "getall" else verb)
    if allowed is None:
        return
    for name in attrs:
        if name.startswith("."):
            continue
        real = name[1:] if name.startswith("!") and verb == "set" else name
        if real not in allowed:
            raise Fault("unknown parameter %s" % real)


class Verbs:
    """The write and lookup side of ``model.Router``."""

    lock: threading.RLock
    tables: dict[str, Table]
    handlers: dict[str, Callable[..., Reply]]
    counters: dict[str, dict[str, int]]
    faults: dict[str, Any]
    good_writes: int
    iface_next: int
    user_groups: dict[str, str]

    def __init__(self) -> None:
        self._write_verbs: dict[str, Callable[[Table, dict[str, Any], dict[str, str]], Reply]] = {
            "add": self._op_add, "set": self._op_set, "remove": self._op_remove, "move": self._op_move,
            "unset": self._op_unset, "enable": self._op_enable, "disable": self._op_disable,
            "comment": self._op_comment, "reset": self._op_reset,
        }

    def _fixed_ids(self, path: str) -> dict[int, str] | set[int]:
        fixed = MENUS[path].get("fixed_ids")
        return fixed(self, path) if fixed is not None else set()

    def schedule_expiry(self, table: Table, item: Item) -> None:
        """An entry with a timeout goes when it expires (``_expire``)."""
        if item.meta and "expires" in item.meta:
            heapq.heappush(table.expiry, (item.meta["expires"], item.id))

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
        spec = MENUS.get(path)
        if spec is None:
            if path in DIRECTORIES:
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
        rows = list(self.render_all(path))
        if spec["kind"] == "singleton":
            row = rows[0]
        else:
            ref = attrs.get("number", attrs.get(".id", ""))
            if not ref:
                raise Fault("missing value(s) of argument(s) number")
            table = self.tables.get(path) or self._view_target(path, {".id": ref})
            wanted = format_id(self.resolve_one(table, ref, None).id)
            row = next((r for r in rows if r.get(".id") == wanted), {})
        return Reply(ret=row.get(name, ""))

    def _find(self, path: str, spec: dict[str, Any], attrs: dict[str, str], queries: list[str]) -> Reply:
        """``find``: the ids of the items the API query selects, as ``ret`` (``*1;*2``, unverified)."""
        if attrs.get("where"):
            raise Fault(WHERE_UNSUPPORTED)
        matcher = compile_query(queries, spec["fields"]) if queries else None
        ids = [row[".id"] for row in self.render_all(path) if ".id" in row and (matcher is None or matcher(row))]
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
        reply = self._write_verbs[verb](table, spec, attrs)
        self.good_writes += 1
        return reply

    # ---- id resolution ------------------------------------------------------------------------
    def resolve_one(self, table: Table, text: str, builtin_error: str | None) -> Item:
        """The item ``text`` (``*1A`` or a name) names; ``builtin_error`` when it is builtin (None: allowed)."""
        text = text.strip()
        item_id = parse_id(text)
        if item_id is None and table.name_field:
            item_id = table.by_name.get(text)
        item = table.items.get(item_id) if item_id is not None else None
        if item is None:
            if item_id is not None and item_id in self._fixed_ids(table.path):
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
        return [self.resolve_one(table, part, builtin_error) for part in raw.split(",") if part.strip() != ""]

    def _view_target(self, path: str, attrs: dict[str, str]) -> Table:
        """``/interface`` is a view over ethernet and vlan items; writes go to the owning table."""
        raw = attrs.get(".id", attrs.get("numbers", ""))
        first = raw.split(",")[0].strip()
        writes_to = MENUS[path].get("writes_to")
        if writes_to is not None:
            # a static route is one object in /ip/route and /routing/route: written in /ip/route
            return self.tables[writes_to]
        for owner in INTERFACE_TABLES:
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
                    raise Fault(UNSET_REFUSED)
                if allow_unset:
                    unset.append(real)
                continue
            fspec = fields.get(name)
            if fspec is None or fspec.get("ro"):
                raise Fault("unknown parameter %s" % name)
            if fspec["kind"] == "switch" and raw.strip().lower() in ("no", "false"):
                unset.append(name)
                continue
            parser = spec.get("parsers", {}).get(name)
            if parser is not None:
                values[name] = parser(self, raw)
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
            source = self.resolve_one(table, copy_from, None)
            copied = dict(source.values)
            if table.path in INTERFACE_TABLES:
                # an interface name is unique: the copy gets a name of its own (unverified)
                copied.pop("name", None)
            values = dict(copied, **values)
        item = Item(0, values)
        hook = spec.get("hook")
        if hook is not None:
            hook(self, table, item)
        missing = [name for name in spec.get("mandatory", ()) if name not in item.values]
        if missing:
            raise Fault("missing value(s) of argument(s) %s" % ", ".join(missing))
        if table.unique_fields and table.unique_key(item.values) in table.unique:
            raise Fault(table.unique_error)
        self._check_interface_name(table, item)
        before_id = None
        if place_before is not None:
            if parse_id(place_before) in self._fixed_ids(table.path):
                raise Fault("failure: cannot move builtin")
            before_id = self.resolve_one(table, place_before, None).id
        if spec.get("ids") == "iface":
            item.id = self.iface_next
            self.iface_next += 1
        else:
            item.id = table.next_id
            table.next_id += 1
        table.insert(item, before_id)
        self.schedule_expiry(table, item)
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
        on_set = spec.get("on_set")
        if on_set is not None:
            on_set(self, table, item, values, unset)
        new_name = item.values.get(table.name_field) if table.name_field else None
        if old_name is not None and new_name != old_name:
            self._rename_refs(table.path, old_name, new_name or "")

    def _check_interface_name(self, table: Table, item: Item) -> None:
        """Ethernet and VLAN interfaces share one namespace of names (one ``/interface`` menu)."""
        if table.path not in INTERFACE_TABLES:
            return
        name = item.values.get("name")
        for path in INTERFACE_TABLES:
            other = self.tables[path].by_name.get(name) if name is not None else None
            if other is not None and other != item.id:
                raise Fault(INTERFACE_NAME_EXISTS)

    def _rename_refs(self, path: str, old: str, new: str) -> None:
        """References are stored by name here; RouterOS keeps ids, so a rename follows through."""
        target = "/interface" if path in INTERFACE_TABLES else path
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
            raise Fault(UNSET_REFUSED)
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
                raise Fault(UNSET_REFUSED)
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
            if dest_id in self._fixed_ids(table.path):
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
