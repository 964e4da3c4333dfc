# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one table of ``_rank`` values for every ordered rule kind, across all roles.

Within a chain the engine keeps the collection's entries as one block in rank order, whichever
role wrote them and in whatever order the roles ran. Because every role takes its ranks from
this table, running ``site_policy`` before ``connection_marks`` (or alone) still leaves the
mangle chain in the order the design needs. Entries of one kind are numbered ``base + i``
(i = position in the intent), so each kind has room for STRIDE - 1 entries before it would
reach the next kind.
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


def rank(kind: str, index: int = 0) -> int:
    """The rank of the ``index``-th entry of ``kind``."""
    base = RANKS[kind][2]
    if not 0 <= index < STRIDE:
        raise ValueError("%s: entry %d does not fit in one rank stride (%d)" % (kind, index, STRIDE))
    return base + index
