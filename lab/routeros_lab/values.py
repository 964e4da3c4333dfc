"""Value parsing and normalization, the way RouterOS stores and prints values.

Every function takes the raw API string and returns the string RouterOS would print, or raises
``ValueFault`` with RouterOS's error text.
"""

from __future__ import annotations

import ipaddress
import re


class ValueFault(Exception):
    """A value RouterOS rejects; ``str(exc)`` is RouterOS's message."""


TRUE_WORDS = ("yes", "true")
FALSE_WORDS = ("no", "false")


def parse_bool(name: str, value: str) -> str:
    low = value.strip().lower()
    if low in TRUE_WORDS:
        return "true"
    if low in FALSE_WORDS:
        return "false"
    raise ValueFault("invalid value for argument %s" % name)


def parse_int(name: str, value: str, rng: tuple[int, int] | None) -> str:
    text = value.strip()
    try:
        number = int(text, 0) if text.lower().startswith("0x") else int(text)
    except ValueError:
        raise ValueFault("invalid value for argument %s" % name) from None
    if rng is not None and not rng[0] <= number <= rng[1]:
        raise ValueFault("value of %s out of range (%d..%d)" % (name, rng[0], rng[1]))
    return str(number)


def match_choice(name: str, value: str, choices: tuple[str, ...]) -> str:
    """Exact match, else a unique prefix (RouterOS completes unambiguous prefixes)."""
    if value in choices:
        return value
    if value:
        hits = [c for c in choices if c.startswith(value)]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            raise ValueFault("ambiguous value of %s, more than one possible value matches input" % name)
    raise ValueFault("input does not match any value of %s" % name)


def parse_enum_set(name: str, value: str, choices: tuple[str, ...], negatable: bool, negatable_items: bool = False) -> str:
    if value == "":
        return ""
    neg = ""
    text = value
    if negatable and not negatable_items and text.startswith("!"):
        neg, text = "!", text[1:]
    parts = []
    for part in text.split(","):
        part = part.strip()
        bang = "!" if negatable_items and part.startswith("!") else ""
        parts.append(bang + match_choice(name, part[len(bang):], choices))
    return neg + ",".join(parts)


def parse_protocol(name: str, value: str, choices: tuple[str, ...], negatable: bool) -> str:
    """An IP protocol: one of RouterOS's names (or a unique prefix) or a number 0..255."""
    neg = ""
    text = value.strip()
    if negatable and text.startswith("!"):
        neg, text = "!", text[1:]
    if text.isdigit():
        return neg + parse_int(name, text, (0, 255))
    return neg + match_choice(name, text, choices)


_DUR_RE = re.compile(r"(\d+(?:\.\d+)?)(w|d|h|ms|m|s|us)")
_UNIT = {"w": 604800.0, "d": 86400.0, "h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001, "us": 0.000001}


def duration_seconds(value: str) -> float:
    """Seconds of a RouterOS time value (``1d2h``, ``00:05:00``, ``1w``, ``90``); raises ValueError."""
    text = value.strip()
    if not text:
        raise ValueError(value)
    if ":" in text:
        days = 0.0
        if "d" in text:
            dpart, text = text.split("d", 1)
            days = float(dpart)
        parts = text.split(":")
        if len(parts) > 3:
            raise ValueError(value)
        total = 0.0
        for part in parts:
            total = total * 60 + float(part)
        return days * 86400 + total
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return float(text)
    pos = 0
    total = 0.0
    for match in _DUR_RE.finditer(text):
        if match.start() != pos:
            raise ValueError(value)
        total += float(match.group(1)) * _UNIT[match.group(2)]
        pos = match.end()
    if pos != len(text):
        raise ValueError(value)
    return total


def format_duration(seconds: float) -> str:
    """RouterOS 7 print form: ``1w2d3h4m5s``, ``500ms``, ``0s``."""
    if seconds <= 0:
        return "0s"
    whole = int(seconds)
    millis = int(round((seconds - whole) * 1000))
    if millis == 1000:
        whole, millis = whole + 1, 0
    out = []
    for unit, size in (("w", 604800), ("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        count, whole = divmod(whole, size)
        if count:
            out.append("%d%s" % (count, unit))
    if millis:
        out.append("%dms" % millis)
    return "".join(out) or "0s"


def parse_duration(name: str, value: str, specials: tuple[str, ...] = ()) -> str:
    if value in specials:
        return value
    try:
        return format_duration(duration_seconds(value))
    except ValueError:
        raise ValueFault("invalid value for argument %s" % name) from None


def strip_host_prefix(text: str) -> str:
    """``10.0.0.1/32`` prints as ``10.0.0.1``."""
    if text.endswith("/32") and ":" not in text:
        return text[:-3]
    return text


def parse_address(name: str, value: str, negatable: bool = False) -> str:
    """A firewall-style address: IP, IP/len, range a-b; host bits of a prefix are cleared."""
    text = value.strip()
    neg = ""
    if negatable and text.startswith("!"):
        neg, text = "!", text[1:]
    if text == "":
        return ""
    try:
        if "-" in text:
            low, high = text.split("-", 1)
            ipaddress.IPv4Address(low)
            ipaddress.IPv4Address(high)
            return neg + text
        if "/" in text:
            net = ipaddress.IPv4Network(text, strict=False)
            return neg + strip_host_prefix(str(net))
        ipaddress.IPv4Address(text)
        return neg + text
    except ValueError:
        raise ValueFault("invalid value for argument %s" % name) from None


def parse_prefix(name: str, value: str) -> str:
    """A route destination: always ``network/len``."""
    text = value.strip()
    try:
        if "/" not in text:
            ipaddress.IPv4Address(text)
            text += "/32"
        return str(ipaddress.IPv4Network(text, strict=False))
    except ValueError:
        raise ValueFault("invalid value for argument %s" % name) from None


def parse_interface_address(name: str, value: str) -> str:
    """``/ip/address address``: keeps host bits, ``/32`` when no length is given."""
    text = value.strip()
    try:
        if "/" not in text:
            ipaddress.IPv4Address(text)
            return text + "/32"
        iface = ipaddress.IPv4Interface(text)
        return str(iface)
    except ValueError:
        raise ValueFault("invalid value for argument %s" % name) from None


def parse_list_address(name: str, value: str) -> str:
    """Address-list ``address``: IP, prefix, range or a DNS name."""
    text = value.strip()
    if not text:
        raise ValueFault("invalid value for argument %s" % name)
    if re.fullmatch(r"[0-9./-]+", text):
        parsed = parse_address(name, text)
        if "-" in parsed:
            # "You can input, for example, 192.168.0.0-192.168.1.255 and it will auto-modify the typed
            # entry to 192.168.0.0/23 on saving" (address-list manual)
            low, high = (ipaddress.IPv4Address(part) for part in parsed.split("-", 1))
            blocks = list(ipaddress.summarize_address_range(low, high)) if low <= high else []
            if len(blocks) == 1:
                block = blocks[0]
                return str(block.network_address) if block.prefixlen == 32 else str(block)
        return parsed
    if re.fullmatch(r"[A-Za-z0-9.-]+", text):
        return text
    raise ValueFault("invalid value for argument %s" % name)


def version_tuple(version: str) -> tuple[int, ...]:
    parts = []
    for piece in version.split(" ")[0].split("."):
        digits = re.match(r"\d+", piece)
        parts.append(int(digits.group(0)) if digits else 0)
    return tuple(parts)
