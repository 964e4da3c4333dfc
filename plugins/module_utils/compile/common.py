# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers shared by the compile modules: keys, matchers, the desired-state shape."""

from typing import Any, Dict, List

from ansible_collections.multiwan.routeros.plugins.module_utils.engine.owner import KEY_UNSAFE_CHAR
from ansible_collections.multiwan.routeros.plugins.module_utils.intent.model import CoreIntent

Entry = Dict[str, Any]
Desired = Dict[str, List[Entry]]


def key(*parts: str) -> str:
    """A stable ``_key`` in the owner-tag alphabet, built from intent names."""
    return "-".join(KEY_UNSAFE_CHAR.sub("_", str(part)) for part in parts)


def lan_matcher(intent: CoreIntent) -> Entry:
    """Packets that come from the inside.

    With ``multiwan_lan_interfaces`` the LAN interface list is matched; without it, anything
    that is not a WAN interface is inside (``in-interface-list=!WAN``), so the 60+ VLANs of a
    core need no list and a new VLAN is covered without a change.
    """
    if intent.lan_interfaces:
        return {"in-interface-list": intent.names.lan_list}
    return {"in-interface-list": "!" + intent.names.wan_list}


def add(desired: Desired, path: str, entry: Entry) -> None:
    desired.setdefault(path, []).append(entry)
