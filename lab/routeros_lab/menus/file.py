"""``/file``: the router's files (exports, scripts), their contents stored as text."""

from __future__ import annotations

from typing import Any

from ..storage import Item, Table, time_text
from .base import LabRouter, declare, f, ro

# Files bigger than this print without ``contents`` ("It is possible to retrieve content and edit files
# up to 60KB in size", Files manual); ``/file/read`` (7.13+) reads them. The exact boundary is unverified.
FILE_CONTENTS_LIMIT = 60 * 1024

FILE = declare("/file", {
    "kind": "list", "ordered": False, "verbs": ("print", "add", "set", "remove", "getall"), "ids": "seq", "name": "name",
    "mandatory": ("name",), "unique": (("name",), "failure: file already exists"),
    "since": {"add": "7.9"},
    "fields": {
        "name": f("str"), "type": ro("file"), "size": ro("0"), "creation-time": ro(), "last-modified": ro(),
        "contents": f("str", default="", show="always"),
    },
})


@FILE.hook
def _created(router: LabRouter, table: Table, item: Item) -> None:
    now = router.clock()
    item.meta = {"created": now, "modified": now}


@FILE.on_set
def _modified(router: LabRouter, table: Table, item: Item, values: dict[str, str], unset: list[str]) -> None:
    if "contents" in values:
        item.meta = dict(item.meta or {}, modified=router.clock())


@FILE.derive
def _derive_file(router: LabRouter, path: str, item: Item, ctx: dict[str, Any]) -> dict[str, str | None]:
    meta = item.meta or {}
    name = item.values.get("name", "")
    contents = item.values.get("contents", "")
    size = len(contents.encode("utf-8", errors="surrogateescape"))
    return {"type": ".rsc file" if name.endswith(".rsc") else ("directory" if meta.get("directory") else "file"),
            "size": str(size), "contents": contents if size <= FILE_CONTENTS_LIMIT else None,
            "creation-time": time_text(meta.get("created", router.boot_time)),
            "last-modified": time_text(meta.get("modified", router.boot_time))}
