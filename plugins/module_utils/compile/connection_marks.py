# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Role connection_marks: return-path routing (the worked example's file 2).

A connection that starts on a WAN interface is marked CONN_VIA_<wan>; every packet of a marked
connection that comes from the inside is then routed by the WAN's table, and so are the
router's own replies (output chain). The mark-routing rules carry the RouterOS 7 matchers the
worked example lacks:

- ``dst-address-type=!local``: on v7 mangle routing marks are looked up before the ``local``
  table, so without it replies to the router's own addresses would be routed away;
- ``dst-address-list=!INTERNAL``: a marked table resolves everything through its default
  route, and mangle marks win over ``/routing/rule``, so traffic to internal networks must
  never get a routing mark (this is what makes the ``rules`` strategy correct);
- ``in-interface-list`` (LAN list, or ``!WAN``): packets arriving from a WAN keep the main table.

The inbound rule matches ``connection-state=new`` (the worked example marks any unmarked packet
from the WAN): otherwise the replies of ordinary, unmarked outbound connections would get marked too,
and a marked connection is never fasttracked.
"""

from ansible_collections.multiwan.routeros.plugins.module_utils.compile.common import Desired, add, key, lan_matcher
from ansible_collections.multiwan.routeros.plugins.module_utils.compile.ranks import rank
from ansible_collections.multiwan.routeros.plugins.module_utils.intent.model import ECMP_PSEUDO_WAN, CoreIntent

MANGLE = "/ip/firewall/mangle"


def compile_connection_marks(intent: CoreIntent) -> Desired:
    desired: Desired = {}
    names = intent.names
    inbound = [wan for wan in intent.wans if wan.inbound]
    for wan in inbound:
        add(desired, MANGLE, {
            "chain": "prerouting",
            "in-interface": wan.interface,
            "connection-state": "new",
            "connection-mark": "no-mark",
            "action": "mark-connection",
            "new-connection-mark": names.connection_mark_for(wan.name),
            "passthrough": True,
            "comment": "Connections arriving via %s" % wan.label(),
            "_key": key("inbound", wan.name),
            "_rank": rank("inbound_mark_connection"),
        })

    marked = [(wan.name, wan.label(), wan.inbound) for wan in intent.routed_wans()]
    if intent.has_ecmp():
        marked.append((ECMP_PSEUDO_WAN, "ECMP load balancing", False))
    for name, label, is_inbound in marked:
        entry = {
            "chain": "prerouting",
            "connection-mark": names.connection_mark_for(name),
        }
        entry.update(lan_matcher(intent))
        entry.update({
            "dst-address-type": "!local",
            "dst-address-list": "!" + names.internal_list,
            "action": "mark-routing",
            "new-routing-mark": names.table_for(name),
            "passthrough": False,
            "comment": ("Return path via %s" if is_inbound else "Route marked connections via %s") % label,
            "_key": key("route", name),
            "_rank": rank("mark_routing"),
        })
        add(desired, MANGLE, entry)

    for wan in inbound:
        add(desired, MANGLE, {
            "chain": "output",
            "connection-mark": names.connection_mark_for(wan.name),
            "dst-address-list": "!" + names.internal_list,
            "action": "mark-routing",
            "new-routing-mark": names.table_for(wan.name),
            "passthrough": False,
            "comment": "Router's own replies via %s" % wan.label(),
            "_key": key("output", wan.name),
            "_rank": rank("output_mark_routing"),
        })
    return desired
