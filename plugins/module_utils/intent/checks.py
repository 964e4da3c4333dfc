# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Small typed readers for inventory values; each reports a problem instead of raising.

Every reader takes the variable path it reads (``multiwan_wans[1].gateway``) and an Errors
collector, and returns a clean value or None, so the validator can keep going and report every
violation at once.
"""

import ipaddress
import re
from typing import Any, Iterable, List, Mapping, Optional

# RouterOS time values: "1d", "1d2h3m", "30s", "00:10:00", "1w2d". ASCII digits only: Python's \d
# also matches other scripts' digits ("\u0663"), which RouterOS does not read as numbers.
DURATION_RE = re.compile(r"^(?:(?:\d+w)?(?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?(?:\d+ms)?|\d+|(?:\d+d)?\d{1,2}:\d{2}:\d{2})\Z", re.ASCII)
# A whole number as text: str.isdigit() would also accept "\u00b2", which int() then refuses.
_ASCII_NUMBER_RE = re.compile(r"^[0-9]+\Z")


class Errors:
    """Collects "<path>: <what is wrong; what is allowed>" messages in the order found."""

    def __init__(self) -> None:
        self.messages: List[str] = []

    def add(self, path: str, message: str) -> None:
        self.messages.append("%s: %s" % (path, message))

    def __len__(self) -> int:
        return len(self.messages)


def shown(text: str) -> str:
    """A user's string as messages quote it: a very long one is cut, so one bad value cannot flood the output."""
    if len(text) <= 80:
        return repr(text)
    return "%r... (%d characters)" % (text[:60], len(text))


def type_name(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "a boolean (%s)" % ("true" if value else "false")
    if isinstance(value, (int, float)):
        return "a number (%r)" % value
    if isinstance(value, str):
        return "a string (%s)" % shown(value)
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    return "a %s" % type(value).__name__


def check_keys(value: Mapping, allowed: Iterable[str], path: str, errors: Errors) -> None:
    allowed = list(allowed)
    for key in value:
        if key not in allowed:
            errors.add("%s.%s" % (path, key), "unknown setting; allowed: %s" % ", ".join(allowed))


def read_str(value: Any, path: str, errors: Errors, what: str = "a string") -> Optional[str]:
    """A non-empty string; YAML numbers are accepted as their decimal text (WAN "1012")."""
    if isinstance(value, bool) or value is None:
        errors.add(path, "must be %s, got %s" % (what, type_name(value)))
        return None
    if isinstance(value, int):
        return str(value)
    if not isinstance(value, str):
        errors.add(path, "must be %s, got %s" % (what, type_name(value)))
        return None
    if not value.strip():
        errors.add(path, "must be %s, got an empty string" % what)
        return None
    return value


def read_name(value: Any, path: str, errors: Errors, what: str) -> Optional[str]:
    """A name (WAN, site, interface, list, template): a non-empty string, never a YAML number.

    YAML 1.1 turns some unquoted names into different numbers (``010`` is 8, ``10:12`` is 612), so
    a number here cannot be trusted to be what was written; the value is shown as it arrived.
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        errors.add(path, "must be a quoted string, but YAML read it as the number %r; quote it "
                         "(YAML reads an unquoted 010 as 8 and 10:12 as 612)" % value)
        return None
    return read_str(value, path, errors, what)


def read_bool(value: Any, path: str, errors: Errors) -> Optional[bool]:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("yes", "true", "no", "false"):
        return value.lower() in ("yes", "true")
    errors.add(path, "must be true or false, got %s" % type_name(value))
    return None


def read_int(value: Any, path: str, errors: Errors, low: int, high: int) -> Optional[int]:
    number = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and _ASCII_NUMBER_RE.match(value.strip()):
        number = int(value.strip())
    if number is None or not low <= number <= high:
        errors.add(path, "must be a whole number from %d to %d, got %s" % (low, high, type_name(value)))
        return None
    return number


def read_list(value: Any, path: str, errors: Errors, minimum: int = 0) -> Optional[list]:
    if not isinstance(value, (list, tuple)):
        errors.add(path, "must be a list, got %s" % type_name(value))
        return None
    if len(value) < minimum:
        errors.add(path, "must have at least %d entr%s, got %d" % (minimum, "y" if minimum == 1 else "ies", len(value)))
    return list(value)


def read_mapping(value: Any, path: str, errors: Errors) -> Optional[Mapping]:
    if not isinstance(value, Mapping):
        errors.add(path, "must be a mapping, got %s" % type_name(value))
        return None
    return value


def parse_ipv4(text: str) -> Optional[ipaddress.IPv4Address]:
    try:
        return ipaddress.IPv4Address(text.strip())
    except (ipaddress.AddressValueError, ValueError):
        return None


def read_ipv4(value: Any, path: str, errors: Errors) -> Optional[ipaddress.IPv4Address]:
    text = read_str(value, path, errors, "an IPv4 address like 10.10.2.1")
    if text is None:
        return None
    address = parse_ipv4(text)
    if address is None:
        errors.add(path, "must be an IPv4 address like 10.10.2.1, got %s" % shown(text))
    return address


def read_network(value: Any, path: str, errors: Errors) -> Optional[ipaddress.IPv4Network]:
    """An IPv4 network in CIDR form (a bare address means /32); host bits must be zero."""
    text = read_str(value, path, errors, "an IPv4 network like 10.11.0.0/16")
    if text is None:
        return None
    try:
        network = ipaddress.IPv4Network(text.strip(), strict=False)
    except (ipaddress.AddressValueError, ipaddress.NetmaskValueError, ValueError):
        errors.add(path, "must be an IPv4 network like 10.11.0.0/16, got %s" % shown(text))
        return None
    if network.network_address != ipaddress.IPv4Interface(text.strip()).ip:
        errors.add(path, "%r has host bits set; did you mean %s?" % (text, network.with_prefixlen))
        return None
    return network


def read_interface_address(value: Any, path: str, errors: Errors) -> Optional[ipaddress.IPv4Interface]:
    """An address with its prefix, as on /ip/address: 10.10.2.2/30."""
    text = read_str(value, path, errors, "an IPv4 address with prefix like 10.10.2.2/30")
    if text is None:
        return None
    if "/" not in text:
        errors.add(path, "must be an IPv4 address with prefix like 10.10.2.2/30, got %s (no prefix)" % shown(text))
        return None
    try:
        iface = ipaddress.IPv4Interface(text.strip())
    except (ipaddress.AddressValueError, ipaddress.NetmaskValueError, ValueError):
        errors.add(path, "must be an IPv4 address with prefix like 10.10.2.2/30, got %s" % shown(text))
        return None
    net = iface.network
    if net.prefixlen < 31 and iface.ip in (net.network_address, net.broadcast_address):
        errors.add(path, "%s is the %s address of %s, not a usable host address" % (
            iface.ip, "network" if iface.ip == net.network_address else "broadcast", net.with_prefixlen))
        return None
    return iface


def read_duration(value: Any, path: str, errors: Errors) -> Optional[str]:
    text = read_str(value, path, errors, "a RouterOS time like 1d, 12h30m or 00:10:00")
    if text is None:
        return None
    if not text or not DURATION_RE.match(text.strip()) or text.strip() == "":
        errors.add(path, "must be a RouterOS time like 1d, 12h30m or 00:10:00, got %s" % shown(text))
        return None
    return text.strip()


def read_port(value: Any, path: str, errors: Errors) -> Optional[str]:
    """A port 1-65535, or a range "8000-8010" with the first below the second."""
    if isinstance(value, int) and not isinstance(value, bool):
        if 1 <= value <= 65535:
            return str(value)
        errors.add(path, "must be a port from 1 to 65535 or a range like 8000-8010, got %d" % value)
        return None
    if isinstance(value, str):
        match = re.match(r"^\s*([0-9]{1,5})\s*(?:-\s*([0-9]{1,5})\s*)?\Z", value)
        if match:
            low = int(match.group(1))
            high = int(match.group(2)) if match.group(2) else low
            if 1 <= low <= 65535 and 1 <= high <= 65535 and (low < high or match.group(2) is None):
                return "%d-%d" % (low, high) if match.group(2) else str(low)
    errors.add(path, "must be a port from 1 to 65535 or a range like 8000-8010 (low-high), got %s" % type_name(value))
    return None


def port_bounds(port: str) -> tuple:
    low, _sep, high = port.partition("-")
    return int(low), int(high or low)
