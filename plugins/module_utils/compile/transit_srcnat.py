# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Find foreign source-NAT rules on an edge router that would NAT forwarded traffic toward
the core, which would hide the client's address from the core and the servers.

Forwarded traffic toward the core comes in on the internet interface from any internet
address, goes to an internal network (or the core's transit address) and leaves through the
transit interface. A srcnat rule is an offender when nothing in it keeps such a packet out:
its out-interface (or list) admits the transit interface, and its in-interface, src-address
and dst-address matchers (when set) admit that packet. Address lists whose content is unknown
here are taken as restricting when positive and as not restricting when negated; interface
lists are resolved from ``interface_lists`` when given, and otherwise only the builtin ``all``
is known to contain the transit interface, so a rule such as defconf's
``out-interface-list=WAN`` is never reported on a guess.
"""

import hashlib
import ipaddress
import re
from typing import Any, Dict, List, Mapping, Optional, Sequence

from ansible_collections.multiwan.routeros.plugins.module_utils.compile.common import Entry
from ansible_collections.multiwan.routeros.plugins.module_utils.compile.ranks import rank
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.gather import gather

SOURCE_NAT_ACTIONS = ("masquerade", "src-nat", "netmap", "same")
# Printed fields that describe the row's state, not what it matches or does.
STATE_FIELDS = frozenset([".id", ".nextid", ".about", "bytes", "packets", "dynamic", "invalid", "disabled", "comment"])
KEY_PREFIX = "transit-srcnat-"
_TAG_RE = re.compile(r"\s*\[mwan:([a-z0-9_]+):([A-Za-z0-9_.:/-]+?)(?:@(\d+))?\]\s*$")


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("true", "yes")


def _negated(value: str):
    value = str(value).strip()
    if value.startswith("!"):
        return True, value[1:]
    return False, value


def _networks(value: str) -> List[ipaddress.IPv4Network]:
    result = []
    for part in str(value).split(","):
        part = part.strip()
        if not part:
            continue
        try:
            if "-" in part:
                low, high = part.split("-", 1)
                result.extend(ipaddress.summarize_address_range(ipaddress.IPv4Address(low.strip()),
                                                                ipaddress.IPv4Address(high.strip())))
            else:
                result.append(ipaddress.IPv4Network(part, strict=False))
        except ValueError:
            continue
    return result


def list_members(interface_lists: Any) -> Optional[Dict[str, List[str]]]:
    """Accept {list: [interfaces]} or /interface/list/member rows ({list, interface})."""
    if interface_lists is None:
        return None
    if isinstance(interface_lists, Mapping):
        return dict((str(k), [str(i) for i in (v or [])]) for k, v in interface_lists.items())
    members: Dict[str, List[str]] = {}
    for row in interface_lists:
        if isinstance(row, Mapping) and "list" in row and "interface" in row and not _flag(row.get("disabled", False)):
            members.setdefault(str(row["list"]), []).append(str(row["interface"]))
    return members


def _list_has(name: str, interface: str, members: Optional[Dict[str, List[str]]]) -> Optional[bool]:
    """Whether interface list ``name`` contains ``interface``; None when unknown."""
    if name == "all":
        return True
    if name == "none":
        return False
    if members is None or name not in members:
        return None
    return interface in members[name]


def _out_reason(row: Mapping, transit: str, members) -> Optional[str]:
    """Why the row's out-interface matchers admit the transit interface, or None when they
    do not (or when that depends on an interface list whose members are unknown)."""
    reasons = []
    out = row.get("out-interface")
    if out:
        negated, name = _negated(out)
        if (name == transit) == negated:
            return None
        reasons.append("out-interface=%s is the transit interface toward the core" % transit if not negated
                       else "out-interface=!%s also matches the transit interface %s" % (name, transit))
    out_list = row.get("out-interface-list")
    if out_list:
        negated, name = _negated(out_list)
        has = _list_has(name, transit, members)
        if has is None or has == negated:
            return None
        reasons.append("out-interface-list=%s contains the transit interface %s" % (name, transit) if not negated
                       else "out-interface-list=!%s admits the transit interface %s" % (name, transit))
    if not reasons:
        return "it has no out-interface, so it also source-NATs what leaves through the transit interface %s" % transit
    return "; ".join(reasons)


def _admits_forwarded(row: Mapping, internet: str, targets: Sequence[ipaddress.IPv4Network], members) -> bool:
    """Whether the row's other matchers let a forwarded internet->core packet through."""
    if row.get("in-interface"):
        negated, name = _negated(row["in-interface"])
        if (name == internet) == negated:
            return False
    if row.get("in-interface-list"):
        negated, name = _negated(row["in-interface-list"])
        has = _list_has(name, internet, members)
        if has is not None and has == negated:
            return False
    if row.get("src-address"):
        negated, value = _negated(row["src-address"])
        nets = _networks(value)
        everything = any(net.prefixlen == 0 for net in nets)
        if negated == everything:
            return False
    if row.get("src-address-list"):
        negated, _name = _negated(row["src-address-list"])
        if not negated:
            return False
    if row.get("dst-address"):
        negated, value = _negated(row["dst-address"])
        nets = _networks(value)
        if negated:
            if targets and all(any(target.subnet_of(net) for net in nets) for target in targets):
                return False
        elif not any(net.overlaps(target) for net in nets for target in targets):
            return False
    if row.get("dst-address-list"):
        negated, _name = _negated(row["dst-address-list"])
        if not negated:
            return False
    return True


def _identity(row: Mapping) -> Dict[str, Any]:
    return dict((k, v) for k, v in row.items() if k not in STATE_FIELDS and not str(k).startswith("."))


def _key_of(row: Mapping) -> str:
    text = ",".join("%s=%s" % (k, row[k]) for k in sorted(_identity(row)))
    return KEY_PREFIX + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def transit_srcnat_offenders(foreign_nat_rules: Sequence[Mapping], edge: Mapping, interface_lists: Any = None) -> List[Dict[str, Any]]:
    """Offending rows, each as {id, reason, rule, entry}; ``entry`` adopts the rule disabled.

    Rows already adopted by an earlier fix (tagged with a ``transit-srcnat-`` key) are returned
    again, so the role keeps them in its desired state and the engine leaves them disabled.
    """
    transit = str(edge["transit_interface"])
    internet = str(edge.get("internet_interface", ""))
    targets = []
    for value in list(edge.get("internal_networks") or []) + ([edge["core_address"]] if edge.get("core_address") else []):
        targets.extend(_networks(str(value)))
    members = list_members(interface_lists)
    found = []
    for row in foreign_nat_rules:
        if not isinstance(row, Mapping) or _flag(row.get("dynamic", False)):
            continue
        comment = str(row.get("comment") or "")
        tag = _TAG_RE.search(comment)
        if tag and not tag.group(2).startswith(KEY_PREFIX):
            continue
        if str(row.get("chain", "")) != "srcnat" or str(row.get("action", "")) not in SOURCE_NAT_ACTIONS:
            continue
        if tag:
            reason = "disabled earlier: it would source-NAT forwarded traffic toward the core"
            row_key = tag.group(2)
            description = comment[:tag.start()].strip()
        else:
            if _flag(row.get("disabled", False)):
                continue
            reason = _out_reason(row, transit, members)
            if reason is None or not _admits_forwarded(row, internet, targets, members):
                continue
            row_key = _key_of(row)
            description = comment.strip()
        entry: Entry = _identity(row)
        entry["disabled"] = True
        entry["comment"] = (description + " " if description else "") + "(disabled: would source-NAT forwarded traffic toward the core)"
        if tag:
            entry["comment"] = description or entry["comment"]
        entry["_key"] = row_key
        # One rank for all of them: they keep their order in the table, so none is moved.
        entry["_rank"] = rank("transit_srcnat_disabled")
        label = "srcnat %s rule%s%s" % (row.get("action"), " " + str(row[".id"]) if row.get(".id") else "",
                                        " (%s)" % description if description else "")
        found.append({"id": row.get(".id"), "reason": "%s: %s" % (label, reason),
                      "rule": dict(row), "entry": entry})
    return found


NAT = "/ip/firewall/nat"
LIST_MEMBERS = "/interface/list/member"


def reasons(result: Mapping[str, Any], fixed: bool) -> List[str]:
    """The reasons of the offenders a reconcile with ``TransitSrcnat`` reported (``transit_srcnat``): those it disables
    (``fixed``, with ``fix_transit_srcnat``) or those it leaves enabled (without)."""
    if bool(result.get("transit_srcnat_fixed")) != fixed:
        return []
    return [str(found["reason"]) for found in result.get("transit_srcnat") or []]


class TransitSrcnat(object):
    """An edge's source-NAT rules toward the core, found in the reconcile's own read of the router (the engine's
    ``from_router``): the port_forward_nosrcnat role keeps the rules it adopted disabled earlier (its entries keyed
    ``transit-srcnat-``), and with ``fix_transit_srcnat`` adopts the offenders found now, disabled. The result reports
    every offender (``transit_srcnat``) and whether it was fixed."""

    paths = (NAT, LIST_MEMBERS)

    def __init__(self, edge: Mapping) -> None:
        self.edge = edge
        self.fix = _flag(edge.get("fix_transit_srcnat", False))

    def extend(self, actual: Mapping[str, Any], owner: str):
        gathered, foreign = gather(actual, owner, self.paths)
        kept = [entry for entry in gathered[NAT] if str(entry.get("_key", "")).startswith(KEY_PREFIX)]
        found = transit_srcnat_offenders(foreign[NAT], self.edge, foreign[LIST_MEMBERS])
        extra = kept + ([offender["entry"] for offender in found] if self.fix else [])
        report = {"transit_srcnat": [{"id": offender["id"], "reason": offender["reason"]} for offender in found],
                  "transit_srcnat_fixed": self.fix}
        return ({NAT: extra} if extra else {}), ([NAT] if self.fix else []), report
