# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Role fasttrack_tuning: FastTrack for unmarked connections only, and connection tracking
settings (the worked example's file 6).

FastTracked packets skip mangle and are routed by the main table only, so a policy-routed
(marked) connection must never be fasttracked: its replies would leave by the main table's
WAN. The fasttrack rule therefore matches ``connection-mark=no-mark``; the accept rule after
it lets the marked established/related traffic through the normal (slow) path.
"""

from typing import Union

from ansible_collections.multiwan.routeros.plugins.module_utils.compile.common import Desired, add, key
from ansible_collections.multiwan.routeros.plugins.module_utils.compile.ranks import rank
from ansible_collections.multiwan.routeros.plugins.module_utils.intent.model import CommonIntent, CoreIntent, EdgeIntent

FILTER = "/ip/firewall/filter"


def compile_fasttrack_tuning(intent: Union[CommonIntent, CoreIntent, EdgeIntent]) -> Desired:
    """Core and edge routers both run this role; it reads only the common settings."""
    common = intent if isinstance(intent, CommonIntent) else intent.common
    desired: Desired = {}
    if common.fasttrack.enabled:
        fasttrack = {
            "chain": "forward",
            "action": "fasttrack-connection",
            "connection-state": "established,related",
            "connection-mark": "no-mark",
            "comment": "FastTrack unmarked connections only (policy-routed ones need mangle)",
            "_key": key("fasttrack"),
            "_rank": rank("fasttrack"),
        }
        if common.fasttrack.hw_offload:
            # Written only when wanted: RouterOS 7.22 has no hw-offload argument and refuses it, even as "no".
            fasttrack["hw-offload"] = True
        add(desired, FILTER, fasttrack)
        add(desired, FILTER, {
            "chain": "forward",
            "action": "accept",
            "connection-state": "established,related",
            "comment": "Accept established and related connections",
            "_key": key("accept", "established"),
            "_rank": rank("accept_established"),
        })
    if common.conntrack:
        entry = dict(common.conntrack)
        add(desired, "/ip/firewall/connection/tracking", entry)
    return desired
