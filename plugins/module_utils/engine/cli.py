# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""RouterOS CLI: plan -> command lines, a tokenizer, and an ``/export`` parser.

The lines ``render`` produces are what the module returns as ``commands`` and exactly what the SSH
transport executes, so a change ticket can quote them. Entries are addressed by their comment
(the owner tag makes it unique) or natural key, and only by ``*id`` when nothing else is unique.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.multiwan.routeros.plugins.module_utils.engine import schema as schema_mod

_SAFE_VALUE = re.compile(r"[A-Za-z0-9_.:/,*@+%!-]+")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "$": "\\$", "?": "\\?", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_TRANSLATE = dict((ord(k), v) for k, v in _ESCAPES.items())
_TRANSLATE.update((c, "\\%02X" % c) for c in range(0x20) if chr(c) not in _ESCAPES)
_UNESCAPES = {'"': '"', "\\": "\\", "$": "$", "n": "\n", "r": "\r", "t": "\t", "a": "\a",
              "b": "\b", "f": "\f", "v": "\v", "_": " ", "?": "?"}
_HEX = "0123456789ABCDEFabcdef"


class CliSyntaxError(ValueError):
    pass


# --------------------------------------------------------------------------------------------
# quoting


def quote(value):
    """Quote a value for the CLI when it needs it (RouterOS escapes ``"``, ``\\``, ``$``)."""
    text = "" if value is None else str(value)
    if text and _SAFE_VALUE.fullmatch(text):
        return text
    return '"%s"' % text.translate(_TRANSLATE)


# --------------------------------------------------------------------------------------------
# rendering


def find_expr(conditions):
    """``[find where a="x" and b="y"]``."""
    parts = ["%s=%s" % (k, quote_always(v)) for k, v in conditions]
    return "[find where %s]" % " and ".join(parts)


def quote_always(value):
    text = quote(value)
    return text if text.startswith('"') else '"%s"' % text


class Selectors(object):
    """How each existing row is addressed in CLI lines."""

    def __init__(self, actual=None, prefer_ids=False):
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

    def row(self, path, rid):
        return self._rows.get((path, rid))

    def update(self, path, rid, fields):
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

    def select(self, path, row):
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


def _field_words(fields, spec):
    words = []
    for name in sorted(fields):
        value = fields[name]
        kind = spec.fields.get(name) if spec else None
        if kind == "switch":
            from ansible_collections.multiwan.routeros.plugins.module_utils.engine.normalize import parse_bool
            words.append(name if value is not None and parse_bool(value) is not False else "!" + name)
        elif value is None:
            words.append("!" + name)
        else:
            words.append("%s=%s" % (name, quote(value)))
    return words


def _target(selectors, path, rid, added):
    if rid is None:
        return None
    if rid in added:
        return added[rid]
    row = selectors.row(path, rid)
    if row is None:
        return str(rid)
    return selectors.select(path, row)


def render_op(op, selectors, added=None):
    """One plan operation as one CLI line."""
    added = added or {}
    path = op["path"]
    spec = schema_mod.get(path) if schema_mod.is_known(path) else None
    prefix = schema_mod.cli_path(path)
    if op["op"] == "add":
        words = _field_words(op["fields"], spec)
        before = _target(selectors, path, op.get("place_before"), added)
        if before:
            words.append("place-before=%s" % before)
        return "%s add %s" % (prefix, " ".join(words))
    if spec and spec.singleton:
        return "%s set %s" % (prefix, " ".join(_field_words(op["fields"], spec)))
    row = op.get("before") or {}
    if op.get("id") is not None:
        row = dict(row, **{".id": op["id"]})
    target = selectors.select(path, selectors.row(path, op.get("id")) or row)
    if op["op"] == "set":
        return "%s set %s %s" % (prefix, target, " ".join(_field_words(op["fields"], spec)))
    if op["op"] == "remove":
        return "%s remove %s" % (prefix, target)
    if op["op"] == "move":
        dest = _target(selectors, path, op.get("destination"), added)
        return "%s move %s%s" % (prefix, target, " destination=%s" % dest if dest else "")
    raise ValueError("unknown op %r" % op["op"])


def render(ops, actual=None, prefer_ids=False):
    """The plan as RouterOS CLI lines, in execution order.

    ``prefer_ids`` addresses existing entries by ``*id`` (used for undo lines, which run after
    the entries' comments may have changed).
    """
    selectors = Selectors(actual, prefer_ids)
    added = {}
    lines = []
    for op in ops:
        lines.append(render_op(op, selectors, added))
        if op["op"] == "set" and "comment" in op["fields"]:
            selectors.update(path=op["path"], rid=op.get("id"), fields=op["fields"])
        if op["op"] == "add" and op.get("handle"):
            comment = op["fields"].get("comment")
            if comment:
                added[op["handle"]] = find_expr([("comment", comment)])
    return lines


# --------------------------------------------------------------------------------------------
# tokenizer


def _unescape_at(text, i):
    """Decode the escape starting at ``text[i] == '\\'``; returns (string, next index)."""
    if i + 1 >= len(text):
        raise CliSyntaxError("dangling backslash")
    nxt = text[i + 1]
    if nxt in _HEX and i + 2 < len(text) and text[i + 2] in _HEX:
        raw = bytearray()
        j = i
        while j + 2 < len(text) and text[j] == "\\" and text[j + 1] in _HEX and text[j + 2] in _HEX:
            raw.append(int(text[j + 1:j + 3], 16))
            j += 3
        return raw.decode("utf-8", "replace"), j
    if nxt in _UNESCAPES:
        return _UNESCAPES[nxt], i + 2
    return nxt, i + 2


def _read_quoted(text, i):
    out = []
    i += 1
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            piece, i = _unescape_at(text, i)
            out.append(piece)
            continue
        if ch == '"':
            return "".join(out), i + 1
        out.append(ch)
        i += 1
    raise CliSyntaxError("unterminated quoted string")


def _read_bracket(text, i):
    depth = 0
    start = i
    while i < len(text):
        ch = text[i]
        if ch == '"':
            _s, i = _read_quoted(text, i)
            continue
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                return text[start:i + 1], i + 1
        i += 1
    raise CliSyntaxError("unterminated [ ] expression")


def tokenize(line):
    """Split one CLI line into tokens: ``("word", text)`` or ``("arg", name, value)``.

    Values keep their decoded text; ``[ ... ]`` expressions are kept verbatim as values/words.
    """
    tokens = []
    i = 0
    n = len(line)
    while i < n:
        ch = line[i]
        if ch in " \t":
            i += 1
            continue
        if ch == "#" and not tokens:
            break
        if ch == "[":
            expr, i = _read_bracket(line, i)
            tokens.append(("word", expr))
            continue
        if ch == '"':
            value, i = _read_quoted(line, i)
            tokens.append(("word", value))
            continue
        start = i
        while i < n and line[i] not in " \t=\"[":
            i += 1
        name = line[start:i]
        if i < n and line[i] == "=":
            i += 1
            if i < n and line[i] == '"':
                value, i = _read_quoted(line, i)
            elif i < n and line[i] == "[":
                value, i = _read_bracket(line, i)
            else:
                vstart = i
                while i < n and line[i] not in " \t":
                    if line[i] == '"':
                        raise CliSyntaxError("quote inside an unquoted value at column %d" % (i + 1))
                    i += 1
                value = line[vstart:i]
            tokens.append(("arg", name, value))
        else:
            if i < n and line[i] in '"[':
                raise CliSyntaxError("unexpected %r at column %d" % (line[i], i + 1))
            tokens.append(("word", name))
    return tokens


def logical_lines(text):
    """Join `` \\`` continuations; drop blank lines and ``#`` comments."""
    out = []
    pending = ""
    for raw in text.splitlines():
        line = raw.rstrip("\r")
        if pending:
            line = pending + line.lstrip()
            pending = ""
        if line.endswith("\\") and not line.endswith("\\\\"):
            pending = line[:-1]
            continue
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        out.append(stripped)
    if pending.strip():
        out.append(pending.strip())
    return out


# --------------------------------------------------------------------------------------------
# export parser

VERBS = frozenset(["add", "set", "remove", "move", "unset", "print", "export", "enable", "disable",
                   "edit", "find", "get", "comment", "reset", "run"])


def split_menu(tokens):
    """Pop the menu words (``/ip firewall mangle`` or ``/ip/firewall/mangle``) off ``tokens``."""
    words = []
    if tokens and tokens[0][0] == "word" and tokens[0][1].startswith("/"):
        while tokens and tokens[0][0] == "word" and tokens[0][1] not in VERBS and not tokens[0][1].startswith("["):
            words.append(tokens.pop(0)[1])
    return words


def parse_export(text, paths=None):
    """Parse ``/export`` output (compact or terse) into ``{api_path: [row]}``.

    Rows are in file order (= table order) and have no ``.id``; switches parse to ``""``. ``set``
    lines of singleton menus become that menu's single row. Lines of paths outside ``paths``
    (when given) are skipped.
    """
    result = {}
    menu = None
    for line in logical_lines(text):
        tokens = tokenize(line)
        if not tokens:
            continue
        words = split_menu(tokens)
        if words:
            menu = " ".join(words)
        if not tokens:
            continue
        command = tokens[0]
        if command[0] != "word":
            raise CliSyntaxError("expected a command in: %s" % line)
        path = schema_mod.api_path(menu or "/")
        if paths is not None and path not in paths:
            continue
        verb = command[1]
        row = {}
        for tok in tokens[1:]:
            if tok[0] == "arg":
                row[tok[1]] = tok[2]
            elif not tok[1].startswith("["):
                row[tok[1]] = ""
        if verb == "add":
            result.setdefault(path, []).append(row)
        elif verb == "set":
            spec = schema_mod.PATHS.get(path)
            if spec and spec.singleton:
                rows = result.setdefault(path, [{}])
                rows[0].update(row)
            else:
                result.setdefault(path + "#set", []).append(row)
    return dict((k, v) for k, v in result.items() if not k.endswith("#set"))
