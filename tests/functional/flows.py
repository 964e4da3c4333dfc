"""Where a connection leaves a router, worked out from the router's rows (not from the collection's code).

A small model of RouterOS packet handling for the rules the multi-WAN design uses: the mangle prerouting chain
in order (first matching rule's action, ``passthrough``), then the route lookup in the routing table the
routing mark names (lowest distance, active routes only). A matcher it does not know fails the test instead of
being ignored, so a rule the model cannot judge never passes unnoticed.
"""

import ipaddress

# Matchers the load-balancing rules use: a connection may take any of them, so the model treats them as open.
_BALANCING = ("per-connection-classifier", "nth")
_IGNORED = ("chain", "action", "passthrough", "comment", "new-connection-mark", "new-routing-mark", "disabled",
            "dynamic", "invalid", ".id", "address-list", "address-list-timeout", "log", "log-prefix", "bytes",
            "packets", "connection-nat-state")


def _yes(value):
    return str(value).lower() in ("true", "yes")


def _negated(value):
    text = str(value)
    return (True, text[1:]) if text.startswith("!") else (False, text)


def _in_networks(address, networks):
    ip = ipaddress.ip_address(address)
    return any(ip in ipaddress.ip_network(net, strict=False) for net in networks)


class Router:
    """The rows of one lab router, read through the lab's own model."""

    def __init__(self, rows_of):
        self.rows_of = rows_of
        self.lists = {}
        for row in rows_of("/ip/firewall/address-list"):
            if not _yes(row.get("disabled")):
                self.lists.setdefault(row["list"], []).append(row["address"])
        self.iflists = {}
        for row in rows_of("/interface/list/member"):
            if not _yes(row.get("disabled")):
                self.iflists.setdefault(row["list"], set()).add(row["interface"])
        self.local = set(row["address"].split("/")[0] for row in rows_of("/ip/address"))

    def _match(self, rule, packet, conn_mark):
        for field, value in rule.items():
            if field in _IGNORED or field in _BALANCING or value in (None, ""):
                continue
            negate, text = _negated(value)
            if field == "connection-state":
                ok = packet["state"] in text.split(",")
            elif field == "connection-mark":
                ok = conn_mark == text
            elif field in ("src-address-list", "dst-address-list"):
                address = packet["src" if field.startswith("src") else "dst"]
                ok = _in_networks(address, self.lists.get(text, []))
            elif field in ("src-address", "dst-address"):
                ok = _in_networks(packet["src" if field.startswith("src") else "dst"], [text])
            elif field == "dst-address-type":
                ok = text == "local" and packet["dst"] in self.local
            elif field == "in-interface":
                ok = packet["in"] == text
            elif field == "in-interface-list":
                ok = packet["in"] in self.iflists.get(text, set())
            else:
                raise AssertionError("the flow model does not know the matcher %s=%s of %s" % (field, value, rule))
            if ok == negate:
                return False
        return True

    def prerouting(self, packet, conn_mark="no-mark"):
        """(connection mark, routing mark) after the mangle prerouting chain."""
        routing_mark = "main"
        for rule in self.rows_of("/ip/firewall/mangle"):
            if rule.get("chain") != "prerouting" or _yes(rule.get("disabled")) or _yes(rule.get("dynamic")):
                continue
            if not self._match(rule, packet, conn_mark):
                continue
            if rule["action"] == "mark-connection":
                conn_mark = rule["new-connection-mark"]
            elif rule["action"] == "mark-routing":
                routing_mark = rule["new-routing-mark"]
            elif rule["action"] in ("accept", "return"):
                break
            if not _yes(rule.get("passthrough", "yes")) and rule["action"] in ("mark-connection", "mark-routing"):
                break
        return conn_mark, routing_mark

    def gateway(self, table, dst):
        """The gateway of the best active route to ``dst`` in ``table``."""
        best = None
        for route in self.rows_of("/ip/route"):
            if route.get("routing-table", "main") != table or _yes(route.get("disabled")):
                continue
            if route.get("active") is not None and not _yes(route.get("active")):
                continue
            if not _in_networks(dst, [route.get("dst-address", "0.0.0.0/0")]):
                continue
            rank = (-ipaddress.ip_network(route.get("dst-address", "0.0.0.0/0")).prefixlen, int(route.get("distance") or 1))
            if best is None or rank < best[0]:
                best = (rank, route.get("gateway"))
        return best[1] if best else None

    def outbound(self, src, lan, dst="198.51.100.7"):
        """The gateway a new connection from ``src`` (arriving on ``lan``) to the internet leaves through."""
        _conn, table = self.prerouting({"src": src, "dst": dst, "in": lan, "state": "new"})
        return self.gateway(table, dst)

    def reply(self, wan_interface, server, client="198.51.100.9"):
        """The gateway the server's reply to a connection that arrived on ``wan_interface`` leaves through."""
        conn, _table = self.prerouting({"src": client, "dst": server, "in": wan_interface, "state": "new"})
        _conn, table = self.prerouting({"src": server, "dst": client, "in": "lan", "state": "established"}, conn)
        return self.gateway(table, client)


def expected_flows(intent):
    """(site, first host, WAN gateway) for every site, and (WAN interface, gateway) for every inbound WAN."""
    wans = dict((wan["name"], wan) for wan in intent["multiwan_wans"])
    sites = [(site["name"], str(next(ipaddress.ip_network(site["networks"][0]).hosts())), wans[site["wan"]]["gateway"])
             for site in intent.get("multiwan_sites") or []]
    inbound = [(wan["interface"], wan["gateway"]) for wan in intent["multiwan_wans"] if wan.get("inbound")]
    return sites, inbound


def wrong_flows(router, intent):
    """Every flow that does not leave where the intent says; empty when the router forwards as intended."""
    sites, inbound = expected_flows(intent)
    wrong = []
    for name, host, gateway in sites:
        got = router.outbound(host, "lan")
        if got != gateway:
            wrong.append("site %s (%s) leaves via %s, expected %s" % (name, host, got, gateway))
    server = sites[0][1] if sites else "10.11.0.10"
    for interface, gateway in inbound:
        got = router.reply(interface, server)
        if got != gateway:
            wrong.append("reply to a connection in on %s leaves via %s, expected %s" % (interface, got, gateway))
    return wrong
