"""Storage: the items of one menu (``Table``), their ids, and the text of a stored time."""

from __future__ import annotations

import functools
import time
from typing import Any

# Static routes are numbered from here (``*80000001``, as RouterOS does).
ROUTE_ID_BASE = 0x80000000


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
        self.next_id = ROUTE_ID_BASE + 1 if spec.get("ids") == "route" else spec.get("id_start", 1)
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


def time_text(ts: float) -> str:
    """A stored time as RouterOS prints it (local time, to the second)."""
    return _second_text(int(ts))


@functools.lru_cache(maxsize=4096)
def _second_text(second: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(second))
