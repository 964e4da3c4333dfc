"""How the console prints rows: tables with flags and comments, singletons as ``name: value`` lines."""

import re
from typing import Any, Dict, List, Optional, Tuple


def display_row(row: Dict[str, str], fields: Dict[str, Dict[str, Any]]) -> Dict[str, str]:
    """The console prints booleans as yes/no (the API as true/false); flags keep true/false."""
    out = {}
    for key, value in row.items():
        if fields.get(key, {}).get("kind") == "bool" and value in ("true", "false"):
            value = "yes" if value == "true" else "no"
        out[key] = value
    return out


def format_singleton(row: Dict[str, str]) -> str:
    if not row:
        return ""
    width = max(len(k) for k in row)
    return "\n".join("%s: %s" % (k.rjust(width), v) for k, v in row.items() if k != ".id")


_HIDDEN = (".id", "bytes", "packets", "dynamic", "disabled", "invalid", "comment", "builtin", "static", "active",
           "inactive", "connect", "dhcp", "ecmp")
_FLAG_LETTERS = (("disabled", "X"), ("invalid", "I"), ("dynamic", "D"), ("active", "A"), ("connect", "c"),
                 ("static", "s"), ("builtin", "*"), ("ecmp", "+"))


def _flags(row: Dict[str, str]) -> str:
    return "".join(letter for field, letter in _FLAG_LETTERS if row.get(field) == "true")


def format_table(selected: List[Tuple[int, Dict[str, str]]], terse: bool, proplist: Optional[List[str]],
                 detail: bool) -> str:
    lines = []
    if not terse:
        present = [(f, letter) for f, letter in _FLAG_LETTERS if any(r.get(f) == "true" for _pos, r in selected)]
        if present:
            lines.append("Flags: " + ", ".join("%s - %s" % (letter, f) for f, letter in present))
    for number, (_pos, row) in enumerate(selected):
        fields = [(k, v) for k, v in row.items() if k not in _HIDDEN and (proplist is None or k in proplist)]
        text = " ".join("%s=%s" % (k, _print_value(v)) for k, v in fields)
        flags = _flags(row)
        if terse:
            comment = row.get("comment")
            extra = ("comment=%s " % _print_value(comment)) if comment else ""
            lines.append("%2d %-2s %s%s" % (number, flags, extra, text))
            continue
        comment = row.get("comment")
        if comment:
            lines.append("%2d %-2s ;;; %s" % (number, flags, comment))
            lines.append("      " + text)
        else:
            lines.append("%2d %-2s %s" % (number, flags, text))
    return "\n".join(lines)


def _print_value(value: str) -> str:
    if value == "" or re.search(r"[\s\"\\$;=\[\]{}()#?]", value):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$") + '"'
    return value
