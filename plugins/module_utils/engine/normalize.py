# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Semantic comparison of RouterOS values.

Every value the engine compares (desired, read over the API, parsed from an export, predicted by
check mode) goes through ``canonical``, so ``yes``/``true``, ``10.0.0.1``/``10.0.0.1/32``,
``1d``/``24h``/``1d00:00:00``, ``a,b``/``b,a`` on set fields and "printed default" vs "absent"
compare equal, and a value written once is never reported as changed again.
"""

import re
from typing import TYPE_CHECKING, Any, Dict, Optional, Tuple

if TYPE_CHECKING:  # pragma: no cover - schema.py names the kinds of this module
    from ansible_collections.multiwan.routeros.plugins.module_utils.engine.schema import PathSpec

try:
    import ipaddress
    HAS_IPADDRESS = True
except ImportError:  # pragma: no cover - Python 3 always has it
    HAS_IPADDRESS = False

TRUE_WORDS = frozenset(["yes", "true", "on", "enabled"])
FALSE_WORDS = frozenset(["no", "false", "off", "disabled"])

_UNIT_SECONDS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|us|w|d|h|m|s)")
_CLOCK = re.compile(r"^(?:(\d+)d)?(\d+):(\d{1,2}):(\d{1,2})(?:\.(\d+))?$")
_INT_SUFFIX = {"k": 1000, "m": 1000000, "g": 1000000000}


def to_text(value: Any) -> str:
    """A desired value as RouterOS text (what the API or CLI is sent)."""
    if value is None:
        return ""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, (list, tuple)):
        return ",".join(to_text(v) for v in value)
    return str(value)


def parse_bool(value: Any) -> Optional[bool]:
    """Return True/False for a RouterOS boolean word, None when it is not one."""
    if isinstance(value, bool):
        return value
    text = to_text(value).strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    return None


def duration_ms(text: str) -> Optional[int]:
    """Parse RouterOS durations (``1d``, ``1w2d3h``, ``00:10:00``, ``1d00:00:00``, ``500ms``, ``10``)."""
    text = text.strip().lower()
    if not text:
        return None
    if text.isdigit():
        return int(text) * 1000
    clock = _CLOCK.match(text)
    if clock:
        days, hours, minutes, seconds, frac = clock.groups()
        total = int(days or 0) * 86400 + int(hours) * 3600 + int(minutes) * 60 + int(seconds)
        millis = int((frac or "0")[:3].ljust(3, "0"))
        return total * 1000 + millis
    pos = 0
    total = 0.0
    for match in _DURATION_PART.finditer(text):
        if match.start() != pos:
            return None
        number, unit = float(match.group(1)), match.group(2)
        if unit == "ms":
            total += number
        elif unit == "us":
            total += number / 1000.0
        else:
            total += number * _UNIT_SECONDS[unit] * 1000
        pos = match.end()
    if pos != len(text):
        return None
    return int(round(total))


def _canon_prefix(text: str) -> str:
    if not HAS_IPADDRESS:
        return text[:-3] if text.endswith("/32") else text
    try:
        net = ipaddress.ip_network(text, strict=False)
    except ValueError:
        return text
    if net.prefixlen == net.max_prefixlen:
        return str(net.network_address)
    return str(net)


def _canon_ifaddr(text: str) -> str:
    if not HAS_IPADDRESS:
        return text
    try:
        iface = ipaddress.ip_interface(text)
    except ValueError:
        return text
    return "%s/%d" % (iface.ip, iface.network.prefixlen)


def _canon_int(text: str) -> str:
    low = text.strip().lower()
    if low and low[-1] in _INT_SUFFIX and low[:-1].isdigit():
        return str(int(low[:-1]) * _INT_SUFFIX[low[-1]])
    if low.startswith("0x"):
        try:
            return str(int(low, 16))
        except ValueError:
            return low
    try:
        return str(int(low))
    except ValueError:
        return low


def _canon_scalar(kind: str, text: str) -> str:
    if kind == "bool":
        parsed = parse_bool(text)
        return text.lower() if parsed is None else ("true" if parsed else "false")
    if kind == "duration":
        millis = duration_ms(text)
        return text.lower() if millis is None else "%dms" % millis
    if kind == "prefix":
        return _canon_prefix(text)
    if kind == "ifaddr":
        return _canon_ifaddr(text)
    if kind == "int":
        return _canon_int(text)
    return text


_MEMO: Dict[Tuple[str, Any, Optional[str], type], str] = {}
_MEMO_LIMIT = 500000


def canonical(kind: str, value: Any, default: Optional[str] = None) -> str:
    """Memoized ``_canonical``: large tables repeat the same few thousand values."""
    if isinstance(value, (list, tuple)):
        return _canonical(kind, value, default)
    memo_key = (kind, value, default, type(value))
    try:
        return _MEMO[memo_key]
    except KeyError:
        pass
    result = _canonical(kind, value, default)
    if len(_MEMO) >= _MEMO_LIMIT:
        _MEMO.clear()
    _MEMO[memo_key] = result
    return result


def _canonical(kind: str, value: Any, default: Optional[str] = None) -> str:
    """Canonical form of a value of ``kind``; ``None`` (absent) and ``""`` mean the default.

    ``switch`` fields are present-or-absent: RouterOS prints ``""`` when set and nothing when not,
    so a present value (even ``""``) is true unless it is an explicit false word.
    """
    if kind == "switch":
        if value is None:
            return "false"
        parsed = parse_bool(value)
        return "false" if parsed is False else "true"
    if kind == "text":
        # Scripts: RouterOS stores them verbatim apart from line endings.
        return to_text(value if value is not None else default).replace("\r\n", "\n").strip("\n")
    text = to_text(value).strip()
    if text == "":
        if default is None:
            return ""
        text = to_text(default).strip()
    negate = ""
    if text.startswith("!") and kind not in ("bool",):
        negate, text = "!", text[1:]
    if kind == "set":
        parts = sorted(set(p.strip() for p in text.split(",") if p.strip()))
        return negate + ",".join(parts)
    return negate + _canon_scalar(kind, text)


def field_kind(spec: "PathSpec", field: str) -> str:
    return spec.fields.get(field, "str")


def canon_field(spec: "PathSpec", field: str, value: Any) -> str:
    return canonical(field_kind(spec, field), value, spec.defaults.get(field))


def equal(spec: "PathSpec", field: str, desired: Any, actual: Any) -> bool:
    """True when ``desired`` and ``actual`` (``None`` = absent) mean the same for ``field``."""
    return canon_field(spec, field, desired) == canon_field(spec, field, actual)


def display(spec: "PathSpec", field: str, value: Any) -> Any:
    """A value as a reviewer reads it: booleans as ``yes``/``no``, whichever spelling the router printed."""
    if field_kind(spec, field) == "bool":
        parsed = parse_bool(value)
        if parsed is not None:
            return "yes" if parsed else "no"
    return value
