# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Role site_policy: per-site outbound WAN (the worked example's file 4) and load balancing (the PCC
and sticky-NTH examples, plus ECMP).

Sites: an address list SITES_USE_<wan> per WAN holds the networks of the sites assigned to
it; one mangle rule per WAN marks the sites' new outbound connections CONN_VIA_<wan>. The
routing mark itself comes from the connection_marks role's mark-routing rules, which rank
after every mark-connection rule, whichever role ran first.

Load balancing lives here too (there is no separate load_balancing role): it marks the
connections that are still unmarked after the site rules, so sites always win.
"""

from typing import Dict, List

from ansible_collections.multiwan.routeros.plugins.module_utils.compile.common import Desired, Entry, add, key, lan_matcher
from ansible_collections.multiwan.routeros.plugins.module_utils.compile.ranks import rank
from ansible_collections.multiwan.routeros.plugins.module_utils.intent.model import ECMP_PSEUDO_WAN, CoreIntent

MANGLE = "/ip/firewall/mangle"


def _outbound(intent: CoreIntent) -> Entry:
    """Matchers for a new outbound connection from the inside to the internet.

    Only the first packet of a connection is classified (``connection-state=new``): a
    connection that existed before the rule was added is never moved to another WAN mid-flow.
    """
    entry: Entry = {"chain": "prerouting"}
    entry.update(lan_matcher(intent))
    entry.update({
        "connection-state": "new",
        "connection-mark": "no-mark",
        "dst-address-type": "!local",
        "dst-address-list": "!" + intent.names.internal_list,
    })
    return entry


def _sites(intent: CoreIntent, desired: Desired) -> Dict[str, List[str]]:
    names = intent.names
    by_wan: Dict[str, List[str]] = {}
    for site in intent.sites:
        listed = by_wan.setdefault(site.wan, [])
        for network in site.networks:
            if network in listed:
                continue
            listed.append(network)
            add(desired, "/ip/firewall/address-list", {
                "list": names.site_list_for(site.wan),
                "address": network,
                "comment": "Site %s uses %s" % (site.name, site.wan),
            })
    for wan in intent.wans:
        if wan.name not in by_wan:
            continue
        entry = {"chain": "prerouting", "src-address-list": names.site_list_for(wan.name)}
        rest = _outbound(intent)
        del rest["chain"]
        entry.update(rest)
        entry.update({
            "action": "mark-connection",
            "new-connection-mark": names.connection_mark_for(wan.name),
            "passthrough": True,
            "comment": "Sites assigned to %s go out via it" % wan.label(),
            "_key": key("site", wan.name),
            "_rank": rank("site_mark_connection"),
        })
        add(desired, MANGLE, entry)
    return by_wan


def _pcc(intent: CoreIntent, desired: Desired) -> None:
    lb = intent.load_balancing
    count = len(lb.wans)
    for index, name in enumerate(lb.wans):
        entry = _outbound(intent)
        entry.update({
            "per-connection-classifier": "%s:%d/%d" % (lb.classifier, count, index),
            "action": "mark-connection",
            "new-connection-mark": intent.names.connection_mark_for(name),
            "passthrough": True,
            "comment": "Load balancing (PCC %d/%d) via %s" % (index, count, intent.wan(name).label()),
            "_key": key("lb", "pcc", name),
            "_rank": rank("lb_mark_connection"),
        })
        add(desired, MANGLE, entry)


def _nth(intent: CoreIntent, desired: Desired, site_wans: Dict[str, List[str]]) -> None:
    lb = intent.load_balancing
    names = intent.names
    count = len(lb.wans)
    for index, name in enumerate(lb.wans):
        entry = _outbound(intent)
        entry.update({
            "src-address-list": names.sticky_list_for(name),
            "action": "mark-connection",
            "new-connection-mark": names.connection_mark_for(name),
            "passthrough": True,
            "comment": "Sources already balanced to %s stay on it" % intent.wan(name).label(),
            "_key": key("lb", "sticky", name),
            "_rank": rank("lb_sticky_mark_connection"),
        })
        add(desired, MANGLE, entry)
    for index, name in enumerate(lb.wans):
        entry = _outbound(intent)
        # Each rule has its own nth counter and only sees what the rules before it left, so
        # rule i takes one in (count - i) to split evenly; the sticky-NTH example's nth=2,1 / nth=2,2 pair
        # leaves a quarter of new connections unbalanced. The last rule takes the rest.
        if index < count - 1:
            entry["nth"] = "%d,1" % (count - index)
        if count == 2:
            # The sticky-NTH example's remedy: never start a source on this WAN while it is listed on the other.
            entry["src-address-list"] = "!" + names.sticky_list_for(lb.wans[1 - index])
        entry.update({
            "action": "mark-connection",
            "new-connection-mark": names.connection_mark_for(name),
            "passthrough": True,
            "comment": "Load balancing (nth, sticky) via %s" % intent.wan(name).label(),
            "_key": key("lb", "nth", name),
            "_rank": rank("lb_mark_connection"),
        })
        add(desired, MANGLE, entry)
    for index, name in enumerate(lb.wans):
        entry = {"chain": "prerouting"}
        entry.update(lan_matcher(intent))
        entry.update({
            "connection-state": "new",
            "connection-mark": names.connection_mark_for(name),
        })
        if name in site_wans:
            # Site connections carry the same mark; keep site sources out of the sticky list.
            entry["src-address-list"] = "!" + names.site_list_for(name)
        entry.update({
            "action": "add-src-to-address-list",
            "address-list": names.sticky_list_for(name),
            "address-list-timeout": lb.sticky_timeout,
            "comment": "Remember sources balanced to %s for %s" % (intent.wan(name).label(), lb.sticky_timeout),
            "_key": key("lb", "remember", name),
            "_rank": rank("lb_sticky_add_source"),
        })
        add(desired, MANGLE, entry)


def _ecmp(intent: CoreIntent, desired: Desired) -> None:
    entry = _outbound(intent)
    entry.update({
        "action": "mark-connection",
        "new-connection-mark": intent.names.connection_mark_for(ECMP_PSEUDO_WAN),
        "passthrough": True,
        "comment": "Load balancing (ECMP) over %d WANs" % len(intent.load_balancing.wans),
        "_key": key("lb", "ecmp"),
        "_rank": rank("lb_mark_connection"),
    })
    add(desired, MANGLE, entry)


def compile_site_policy(intent: CoreIntent) -> Desired:
    desired: Desired = {}
    site_wans = _sites(intent, desired)
    lb = intent.load_balancing
    if lb is not None:
        if lb.method == "pcc":
            _pcc(intent, desired)
        elif lb.method == "nth":
            _nth(intent, desired, site_wans)
        else:
            _ecmp(intent, desired)
    return desired
