"""Uplink menus of the lab router through librouteros: DHCP and PPPoE clients and the routes they
install, /routing/route, /ip/vrf, /user, /system/clock."""

from librouteros.query import Key
from api_helpers import trap
from routeros_lab import export


def _default_routes(api, path="/ip/route"):
    return sorted((r["routing-table"], r["gateway"], r["distance"], bool(r.get("dhcp")), bool(r.get("active")))
                  for r in api.path(path) if r["dst-address"] == "0.0.0.0/0")


def test_dhcp_client_lease_installs_routes_per_table(api, lab_router):
    api.path("/routing/table").add(name="ViaA", fib="")
    clients = api.path("/ip/dhcp-client")
    clients.add(interface="ether2", **{"default-route-distance": "2", "default-route-tables": "main:2,ViaA:1"})
    client = list(clients)[0]
    assert client["status"] == "searching..." and "gateway" not in client and client["add-default-route"] is True
    assert _default_routes(api) == []

    lab_router.control.set_dhcp_lease("ether2", "100.64.0.10/24", "100.64.0.1")
    client = list(clients)[0]
    assert (client["status"], client["address"], client["gateway"]) == ("bound", "100.64.0.10/24", "100.64.0.1")
    assert _default_routes(api) == [("ViaA", "100.64.0.1", 1, True, True), ("main", "100.64.0.1", 2, True, True)]
    addresses = [(r["address"], r["dynamic"]) for r in api.path("/ip/address")]
    assert addresses == [("100.64.0.10/24", True)]
    # dynamic routes are read-only; an /ip/route print limited to static ones does not show them
    dynamic = [r[".id"] for r in api.path("/ip/route") if r.get("dhcp")]
    assert trap(lambda: api.path("/ip/route").update(**{".id": dynamic[0], "distance": "9"})) == "no such item"
    static_or_connected = list(api.rawCmd("/ip/route/print", "?=static=yes", "?=connect=yes", "?#|"))
    assert [r.get("dhcp") for r in static_or_connected] == [None]

    # a table without a distance takes default-route-distance; default is main
    clients.update(**{".id": client[".id"], "default-route-tables": "default,ViaA"})
    assert _default_routes(api) == [("ViaA", "100.64.0.1", 2, True, True), ("main", "100.64.0.1", 2, True, True)]
    # the client's check-gateway checks its routes
    clients.update(**{".id": client[".id"], "check-gateway": "ping"})
    lab_router.control.set_reachable("100.64.0.1", False)
    assert _default_routes(api) == [("ViaA", "100.64.0.1", 2, True, False), ("main", "100.64.0.1", 2, True, False)]
    lab_router.control.set_reachable("100.64.0.1", True)
    lab_router.control.set_dhcp_lease("ether2")
    assert _default_routes(api) == []


def test_a_lease_offered_before_the_client_exists_binds_it(api, lab_router):
    lab_router.control.set_dhcp_lease("ether4", "100.64.4.10/24", "100.64.4.1")
    assert _default_routes(api) == []
    api.path("/ip/dhcp-client").add(interface="ether4", **{"add-default-route": "no"})
    assert list(api.path("/ip/dhcp-client"))[0]["status"] == "bound" and _default_routes(api) == []


def test_dhcp_client_errors(api):
    clients = api.path("/ip/dhcp-client")
    assert trap(lambda: clients.add(interface="ether2", **{"default-route-tables": "NoSuchTable:1"})) == \
        "input does not match any value of default-route-tables"
    assert trap(lambda: clients.add(interface="ether2", **{"default-route-tables": "main:300"})) == \
        "value of default-route-tables out of range (0..255)"
    assert trap(lambda: clients.add(interface="nope")) == "input does not match any value of interface"
    assert trap(lambda: clients.add(interface="ether2", **{"use-broadcast": "always"})) == "unknown parameter use-broadcast"
    clients.add(interface="ether2")
    assert trap(lambda: clients.add(interface="ether2")).startswith("failure: ")


def test_pppoe_client_interface_route_and_secret(api, lab_router):
    clients = api.path("/interface/pppoe-client")
    options = {"add-default-route": "yes", "default-route-distance": "3"}
    assert clients.add(interface="ether3", user="isp", password="s3cret", **options)
    client = list(clients)[0]
    assert client["name"] == "pppoe-out1" and client["running"] is False and client["password"] == "s3cret"
    iface = [r for r in api.path("/interface") if r["name"] == "pppoe-out1"][0]
    assert (iface["type"], iface["running"]) == ("pppoe-out", False)
    assert _default_routes(api) == []

    lab_router.control.set_pppoe_session("pppoe-out1", True)
    iface = [r for r in api.path("/interface") if r["name"] == "pppoe-out1"][0]
    assert iface["running"] is True
    assert _default_routes(api) == [("main", "pppoe-out1", 3, False, True)]
    # an interface gateway: a static route via the PPPoE interface is usable while the session is up
    api.path("/ip/route").add(gateway="pppoe-out1", distance="5")
    assert _default_routes(api)[1] == ("main", "pppoe-out1", 5, False, False)
    # names are one namespace with the other interfaces
    assert trap(lambda: clients.add(interface="ether3", name="ether1")) == "failure: already have interface with such name"
    # the password is exported only with show-sensitive
    text = export.export(lab_router.router)
    assert "pppoe-out1" in text and "s3cret" not in text
    assert "password=s3cret" in export.export(lab_router.router, show_sensitive=True)

    lab_router.control.set_pppoe_session("pppoe-out1", False)
    assert _default_routes(api) == [("main", "pppoe-out1", 5, False, False)]


def test_routing_route_is_a_read_only_view(api, lab_router):
    api.path("/ip/address").add(address="10.0.0.2/24", interface="ether1")
    static = api.path("/ip/route").add(gateway="10.0.0.1", distance="3")
    api.path("/ip/dhcp-client").add(interface="ether2")
    lab_router.control.set_dhcp_lease("ether2", "100.64.0.10/24", "100.64.0.1")
    routes = {r[".id"]: r for r in api.path("/routing/route")}
    assert routes[static]["belongs-to"] == "Static route" and routes[static]["afi"] == "ip4"
    assert routes[static]["contribution"] == "candidate" and routes[static]["static"] is True
    assert sorted(r["belongs-to"] for r in routes.values()) == ["DHCP", "Static route", "connected", "connected"]
    assert trap(lambda: api.path("/routing/route").add(gateway="10.0.0.9")) == "no such command"
    assert trap(lambda: api.path("/routing/route").remove(static)) == "no such command"
    assert trap(lambda: api.path("/routing/route").update(**{".id": static, "distance": "9"})) == "unknown parameter distance"
    # comment and disabled are the static route's own
    api.path("/routing/route").update(**{".id": static, "comment": "via routing"})
    assert [r["comment"] for r in api.path("/ip/route") if r[".id"] == static] == ["via routing"]

    # API queries over the view: ?>, ?<, ?-, ?# with | & !
    def q(*words):
        return sorted(r["belongs-to"] for r in api.rawCmd("/routing/route/print", *words))
    assert q("?>distance=1") == ["Static route"]
    assert q("?>distance=0") == ["DHCP", "Static route"]
    assert q("?<distance=1") == ["connected", "connected"]
    assert q("?-comment") == ["DHCP", "connected", "connected"]
    assert q("?dhcp=yes", "?static=yes", "?#|") == ["DHCP", "Static route"]
    assert q("?dhcp=yes", "?static=yes", "?#|!") == ["connected", "connected"]
    assert q("?>distance=0", "?active=yes", "?#&") == ["DHCP"]
    assert [r["belongs-to"] for r in api.path("/routing/route").select(Key("belongs-to")).where(Key("gateway") == "ether1")] == \
        ["connected"]


def test_vrf_user_clock(api, lab_router):
    vrfs = list(api.path("/ip/vrf"))
    assert [(v[".id"], v["name"], v["interfaces"], v["builtin"]) for v in vrfs] == [("*0", "main", "all", True)]
    assert trap(lambda: api.path("/ip/vrf").update(**{".id": "*0", "interfaces": "ether1"})) == "failure: cannot change builtin"
    api.path("/ip/vrf").add(name="mgmt", interfaces="ether8")
    assert "/ip vrf" in export.export(lab_router.router) and "main" not in export.export(lab_router.router).split("/ip vrf")[1]

    users = api.path("/user")
    assert [(u["name"], u["group"]) for u in users] == [(lab_router.username, "full")]
    users.add(name="auditor", group="read", password="never-printed")
    assert all("password" not in u for u in users)
    assert trap(lambda: users.add(name="auditor", group="read")) == "failure: user with the same name already exists"

    clock = list(api.path("/system/clock"))[0]
    assert clock["time-zone-name"] == "manual" and len(clock["date"]) == 10 and clock["time"].count(":") == 2
    api.path("/system/clock").update(**{"time-zone-name": "Europe/Riga"})
    assert list(api.path("/system/clock"))[0]["time-zone-name"] == "Europe/Riga"
    assert trap(lambda: api.path("/system/clock").update(**{"time-zone-name": "Mars/Olympus"})) == \
        "input does not match any value of time-zone-name"
