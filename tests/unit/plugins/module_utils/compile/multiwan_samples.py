# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Intent samples shared by the intent, compile and filter tests: the worked example's network."""

import copy

EXAMPLE_CORE = {
    "multiwan_wans": [
        {"name": "1012", "interface": "VLAN3002", "gateway": "10.10.2.1", "address": "10.10.2.2/30",
         "vlan": {"id": 3002, "interface": "sfp-sfpplus1"}, "comment": "CCR2004 1Gbps"},
        {"name": "1000", "interface": "VLAN3000", "gateway": "10.10.0.1", "address": "10.10.0.2/30",
         "vlan": {"id": 3000, "interface": "sfp-sfpplus1"}, "comment": "CCR2004 500Mbps"},
        {"name": "1005", "interface": "VLAN3003", "gateway": "10.10.3.1", "address": "10.10.3.2/30",
         "vlan": {"id": 3003, "interface": "sfp-sfpplus1"}, "comment": "netPower 16P 50Mbps"},
        {"name": "VVG", "interface": "VLAN3004", "gateway": "192.168.254.1", "address": "192.168.254.2/30",
         "vlan": {"id": 3004, "interface": "sfp-sfpplus1"}, "inbound": False, "comment": "ISP router 100Mbps"},
    ],
    "multiwan_internal_networks": ["10.11.0.0/16", "192.168.0.0/17"],
    "multiwan_sites": [
        {"name": "vps_school", "networks": ["192.168.10.0/24"], "wan": "1012"},
        {"name": "vcid_office", "networks": ["192.168.20.0/24", "192.168.21.0/24"], "wan": "1000"},
        {"name": "8kbs", "networks": ["192.168.30.0/24"], "wan": "1005"},
    ],
    "multiwan_fasttrack": {"enabled": True, "hw_offload": True},
    "multiwan_conntrack": {"tcp_established_timeout": "1d", "udp_timeout": "30s"},
}

EXAMPLE_EDGE = {
    "multiwan_edge": {
        "wan": "1012",
        "internet_interface": "ether1",
        "transit_interface": "sfp-sfpplus1",
        "core_address": "10.10.2.2",
        "internal_networks": ["10.11.0.0/16"],
        "fix_transit_srcnat": False,
    },
    "multiwan_port_forwards": [
        {"name": "server-ssh", "protocol": "tcp", "port": 2222, "to_address": "10.11.101.206", "to_port": 22,
         "source": ["203.0.113.0/24"]},
        {"name": "web", "protocol": "tcp", "port": 443, "to_address": "10.11.101.10", "dst_address": "198.51.100.10"},
        {"name": "rtp", "protocol": "udp", "port": "10000-10100", "to_address": "10.11.101.20"},
    ],
}


def _variant(base, changes):
    """A deep copy of ``base`` with top-level variables replaced (None removes)."""
    data = copy.deepcopy(base)
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def core(**changes):
    """The worked example's core intent with top-level variables replaced (None removes)."""
    return _variant(EXAMPLE_CORE, changes)


def edge(**changes):
    """The worked example's edge intent with top-level variables replaced (None removes)."""
    return _variant(EXAMPLE_EDGE, changes)
