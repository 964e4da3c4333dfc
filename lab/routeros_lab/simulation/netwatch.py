"""Netwatch: a host's status follows ``set_reachable`` once an interval passed; a change runs the
entry's up or down script."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from ..storage import Item
from ..values import duration_seconds

if TYPE_CHECKING:
    from ..menus.base import LabRouter


def status(router: LabRouter, item: Item, now: float) -> str:
    if item.values.get("disabled") == "true":
        return "unknown"
    meta = item.meta or {}
    interval = duration_seconds(item.values.get("interval", "10s"))
    if now - meta.get("created", router.boot_time) < interval:
        return "unknown"
    return "up" if router.host_answers(item.values.get("host", "")) else "down"


def tick(router: LabRouter, now: float, script_runner: Callable[..., Any] | None) -> None:
    for item in router.tables["/tool/netwatch"].items.values():
        current = status(router, item, now)
        meta = item.meta if item.meta is not None else {}
        item.meta = meta
        previous = meta.get("status", "unknown")
        if current != previous:
            meta["status"] = current
            meta["since"] = now
            script = item.values.get("up-script" if current == "up" else "down-script", "")
            if current in ("up", "down") and script and script_runner is not None:
                script_runner(router, script)
