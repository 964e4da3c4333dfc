"""Generate the example network's inventory (the worked example's core, 60+ VLANs, 200+ sites, three edges).

The output is deterministic and committed: ``inventory/example/`` (production addresses) and
``inventory/lab/`` (the same intent pointed at lab routers on 127.0.0.1, plus the lab's topology
and brownfield initial configurations). Run from the repository root::

    .venv/bin/python scripts/generate_inventory.py
"""

import os
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Preference order = list order: 1012 is the primary (1 Gbps), VVG is outbound only.
WANS = [
    {"name": "1012", "interface": "VLAN3002", "gateway": "10.10.2.1", "vlan_id": 3002,
     "address": "10.10.2.2/30", "comment": "CCR2004 1Gbps", "inbound": True},
    {"name": "1000", "interface": "VLAN3000", "gateway": "10.10.0.1", "vlan_id": 3000,
     "address": "10.10.0.2/30", "comment": "CCR2004 500Mbps", "inbound": True},
    {"name": "1005", "interface": "VLAN3003", "gateway": "10.10.3.1", "vlan_id": 3003,
     "address": "10.10.3.2/30", "comment": "netPower 16P 50Mbps", "inbound": True},
    {"name": "VVG", "interface": "VLAN3004", "gateway": "192.168.254.1", "vlan_id": 3004,
     "address": "192.168.254.2/30", "comment": "ISP router 100Mbps, outbound only", "inbound": False},
]
# The core's trunk toward the edge routers and its LAN trunk.
WAN_TRUNK = "sfp-sfpplus1"
LAN_TRUNK = "sfp-sfpplus2"
CORE_INTERFACES = ["ether1"] + ["sfp-sfpplus%d" % i for i in range(1, 9)]

INTERNAL_NETWORKS = ["10.11.0.0/16", "172.16.0.0/12", "192.168.0.0/17"]

# VLANs named in the worked example; the rest are generated.
NAMED_VLANS = {
    1000: "VCID Office",
    1001: "26 PBS",
    1005: "8KBS",
    1012: "VPS School",
    1101: "Core Servers",
}
PLACES = [
    "Northgate", "Riverside", "Hillcrest", "Lakeview", "Oakridge", "Westfield", "Eastbrook",
    "Southpark", "Meadowbank", "Stonebridge", "Ashford", "Brookside", "Cedarvale", "Elmwood",
    "Fairhaven", "Glenmore", "Harbourside", "Ivybridge", "Kingsway", "Larchmont", "Millbrook",
]
KINDS = ["Office", "School", "Clinic", "Depot", "Library", "Warehouse", "Campus", "Hostel", "Lab"]
SITE_KINDS = ["school", "clinic", "office", "depot", "library", "shop", "annex", "kiosk"]


def slug(text):
    out = []
    for char in text.lower():
        out.append(char if char.isalnum() else "_")
    return "_".join(part for part in "".join(out).split("_") if part)


def vlans():
    """64 LAN VLANs: 1000..1062 and the servers' VLAN 1101."""
    result = []
    for vid in list(range(1000, 1063)) + [1101]:
        third = vid - 1000
        name = NAMED_VLANS.get(vid)
        if name is None:
            name = "%s %s" % (PLACES[vid % len(PLACES)], KINDS[(vid // 3) % len(KINDS)])
        result.append({"id": vid, "interface": "VLAN%d" % vid, "name": name,
                       "network": "10.11.%d.0/24" % third, "core": "10.11.%d.250/24" % third,
                       "site_router": "10.11.%d.1" % third})
    return result


def wan_for(index):
    """Spread sites like the worked example: most on 1012, VCID sites on 1000, 8KBS on 1005, some on VVG."""
    bucket = index % 20
    if bucket < 11:
        return "1012"
    if bucket < 16:
        return "1000"
    if bucket < 18:
        return "1005"
    return "VVG"


def sites(vlan_list):
    named = {1000: ("vcid_office", "1000"), 1001: ("pbs_26", "1000"), 1005: ("kbs_8", "1005"),
             1012: ("vps_school", "1012")}
    result = []
    remote = []
    index = 0
    for vlan in vlan_list:
        if vlan["id"] == 1101:
            continue  # the servers are reached inbound; their outbound follows the main table
        name, wan = named.get(vlan["id"], (None, None))
        if name is None:
            name = slug(vlan["name"]) + "_%d" % vlan["id"]
            wan = wan_for(index)
        result.append({"name": name, "networks": [vlan["network"]], "wan": wan,
                       "_vlan": vlan})
        index += 1
    # Remote sites behind site routers on the VLANs: 172.16.0.0/12, one /24 (some two) each.
    for number in range(150):
        vlan = vlan_list[number % 63]
        octet2 = 16 + number // 200
        networks = ["172.%d.%d.0/24" % (octet2, number)]
        if number % 10 == 3:
            networks.append("172.%d.%d.0/24" % (octet2 + 1, number))
        place = PLACES[(number * 7) % len(PLACES)]
        kind = SITE_KINDS[number % len(SITE_KINDS)]
        name = "%s_%s_%03d" % (slug(place), kind, number)
        site = {"name": name, "networks": networks, "wan": wan_for(number + 3), "_vlan": vlan}
        result.append(site)
        remote.append(site)
    # The worked example's VPS School network.
    result.append({"name": "vps_school_annex", "networks": ["192.168.10.0/24"], "wan": "1012",
                   "_vlan": vlan_list[12]})
    remote.append(result[-1])
    return result, remote


EDGES = [
    {"host": "edge-1000", "wan": "1000", "identity": "1000_INTERNET", "internet_interface": "ether1",
     "transit_interface": "sfp-sfpplus1", "transit": "10.10.0.1/30", "core_address": "10.10.0.2",
     "public": "198.51.100.2/29", "public_gateway": "198.51.100.1",
     "interfaces": ["ether1"] + ["sfp-sfpplus%d" % i for i in range(1, 13)],
     "forwards": [
         {"name": "office-rdp", "protocol": "tcp", "port": 3389, "to_address": "10.11.101.20",
          "source": ["203.0.113.0/24", "198.18.0.0/15"]},
         {"name": "office-https", "protocol": "tcp", "port": 443, "to_address": "10.11.101.21"},
     ]},
    {"host": "edge-1012", "wan": "1012", "identity": "1012_INTERNET", "internet_interface": "ether1",
     "transit_interface": "sfp-sfpplus1", "transit": "10.10.2.1/30", "core_address": "10.10.2.2",
     "public": "203.0.113.10/29", "public_gateway": "203.0.113.9",
     "interfaces": ["ether1"] + ["sfp-sfpplus%d" % i for i in range(1, 13)],
     "forwards": [
         {"name": "server-ssh", "protocol": "tcp", "port": 2222, "to_address": "10.11.101.206", "to_port": 22},
         {"name": "web-https", "protocol": "tcp", "port": 443, "to_address": "10.11.101.10",
          "dst_address": "203.0.113.10"},
         {"name": "web-http", "protocol": "tcp", "port": 80, "to_address": "10.11.101.10",
          "dst_address": "203.0.113.10"},
         {"name": "vpn-wireguard", "protocol": "udp", "port": 51820, "to_address": "10.11.101.5"},
     ]},
    {"host": "edge-1005", "wan": "1005", "identity": "1005_INTERNET", "internet_interface": "ether1",
     "transit_interface": "sfp1", "transit": "10.10.3.1/30", "core_address": "10.10.3.2",
     "public": "192.0.2.34/29", "public_gateway": "192.0.2.33",
     "interfaces": ["ether%d" % i for i in range(1, 17)] + ["sfp1", "sfp2"],
     "forwards": [
         {"name": "voip-sip", "protocol": "udp", "port": 5060, "to_address": "10.11.101.30"},
         {"name": "voip-rtp", "protocol": "udp", "port": "10000-10100", "to_address": "10.11.101.30"},
     ]},
]

LAB = {
    "control_port": 18700,
    "core": {"api": 18728, "ssh": 18022},
    "edge-1000": {"api": 18729, "ssh": 18023},
    "edge-1012": {"api": 18730, "ssh": 18024},
    "edge-1005": {"api": 18731, "ssh": 18025},
}


class Dumper(yaml.SafeDumper):
    """Block style, 2-space indented sequences, no aliases."""

    def ignore_aliases(self, data):
        return True

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def dump(path, data, header):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("---\n")
        for line in header.strip().splitlines():
            handle.write("# %s\n" % line if line else "#\n")
        handle.write(yaml.dump(data, Dumper=Dumper, default_flow_style=False, sort_keys=False, width=120))


def write_text(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


def wan_intent():
    result = []
    for position, wan in enumerate(WANS):
        entry = {"name": wan["name"], "interface": wan["interface"], "gateway": wan["gateway"]}
        if wan["name"] == "VVG":
            # The fourth WAN is new: the collection creates its VLAN and transit address.
            entry["address"] = wan["address"]
            entry["vlan"] = {"id": wan["vlan_id"], "interface": WAN_TRUNK}
        entry["inbound"] = wan["inbound"]
        entry["check_gateway"] = "ping"
        # Written out (the default is the list position), so removing a WAN changes no other WAN's routes.
        entry["distance"] = position + 1
        entry["comment"] = wan["comment"]
        result.append(entry)
    return result


def core_vars(site_list):
    return {
        "multiwan_wans": wan_intent(),
        "multiwan_internal_networks": list(INTERNAL_NETWORKS),
        "multiwan_internal_strategy": "rules",
        "multiwan_lan_interfaces": [],
        "multiwan_fasttrack": {"enabled": True, "hw_offload": True},
        "multiwan_conntrack": {"tcp_established_timeout": "1d", "udp_timeout": "30s"},
    }


def sites_vars(site_list):
    return {"multiwan_sites": [{"name": s["name"], "networks": s["networks"], "wan": s["wan"]} for s in site_list]}


def edge_vars(edge):
    forwards = []
    for forward in edge["forwards"]:
        forwards.append(dict(forward))
    return {
        "multiwan_edge": {
            "wan": edge["wan"],
            "internet_interface": edge["internet_interface"],
            "transit_interface": edge["transit_interface"],
            "core_address": edge["core_address"],
            "internal_networks": list(INTERNAL_NETWORKS),
            "fix_transit_srcnat": False,
        },
        "multiwan_port_forwards": forwards,
    }


def hosts(lab):
    core = {"ansible_host": "127.0.0.1" if lab else "10.11.101.250"}
    if lab:
        core.update({"multiwan_api_port": LAB["core"]["api"], "ansible_port": LAB["core"]["ssh"]})
    edges = {}
    for edge in EDGES:
        host = {"ansible_host": "127.0.0.1" if lab else edge["transit"].split("/", maxsplit=1)[0]}
        if lab:
            host.update({"multiwan_api_port": LAB[edge["host"]]["api"], "ansible_port": LAB[edge["host"]]["ssh"]})
        edges[edge["host"]] = host
    return {"all": {"children": {
        "multiwan_core": {"hosts": {"core": core}},
        "multiwan_edge": {"hosts": edges},
    }}}


def all_vars(lab):
    data = {
        "ansible_connection": "local",
        "ansible_python_interpreter": "{{ ansible_playbook_python }}",
        "multiwan_transport": "api",
    }
    if lab:
        data.update({
            "ansible_user": "admin",
            "ansible_password": "lab-secret",
            "multiwan_api_tls": False,
            "multiwan_validate_certs": False,
            "multiwan_lab_control_port": LAB["control_port"],
        })
    else:
        data.update({
            "multiwan_api_tls": True,
            "multiwan_api_port": 8729,
            "multiwan_validate_certs": True,
            "multiwan_ca_path": "{{ inventory_dir }}/files/routers-ca.pem",
        })
    return data


def core_init(vlan_list, remote_sites):
    lines = ["# Brownfield core (CCR1072): interfaces, VLANs and addresses present, no policy routing yet.",
             "/system identity set name=CORE",
             "/interface vlan"]
    for wan in WANS:
        if wan["name"] != "VVG":
            lines.append("add interface=%s name=%s vlan-id=%d comment=\"%s_INTERNET transit\""
                         % (WAN_TRUNK, wan["interface"], wan["vlan_id"], wan["name"]))
    for vlan in vlan_list:
        lines.append("add interface=%s name=%s vlan-id=%d comment=\"%s\"" % (LAN_TRUNK, vlan["interface"], vlan["id"], vlan["name"]))
    lines.append("/ip address")
    for wan in WANS:
        if wan["name"] != "VVG":
            lines.append("add address=%s interface=%s comment=\"%s_INTERNET transit\"" % (wan["address"], wan["interface"], wan["name"]))
    for vlan in vlan_list:
        lines.append("add address=%s interface=%s" % (vlan["core"], vlan["interface"]))
    lines.append("/ip route")
    lines.append("add dst-address=0.0.0.0/0 gateway=10.10.2.1 comment=\"default via 1012\"")
    for site in remote_sites:
        for network in site["networks"]:
            lines.append("add dst-address=%s gateway=%s comment=\"%s\"" % (network, site["_vlan"]["site_router"], site["name"]))
    lines.append("/ip firewall filter")
    lines.append("add action=accept chain=input protocol=icmp comment=\"allow ping\"")
    lines.append("add action=drop chain=forward connection-state=invalid comment=\"drop invalid\"")
    lines.append("/ip firewall nat")
    lines.append("add action=masquerade chain=srcnat out-interface=VLAN3002 comment=\"defconf: masquerade\"")
    return "\n".join(lines) + "\n"


def edge_init(edge):
    transit_net = edge["transit"]
    lines = ["# Brownfield edge router of %s_INTERNET: addresses and defconf NAT, no port forwards yet." % edge["wan"],
             "/system identity set name=%s" % edge["identity"],
             "/interface list",
             "add name=WAN comment=defconf",
             "/interface list member",
             "add interface=%s list=WAN comment=defconf" % edge["internet_interface"],
             "/ip address",
             "add address=%s interface=%s comment=\"public\"" % (edge["public"], edge["internet_interface"]),
             "add address=%s interface=%s comment=\"transit to core\"" % (transit_net, edge["transit_interface"]),
             "/ip route",
             "add dst-address=0.0.0.0/0 gateway=%s comment=\"ISP\"" % edge["public_gateway"],
             "/ip firewall nat",
             "add action=masquerade chain=srcnat out-interface-list=WAN comment=\"defconf: masquerade\""]
    if edge["wan"] == "1012":
        # A hand-made rule that hides every client behind the edge: the role reports it.
        lines.append("add action=masquerade chain=srcnat out-interface=%s comment=\"to core\"" % edge["transit_interface"])
    return "\n".join(lines) + "\n"


def topology():
    routers = [{"name": "core", "identity": "CORE", "version": "7.19", "interfaces": CORE_INTERFACES,
                "api_port": LAB["core"]["api"], "ssh_port": LAB["core"]["ssh"], "init": "init/core.rsc"}]
    for edge in EDGES:
        routers.append({"name": edge["host"], "identity": edge["identity"], "version": "7.19",
                        "interfaces": edge["interfaces"], "api_port": LAB[edge["host"]]["api"],
                        "ssh_port": LAB[edge["host"]]["ssh"], "init": "init/%s.rsc" % edge["host"]})
    return routers


GENERATED = "Generated by scripts/generate_inventory.py; edit the script, not this file."
# What a real run needs that the repository cannot ship (inventory/README.md says the same).
EXAMPLE_CONNECTION = (
    "\nA real run needs, besides routers at the addresses of hosts.yml with the api-ssl service on 8729:"
    "\n- the login, which no variable here sets, so that nothing overrides the one a run is given: AWX injects"
    "\n  ansible_user and ansible_password from the router credential (docs/awx.md); on the command line pass"
    "\n  them as extra vars from a vaulted file: --extra-vars @router-login.yml --ask-vault-pass"
    "\n  (ansible_user defaults to admin);"
    "\n- files/routers-ca.pem next to hosts.yml: the CA (or self-signed certificate) of the routers' API-SSL certificates."
    "\nplaybooks/render.yml needs none of it.")


def main():
    vlan_list = vlans()
    site_list, remote = sites(vlan_list)
    for kind in ("example", "lab"):
        lab = kind == "lab"
        base = os.path.join(ROOT, "inventory", kind)
        dump(os.path.join(base, "hosts.yml"), hosts(lab),
             "The worked example's network: one core (policy routing) and the edge routers of 1000, 1012 and 1005.\n"
             + ("Lab routers on 127.0.0.1 (inventory/lab/topology.yml).\n" if lab else "") + GENERATED)
        dump(os.path.join(base, "group_vars", "all.yml"), all_vars(lab),
             "Connection settings for every router." + ("" if lab else EXAMPLE_CONNECTION) + "\n" + GENERATED)
        dump(os.path.join(base, "group_vars", "multiwan_core", "wans.yml"), core_vars(site_list),
             "The core: four internet connections in preference order (1012 is the primary).\n" + GENERATED)
        dump(os.path.join(base, "group_vars", "multiwan_core", "sites.yml"), sites_vars(site_list),
             "Outbound policy per site (%d sites on %d VLANs and remote networks).\n%s" % (len(site_list), len(vlan_list), GENERATED))
        for edge in EDGES:
            dump(os.path.join(base, "host_vars", "%s.yml" % edge["host"]), edge_vars(edge),
                 "Edge router of %s_INTERNET: port forwards without source NAT.\n%s" % (edge["wan"], GENERATED))
        if lab:
            dump(os.path.join(base, "topology.yml"), topology(),
                 "Lab routers for `python -m routeros_lab serve --topology inventory/lab/topology.yml`.\n" + GENERATED)
            write_text(os.path.join(base, "init", "core.rsc"), core_init(vlan_list, remote))
            for edge in EDGES:
                write_text(os.path.join(base, "init", "%s.rsc" % edge["host"]), edge_init(edge))
    sys.stdout.write("%d VLANs, %d sites, %d edge routers\n" % (len(vlan_list), len(site_list), len(EDGES)))


if __name__ == "__main__":
    main()
