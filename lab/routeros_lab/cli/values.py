"""Values of the console language: conversions between its types and the text the API takes, and its errors."""

import re
from typing import Any, Optional

from .parser import Script

BOOL_WORDS = {"yes": True, "true": True, "no": False, "false": False}


class CliError(Exception):
    """An error the console prints and after which a script stops."""

    def __init__(self, text: str):
        super().__init__(text)
        self.text = text


class ScriptError(Exception):
    """Raised by ``run_script(check=True)`` when the script stopped on an error."""

    def __init__(self, text: str, output: str):
        super().__init__(text)
        self.text = text
        self.output = output


class DropSession(Exception):
    """The lab's drop-after-writes fault: the session's connection must close without an answer."""


class QuitSession(Exception):
    """``/quit``: the SSH shell closes the session."""


def to_str(value: Any) -> str:
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, dict):
        return ";".join("%s=%s" % (k, to_str(v)) for k, v in value.items())
    if isinstance(value, list):
        return ";".join(to_str(v) for v in value)
    if isinstance(value, Script):
        return "(code)"
    return str(value)


def to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value != 0
    if isinstance(value, str):
        return BOOL_WORDS.get(value.lower(), value != "")
    if isinstance(value, list):
        return len(value) > 0
    return value is not None


def to_num(value: Any) -> Optional[int]:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        return int(value)
    return None


def api_path(path: str) -> str:
    return path if path else "/"


def cli_path(path: str) -> str:
    """``/ip/firewall/mangle`` -> ``/ip firewall mangle`` (menu lines of exports)."""
    return "/" + " ".join(p for p in path.split("/") if p)


def norm_value(text: str) -> str:
    low = text.lower()
    if low in ("yes", "true"):
        return "true"
    if low in ("no", "false"):
        return "false"
    if text.endswith("/32") and ":" not in text:
        return text[:-3]
    return text


def literal(text: str) -> Any:
    """Bare words: numbers are ``num`` and ``true``/``false`` are ``bool``, as in RouterOS."""
    if text in ("true", "false"):
        return text == "true"
    if re.fullmatch(r"-?(0|[1-9][0-9]{0,17})", text):
        return int(text)
    return text


def typed(value: Any) -> Any:
    if value is None:
        return None
    if value in ("true", "false"):
        return value == "true"
    return value


def typeof(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "num"
    if isinstance(value, list) or isinstance(value, dict):
        return "array"
    if isinstance(value, Script):
        return "code"
    if isinstance(value, str) and re.fullmatch(r"\*[0-9A-Fa-f]+", value):
        return "id"
    return "str"


def duration(text: str) -> float:
    total = 0.0
    units = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1, "ms": 0.001}
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return float(text)
    if re.fullmatch(r"\d+:\d+:\d+", text):
        h, m, s = text.split(":")
        return int(h) * 3600 + int(m) * 60 + int(s)
    for num, unit in re.findall(r"(\d+(?:\.\d+)?)(ms|w|d|h|m|s)", text):
        total += float(num) * units[unit]
    return total
