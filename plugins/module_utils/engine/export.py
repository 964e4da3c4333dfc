# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading RouterOS CLI text: a tokenizer and an ``/export`` parser. Pure.

The SSH transport reads a router through ``parse_export``; ``state: parsed`` turns a saved export
into ``desired`` with it. Quoting for the lines the engine writes is ``cli.py``.
"""

import re
from typing import Dict, Iterable, List, Optional, Tuple

from ansible_collections.multiwan.routeros.plugins.module_utils.engine import schema as schema_mod

_UNESCAPES = {'"': '"', "\\": "\\", "$": "$", "n": "\n", "r": "\r", "t": "\t", "a": "\a",
              "b": "\b", "f": "\f", "v": "\v", "_": " ", "?": "?"}
_HEX = "0123456789ABCDEFabcdef"

# ``("word", text)`` or ``("arg", name, value)``
Token = Tuple[str, ...]


class CliSyntaxError(ValueError):
    pass


def _unescape_at(text: str, i: int) -> Tuple[str, int]:
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


# A quoted string without an escape, and the runs of a word or an unquoted value: matched at once, as the character
# loops below would read them (an export is tens of thousands of characters; a loop per character is most of its parse).
_PLAIN_QUOTED = re.compile(r'"([^"\\]*)"')
_WORD = re.compile(r'[^ \t="\[]*')
_VALUE = re.compile(r'[^ \t"]*')


def _read_quoted(text: str, i: int) -> Tuple[str, int]:
    plain = _PLAIN_QUOTED.match(text, i)
    if plain is not None:
        return plain.group(1), plain.end()
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


def _read_bracket(text: str, i: int) -> Tuple[str, int]:
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


def tokenize(line: str) -> List[Token]:
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
        i = _WORD.match(line, i).end()
        name = line[start:i]
        if i < n and line[i] == "=":
            i += 1
            if i < n and line[i] == '"':
                value, i = _read_quoted(line, i)
            elif i < n and line[i] == "[":
                value, i = _read_bracket(line, i)
            else:
                vstart = i
                i = _VALUE.match(line, i).end()
                if i < n and line[i] == '"':
                    raise CliSyntaxError("quote inside an unquoted value at column %d" % (i + 1))
                value = line[vstart:i]
            tokens.append(("arg", name, value))
        else:
            if i < n and line[i] in '"[':
                raise CliSyntaxError("unexpected %r at column %d" % (line[i], i + 1))
            tokens.append(("word", name))
    return tokens


def logical_lines(text: str) -> List[str]:
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


def split_menu(tokens: List[Token]) -> List[str]:
    """Pop the menu words (``/ip firewall mangle`` or ``/ip/firewall/mangle``) off ``tokens``."""
    words = []
    if tokens and tokens[0][0] == "word" and tokens[0][1].startswith("/"):
        while tokens and tokens[0][0] == "word" and tokens[0][1] not in VERBS and not tokens[0][1].startswith("["):
            words.append(tokens.pop(0)[1])
    return words


def _menu_words(words: List[str]) -> List[str]:
    """The menu words ``split_menu`` takes off the front of a line, from its words split on spaces."""
    menu = []
    for word in words:
        if word in VERBS or word.startswith("[") or "=" in word or '"' in word:
            break
        menu.append(word)
    return menu


def parse_export(text: str, paths: Optional[Iterable[str]] = None) -> Dict[str, List[Dict[str, str]]]:
    """Parse ``/export`` output (compact or terse) into ``{api_path: [row]}``.

    Rows are in file order (= table order) and have no ``.id``; switches parse to ``""``. ``set``
    lines of singleton menus become that menu's single row. Lines of paths outside ``paths``
    (when given) are skipped.
    """
    result = {}
    menu = None
    for line in logical_lines(text):
        if paths is not None:
            # A line of a path not asked for is skipped before it is tokenized (most of an export's lines, when a few
            # menus are asked for): its menu words are plain words, the same split on spaces as tokenized.
            words = _menu_words(line.split()) if line.startswith("/") else []
            if words:
                menu = " ".join(words)
            if schema_mod.api_path(menu or "/") not in paths:
                continue
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
            if spec is not None and spec.singleton:
                rows = result.setdefault(path, [{}])
                rows[0].update(row)
            else:
                result.setdefault(path + "#set", []).append(row)
    return dict((k, v) for k, v in result.items() if not k.endswith("#set"))
