# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one table of ``_rank`` values for every ordered rule kind, across all roles.

Within a chain the engine keeps the collection's entries as one block in rank order, whichever
role wrote them and in whatever order the roles ran. Because every role takes its ranks from
this table, running ``site_policy`` before ``connection_marks`` (or alone) still leaves the
mangle chain in the order the design needs.

Every entry of one kind carries the kind's rank; entries of one kind keep the order of the
intent (the engine orders equal ranks by their position in ``desired``). The rank is part of
the owner tag, so it must not depend on list positions: removing one WAN or site would
otherwise renumber, and rewrite, the tags of every entry after it.
"""

from typing import Dict, Tuple

STRIDE = 10000

# kind: (path, chain, base rank). Order inside a chain = order of the base ranks.
RANKS: Dict[str, Tuple[str, str, int]] = {
    # /ip/firewall/mangle, chain prerouting: marks connections first, then routes by mark.
    "inbound_mark_connection": ("/ip/firewall/mangle", "prerouting", 1 * STRIDE),
    "site_mark_connection": ("/ip/firewall/mangle", "prerouting", 2 * STRIDE),
    "lb_sticky_mark_connection": ("/ip/firewall/mangle", "prerouting", 3 * STRIDE),
    "lb_mark_connection": ("/ip/firewall/mangle", "prerouting", 4 * STRIDE),
    "lb_sticky_add_source": ("/ip/firewall/mangle", "prerouting", 5 * STRIDE),
    "mark_routing": ("/ip/firewall/mangle", "prerouting", 6 * STRIDE),
    # /ip/firewall/mangle, chain output: router-originated replies of marked connections.
    "output_mark_routing": ("/ip/firewall/mangle", "output", 1 * STRIDE),
    # /ip/firewall/filter, chain forward: FastTrack (unmarked only), then accept the rest.
    "fasttrack": ("/ip/firewall/filter", "forward", 1 * STRIDE),
    "accept_established": ("/ip/firewall/filter", "forward", 2 * STRIDE),
    # /ip/firewall/nat, chain dstnat: edge port forwards.
    "port_forward": ("/ip/firewall/nat", "dstnat", 1 * STRIDE),
    # /ip/firewall/nat, chain srcnat: core masquerade per WAN, edge masquerade to the internet,
    # then foreign transit source-NAT rules adopted as disabled.
    "wan_masquerade": ("/ip/firewall/nat", "srcnat", 1 * STRIDE),
    "edge_masquerade": ("/ip/firewall/nat", "srcnat", 2 * STRIDE),
    "transit_srcnat_disabled": ("/ip/firewall/nat", "srcnat", 3 * STRIDE),
    # /routing/rule: internal networks stay in the main table (rules strategy).
    "internal_rule": ("/routing/rule", "", 1 * STRIDE),
}


def rank(kind: str) -> int:
    """The rank of every entry of ``kind``."""
    return RANKS[kind][2]
