# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""RouterOS CLI rendering: quoting, how rows are addressed, a plan as command lines. Pure.

The lines ``render`` produces are what the module returns as ``commands`` and exactly what the SSH
transport executes, so a change ticket can quote them. Entries are addressed by their comment
(the owner tag makes it unique) or natural key, and only by ``*id`` when nothing else is unique.
Each operation renders its own line (``Operation.cli_line``); reading CLI text is ``export.py``.
"""

import re
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Mapping, Optional, Tuple

from ansible_collections.multiwan.routeros.plugins.module_utils.engine import schema as schema_mod
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.normalize import parse_bool

if TYPE_CHECKING:  # pragma: no cover - operation.py imports this module
    from ansible_collections.multiwan.routeros.plugins.module_utils.engine.operation import Operation

Row = Mapping[str, Any]

_SAFE_VALUE = re.compile(r"[A-Za-z0-9_.:/,*@+%!-]+")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "$": "\\$", "?": "\\?", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_TRANSLATE = dict((ord(k), v) for k, v in _ESCAPES.items())
_TRANSLATE.update((c, "\\%02X" % c) for c in range(0x20) if chr(c) not in _ESCAPES)


# --------------------------------------------------------------------------------------------
# quoting


def quote(value: Any) -> str:
    """Quote a value for the CLI when it needs it (RouterOS escapes ``"``, ``\\``, ``$``)."""
    text = "" if value is None else str(value)
    if text and _SAFE_VALUE.fullmatch(text):
        return text
    return '"%s"' % text.translate(_TRANSLATE)


# --------------------------------------------------------------------------------------------
# rendering


def find_expr(conditions: Iterable[Tuple[str, Any]]) -> str:
    """``[find where a="x" and b="y"]``."""
    parts = ["%s=%s" % (k, quote_always(v)) for k, v in conditions]
    return "[find where %s]" % " and ".join(parts)


def quote_always(value: Any) -> str:
    text = quote(value)
    return text if text.startswith('"') else '"%s"' % text


class Selectors:
    """How each existing row is addressed in CLI lines."""

    def __init__(self, actual: Optional[Mapping[str, Optional[List[Row]]]] = None, prefer_ids: bool = False) -> None:
        self.prefer_ids = prefer_ids
        self._repeated = {}
        self._rows = {}
        for path, rows in (actual or {}).items():
            counts = {}
            for r in rows or []:
                c = r.get("comment")
                if c:
                    counts[c] = counts.get(c, 0) + 1
                if r.get(".id") is not None:
                    self._rows[(path, r.get(".id"))] = r
            self._repeated[path] = set(c for c, n in counts.items() if n > 1)

    def row(self, path: str, rid: Optional[str]) -> Optional[Row]:
        return self._rows.get((path, rid))

    def update(self, path: str, rid: Optional[str], fields: Mapping[str, Optional[str]]) -> None:
        """Follow a ``set``: later lines must address the entry by its new comment."""
        row = self._rows.get((path, rid))
        if row is None or rid is None:
            return
        row = dict(row)
        for name, value in fields.items():
            if value is None:
                row.pop(name, None)
            else:
                row[name] = value
        self._rows[(path, rid)] = row

    def select(self, path: str, row: Optional[Row]) -> Optional[str]:
        """Selector for an existing row: comment if unique, natural key, else ``*id``."""
        if row is None:
            return None
        spec = schema_mod.get(path) if schema_mod.is_known(path) else None
        if self.prefer_ids and row.get(".id"):
            return str(row[".id"])
        comment = row.get("comment")
        if comment and comment not in self._repeated.get(path, ()):
            return find_expr([("comment", comment)])
        if spec and spec.key and all(row.get(k) for k in spec.key):
            return find_expr([(k, row[k]) for k in spec.key])
        if row.get(".id"):
            return str(row[".id"])
        fields = sorted((k, v) for k, v in row.items() if not k.startswith("."))
        return find_expr(fields)


def field_words(fields: Mapping[str, Optional[str]], spec: Optional[schema_mod.PathSpec]) -> List[str]:
    """``name=value`` words in name order; ``!name`` unsets a field, a switch is ``name`` or ``!name``."""
    words = []
    for name in sorted(fields):
        value = fields[name]
        kind = spec.fields.get(name) if spec else None
        if kind == "switch":
            words.append(name if value is not None and parse_bool(value) is not False else "!" + name)
        elif value is None:
            words.append("!" + name)
        else:
            words.append("%s=%s" % (name, quote(value)))
    return words


def render(ops: Iterable["Operation"], actual: Optional[Mapping[str, List[Row]]] = None, prefer_ids: bool = False) -> List[str]:
    """The plan as RouterOS CLI lines, in execution order.

    ``prefer_ids`` addresses existing entries by ``*id`` (used for undo lines, which run after
    the entries' comments may have changed).
    """
    selectors = Selectors(actual, prefer_ids)
    added: Dict[str, str] = {}
    lines = []
    for op in ops:
        lines.append(op.cli_line(selectors, added))
        if op.verb == "set" and "comment" in op.fields:
            selectors.update(path=op.path, rid=op.id, fields=op.fields)
        if op.verb == "add" and op.handle:
            comment = op.fields.get("comment")
            if comment:
                added[op.handle] = find_expr([("comment", comment)])
    return lines
