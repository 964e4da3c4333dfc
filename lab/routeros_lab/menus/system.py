"""System menus: identity, resource, clock, scheduler, scripts and users."""

from __future__ import annotations

import time
from typing import Any

from ..storage import Item, Table, time_text
from ..values import format_duration
from .base import (COMMENT, DISABLED_ALWAYS, LIST_VERBS, NAME_EXISTS, SINGLETON_VERBS, Export, LabRouter, auto_name,
                   declare, f, ro)

IDENTITY = declare("/system/identity", {
    "export": Export(order=200),
    "kind": "singleton", "verbs": SINGLETON_VERBS,
    "fields": {"name": f("str", default="MikroTik", show="always")},
})

RESOURCE = declare("/system/resource", {
    "kind": "singleton", "verbs": ("print", "getall"),
    "fields": {k: ro() for k in ("uptime", "version", "build-time", "factory-software", "free-memory", "total-memory",
                                 "cpu", "cpu-count", "cpu-frequency", "cpu-load", "free-hdd-space", "total-hdd-space",
                                 "write-sect-since-reboot", "write-sect-total", "architecture-name", "board-name",
                                 "platform")},
})


@RESOURCE.derive
def _derive_resource(router: LabRouter, path: str, item: Item, ctx: dict[str, Any]) -> dict[str, str | None]:
    return {
        "uptime": format_duration(int(ctx["now"] - router.boot_time)), "version": "%s (stable)" % router.version,
        "build-time": "2025-06-01 10:00:00", "factory-software": "7.1", "free-memory": "1851392000",
        "total-memory": "2147483648", "cpu": "QEMU", "cpu-count": "2", "cpu-frequency": "2400", "cpu-load": "1",
        "free-hdd-space": "90000000", "total-hdd-space": "100000000", "write-sect-since-reboot": "100",
        "write-sect-total": "100", "architecture-name": "x86_64", "board-name": router.board_name, "platform": "MikroTik",
    }


# The clock: ``time``/``date`` follow the lab's clock until written (then stored as written).
CLOCK = declare("/system/clock", {
    "export": Export(order=190, state=("time", "date")),
    "kind": "singleton", "verbs": SINGLETON_VERBS,
    "fields": {
        "time": f("str"), "date": f("str"),
        "time-zone-autodetect": f("bool", default="true", show="always"),
        "time-zone-name": f("str", default="manual", show="always"),
        "gmt-offset": ro("+00:00"), "dst-active": ro("false"),
    },
})


@CLOCK.derive
def _derive_clock(router: LabRouter, path: str, item: Item, ctx: dict[str, Any]) -> dict[str, str | None]:
    stamp = time.gmtime(ctx["now"])
    date = time.strftime("%Y-%m-%d", stamp) if router.version_at_least("7.10") else time.strftime("%b/%d/%Y", stamp).lower()
    return {"time": item.values.get("time", time.strftime("%H:%M:%S", stamp)), "date": item.values.get("date", date)}


SCHEDULER = declare("/system/scheduler", {
    "export": Export(order=210, always=("policy", "start-time", "start-date")),
    "kind": "list", "ordered": False, "verbs": LIST_VERBS, "ids": "seq", "name": "name",
    "unique": (("name",), NAME_EXISTS),
    "fields": {
        "name": f("str"), "start-date": f("str"), "start-time": f("str"),
        "interval": f("duration", default="0s", show="always"), "on-event": f("str", default="", show="always"),
        "owner": ro("admin"),
        "policy": f("str", default="ftp,reboot,read,write,policy,test,password,sniff,sensitive,romon", show="always"),
        "run-count": ro("0"), "next-run": ro(), "comment": COMMENT, "disabled": DISABLED_ALWAYS,
    },
})


@SCHEDULER.hook
def _start_now(router: LabRouter, table: Table, item: Item) -> None:
    """Without ``start-time`` RouterOS starts the entry now: it fills in today's date and the time."""
    auto_name(table, item, "schedule")
    now = router.clock()
    item.meta = {"created": now}
    if "start-time" not in item.values:
        stamp = time.localtime(int(now))
        item.values["start-time"] = time.strftime("%H:%M:%S", stamp)
        if "start-date" not in item.values:
            date_format = "%Y-%m-%d" if router.version_at_least("7.10") else "%b/%d/%Y"
            item.values["start-date"] = time.strftime(date_format, stamp).lower()


@SCHEDULER.derive
def _derive_scheduler(router: LabRouter, path: str, item: Item, ctx: dict[str, Any]) -> dict[str, str | None]:
    meta = item.meta or {}
    return {"run-count": str(meta.get("run-count", 0)),
            "next-run": meta.get("next-run")}


SCRIPT = declare("/system/script", {
    "export": Export(order=220, always=("dont-require-permissions", "owner", "policy", "source")),
    "kind": "list", "ordered": False, "verbs": LIST_VERBS, "ids": "seq", "name": "name",
    "unique": (("name",), NAME_EXISTS),
    "fields": {
        "name": f("str"), "owner": f("str", default="admin", show="always"),
        "policy": f("str", default="ftp,reboot,read,write,policy,test,password,sniff,sensitive,romon", show="always"),
        "dont-require-permissions": f("bool", default="false", show="always"),
        "last-started": ro(), "run-count": ro("0"), "source": f("str", default="", show="always"),
        "invalid": ro("false"), "comment": COMMENT,
    },
})


@SCRIPT.hook
def _script_name(router: LabRouter, table: Table, item: Item) -> None:
    auto_name(table, item, "script")


@SCRIPT.derive
def _derive_script(router: LabRouter, path: str, item: Item, ctx: dict[str, Any]) -> dict[str, str | None]:
    meta = item.meta or {}
    last = meta.get("last-started")
    return {"run-count": str(meta.get("run-count", 0)), "last-started": time_text(last) if last else None}


# Users: the lab's accounts (seeded from the server's users) and added ones, stored; logins use the
# server's accounts only, with the password ``/user set`` gave them (Router.login_password), so a changed
# password takes effect at once over API and SSH. ``password`` is written, never printed nor exported.
USER = declare("/user", {
    "kind": "list", "ordered": False, "verbs": LIST_VERBS, "ids": "seq", "name": "name",
    "mandatory": ("name", "group"), "unique": (("name",), "failure: user with the same name already exists"),
    "fields": {
        "name": f("str"), "group": f("enum", choices=("full", "read", "write")),
        "address": f("str", default="", show="always"), "password": f("str", hidden=True),
        "inactivity-policy": f("enum", choices=("lockscreen", "logout", "none"), default="none", show="always"),
        "inactivity-timeout": f("duration", default="10m", show="always"),
        "last-logged-in": ro(), "expired": ro("false"), "comment": COMMENT, "disabled": DISABLED_ALWAYS,
    },
})


@USER.hook
def _created(router: LabRouter, table: Table, item: Item) -> None:
    item.meta = {"created": router.clock()}
