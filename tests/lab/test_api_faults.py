"""Faults, counters, route failover control and API-SSL of the lab router."""

import ssl

import librouteros
import pytest
from librouteros.exceptions import ConnectionClosed, TrapError
from routeros_lab.client import RawApi


def test_counters_per_path(lab_router):
    api = lab_router.api()
    lab_router.control.reset_counters()
    list(api.path("/ip/firewall/mangle"))
    list(api.path("/ip/firewall/mangle"))
    api.path("/routing/table").add(name="T")
    rid = api.path("/ip/firewall/mangle").add(chain="forward")
    tuple(api.path("/ip/firewall/mangle")("move", numbers=rid))
    tuple(api.path("/ip/firewall/mangle")("disable", **{".id": rid}))
    assert lab_router.control.counters() == {
        "reads": {"/ip/firewall/mangle": 2},
        "writes": {"/routing/table": 1, "/ip/firewall/mangle": 3},
    }
    lab_router.control.reset_counters()
    assert lab_router.control.counters() == {"reads": {}, "writes": {}}


def test_fail_write_after(lab_router):
    api = lab_router.api()
    lab_router.control.set_faults(fail_write_after=2)
    lists = api.path("/ip/firewall/address-list")
    lists.add(list="L", address="10.0.0.1")
    lists.add(list="L", address="10.0.0.2")
    with pytest.raises(TrapError):
        lists.add(list="L", address="10.0.0.3")
    # the failed write changed nothing, reads still work, and the fault fired once
    assert [r["address"] for r in lists] == ["10.0.0.1", "10.0.0.2"]
    lists.add(list="L", address="10.0.0.4")
    assert len(list(lists)) == 3


def test_fail_write_trap_is_followed_by_done(lab_router):
    lab_router.control.set_faults(fail_write_after=0)
    with RawApi(lab_router.host, lab_router.api_port) as client:
        client.login(lab_router.username, lab_router.password)
        reply = client.call("/routing/table/add", "=name=X", ".tag=w")
        assert [s[0] for s in reply] == ["!trap", "!done"]
        assert reply[1] == ["!done", ".tag=w"]


def test_drop_after_writes(lab_router):
    api = lab_router.api()
    lab_router.control.set_faults(drop_after_writes=1)
    tables = api.path("/routing/table")
    tables.add(name="A")
    with pytest.raises((ConnectionClosed, OSError)):
        tables.add(name="B")
    names = [r["name"] for r in lab_router.api().path("/routing/table")]
    assert names == ["main", "A"]


def test_failover_when_gateway_stops_answering(lab_router):
    api = lab_router.api()
    api.path("/ip/address").add(address="10.10.2.2/30", interface="ether1")
    api.path("/ip/address").add(address="10.10.0.2/30", interface="ether2")
    routes = api.path("/ip/route")
    primary = routes.add(gateway="10.10.2.1", distance=1, **{"check-gateway": "ping"})
    backup = routes.add(gateway="10.10.0.1", distance=2, **{"check-gateway": "ping"})
    plain = routes.add(gateway="10.10.2.1", distance=1, **{"dst-address": "8.8.8.0/24"})

    def state():
        return {r[".id"]: r for r in routes}

    rows = state()
    assert rows[primary]["active"] is True and "active" not in rows[backup] and rows[backup]["inactive"] is False
    lab_router.control.set_reachable("10.10.2.1", False)
    rows = state()
    assert rows[primary]["inactive"] is True and "active" not in rows[primary] and rows[primary]["immediate-gw"] == ""
    assert rows[backup]["active"] is True
    # without check-gateway RouterOS does not notice a silent next hop on a connected subnet
    assert rows[plain]["active"] is True
    lab_router.control.set_reachable("10.10.2.1", True)
    assert state()[primary]["active"] is True


def test_ecmp_and_interface_down(lab_router):
    api = lab_router.api()
    api.path("/ip/address").add(address="10.0.1.2/24", interface="ether1")
    api.path("/ip/address").add(address="10.0.2.2/24", interface="ether2")
    routes = api.path("/ip/route")
    a = routes.add(gateway="10.0.1.1")
    b = routes.add(gateway="10.0.2.1")
    rows = {r[".id"]: r for r in routes}
    assert rows[a]["ecmp"] is True and rows[b]["ecmp"] is True and rows[a]["active"] is True
    tuple(api.path("/interface")("disable", **{".id": "ether2"}))
    rows = {r[".id"]: r for r in routes}
    assert "ecmp" not in rows[a] and rows[b]["inactive"] is True


def test_gateway_forms(lab_router):
    api = lab_router.api()
    api.path("/ip/address").add(address="10.0.0.2/24", interface="ether1")
    api.path("/routing/table").add(name="T", fib="")
    routes = api.path("/ip/route")
    ids = [routes.add(gateway=g, **{"dst-address": "10.%d.0.0/16" % (n + 1)})
           for n, g in enumerate(["10.0.0.1%ether1", "ether3", "10.0.0.1@main"])]
    rows = {r[".id"]: r for r in routes}
    assert rows[ids[0]]["immediate-gw"] == "10.0.0.1%ether1"
    assert rows[ids[1]]["immediate-gw"] == "ether3"
    assert all(rows[i]["active"] is True for i in ids)


def test_api_ssl_with_certificate_validation(lab_router):
    context = ssl.create_default_context(cafile=lab_router.certfile)
    api = librouteros.connect(host="127.0.0.1", username=lab_router.username, password=lab_router.password,
                              port=lab_router.api_ssl_port,
                              ssl_wrapper=lambda sock: context.wrap_socket(sock, server_hostname="127.0.0.1"))
    api.path("/routing/table").add(name="tls", fib="")
    assert [r["name"] for r in api.path("/routing/table")] == ["main", "tls"]


def test_api_ssl_helper(lab_router):
    assert list(lab_router.api_ssl().path("/system/identity")) == [{"name": "MikroTik"}]


def test_api_ssl_rejects_untrusted_by_default(lab_router):
    context = ssl.create_default_context()
    with pytest.raises(ssl.SSLError):
        librouteros.connect(host="127.0.0.1", username=lab_router.username, password=lab_router.password,
                            port=lab_router.api_ssl_port,
                            ssl_wrapper=lambda sock: context.wrap_socket(sock, server_hostname="127.0.0.1"))


def test_state_round_trip(lab_router_factory):
    first = lab_router_factory()
    api = first.api()
    api.path("/routing/table").add(name="T", fib="")
    api.path("/ip/firewall/address-list").add(list="L", address="10.0.0.1", timeout="1d")
    api.path("/ip/firewall/mangle").add(chain="prerouting", comment="b")
    api.path("/ip/firewall/mangle").add(chain="prerouting", comment="a", **{"place-before": "*1"})
    state = first.router.to_json()
    second = lab_router_factory(state=state)
    api2 = second.api()
    assert [r["comment"] for r in api2.path("/ip/firewall/mangle")] == ["a", "b"]
    assert api2.path("/ip/firewall/mangle").add(chain="forward") == "*3"
    assert [r["dynamic"] for r in api2.path("/ip/firewall/address-list")] == [True]
    assert [r["name"] for r in api2.path("/routing/table")] == ["main", "T"]


def test_several_routers_in_one_factory(lab_router_factory):
    core = lab_router_factory(identity="core", name="core")
    edge = lab_router_factory(identity="edge", name="edge", interfaces=["ether1", "sfp-sfpplus1"])
    assert list(core.api().path("/system/identity")) == [{"name": "core"}]
    assert [r["name"] for r in edge.api().path("/interface")] == ["ether1", "sfp-sfpplus1"]
