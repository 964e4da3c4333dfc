"""``/tool/netwatch``: hosts watched with ``set_reachable`` answers (``simulation.netwatch``)."""

from __future__ import annotations

from typing import Any

from ..simulation import netwatch
from ..storage import Item, Table, time_text
from .base import COMMENT, DISABLED_ALWAYS, LIST_VERBS, Export, LabRouter, declare, f, ro

NETWATCH = declare("/tool/netwatch", {
    "export": Export(order=230),
    "kind": "list", "ordered": False, "verbs": LIST_VERBS, "ids": "seq", "natural_key": ("host",),
    "mandatory": ("host",),
    "fields": {
        "name": f("str"), "host": f("str"), "type": f("enum", default="simple", show="always", choices=("simple", "icmp", "tcp-conn", "http-get", "dns")),
        "interval": f("duration", default="10s", show="always"), "timeout": f("duration", default="3s", show="always"),
        "up-script": f("str", default="", show="always"), "down-script": f("str", default="", show="always"),
        "test-script": f("str"), "src-address": f("address"), "start-delay": f("duration"),
        "startup-delay": f("duration"), "status": ro("unknown"), "since": ro(), "comment": COMMENT, "disabled": DISABLED_ALWAYS,
    },
})


@NETWATCH.hook
def _unknown_at_first(router: LabRouter, table: Table, item: Item) -> None:
    item.meta = {"created": router.clock(), "status": "unknown"}


@NETWATCH.derive
def _derive_netwatch(router: LabRouter, path: str, item: Item, ctx: dict[str, Any]) -> dict[str, str | None]:
    meta = item.meta or {}
    since = meta.get("since")
    return {"status": netwatch.status(router, item, ctx["now"]), "since": time_text(since) if since else None}
