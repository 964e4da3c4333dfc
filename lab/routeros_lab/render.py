"""Print: the rows of a menu, its stored values with defaults and the values its ``derive`` computes."""

from __future__ import annotations

from typing import Any, Callable, Iterator

from .menus import MENUS
from .query import compile_query
from .reply import Reply
from .storage import Item, Table, format_id


class Rendering:
    """The read side of ``model.Router``."""

    tables: dict[str, Table]
    clock: Callable[[], float]

    def _print(self, path: str, spec: dict[str, Any], attrs: dict[str, str], queries: list[str],
               proplist: list[str] | None) -> Reply:
        if proplist is None and ".proplist" in attrs:
            proplist = [p for p in attrs[".proplist"].split(",") if p]
        matcher = compile_query(queries, spec["fields"]) if queries else None
        rows: Iterator[dict[str, str]] = self.render_all(path)
        if matcher is not None:
            rows = (row for row in rows if matcher(row))
        if proplist is not None:
            wanted = proplist
            rows = ({k: row[k] for k in wanted if k in row} for row in rows)
        if "count-only" in attrs:
            return Reply(rows=[], ret=str(sum(1 for dummy in rows)))
        return Reply(rows=rows)

    def render_all(self, path: str, keep: Callable[[Item], bool] | None = None) -> Iterator[dict[str, str]]:
        """The rows print shows, before queries and ``.proplist`` (hold ``lock``); with ``keep``, only those of the
        items it keeps."""
        spec = MENUS[path]
        ctx: dict[str, Any] = {"now": self.clock()}
        context = spec.get("context")
        if context is not None:
            ctx.update(context(self, path))
        items = spec.get("items")
        for item in (items(self, path) if items is not None else list(self.tables[path].items.values())):
            if keep is None or keep(item):
                yield self._render(path, spec, item, ctx)

    def _render(self, path: str, spec: dict[str, Any], item: Item, ctx: dict[str, Any]) -> dict[str, str]:
        derive = spec.get("derive")
        derived = derive(self, path, item, ctx) if derive else {}
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
