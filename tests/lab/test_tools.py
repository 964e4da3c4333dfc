"""``/ping``, ``/tool/traceroute`` and ``/ip/firewall/connection`` through the real clients.

A two-WAN router built the way the collection builds one: a table per WAN with a backup route, a
``/routing/rule`` per WAN address (so a probe from that address uses the WAN's table), connection marks
on the WANs and routing marks for the replies. Probes run over librouteros and paramiko; flows are
injected through the control port (JSON lines over TCP), as a test outside the process does it.
"""

import pytest
from librouteros.exceptions import TrapError

from cli_helpers import ssh_client, ssh_exec
from routeros_lab.control import ControlServer, request

TWO_WANS = """\
/routing table add name=to_wan1 fib
/routing table add name=to_wan2 fib
/routing table add name=to_wan3 fib
/ip address add address=10.0.1.2/24 interface=ether1
/ip address add address=10.0.2.2/24 interface=ether2
/ip address add address=192.168.1.1/24 interface=ether3
/interface list add name=LAN
/interface list member add list=LAN interface=ether3
/ip route add gateway=10.0.1.1 distance=1
/ip route add gateway=10.0.2.1 distance=2
/ip route add gateway=10.0.1.1 routing-table=to_wan1 check-gateway=ping comment=wan1
/ip route add gateway=10.0.2.1 routing-table=to_wan1 distance=2
/ip route add gateway=10.0.2.1 routing-table=to_wan2 check-gateway=ping comment=wan2
/ip route add gateway=10.0.1.1 routing-table=to_wan2 distance=2
/ip route add gateway=10.0.2.1 routing-table=to_wan3 comment=wan3
/routing rule add src-address=10.0.1.2/32 action=lookup-only-in-table table=to_wan1
/routing rule add src-address=10.0.2.2/32 action=lookup-only-in-table table=to_wan2
/routing rule add src-address=10.0.2.3/32 action=lookup-only-in-table table=to_wan3
/ip address add address=10.0.2.3/24 interface=ether2
/ip firewall mangle add chain=prerouting in-interface=ether1 connection-state=new connection-mark=no-mark \\
    action=mark-connection new-connection-mark=CONN_VIA_1
/ip firewall mangle add chain=prerouting in-interface=ether2 connection-state=new connection-mark=no-mark \\
    action=mark-connection new-connection-mark=CONN_VIA_2
/ip firewall mangle add chain=prerouting in-interface-list=LAN connection-mark=CONN_VIA_1 \\
    dst-address-type=!local action=mark-routing new-routing-mark=to_wan1 passthrough=no
/ip firewall mangle add chain=prerouting in-interface-list=LAN connection-mark=CONN_VIA_2 \\
    dst-address-type=!local action=mark-routing new-routing-mark=to_wan2 passthrough=no
/ip firewall mangle add chain=output connection-mark=CONN_VIA_2 action=mark-routing new-routing-mark=to_wan2
/ip firewall nat add chain=dstnat in-interface=ether2 protocol=tcp dst-port=8443 action=dst-nat \\
    to-addresses=192.168.1.10 to-ports=443
/ip firewall nat add chain=srcnat out-interface=ether1 action=masquerade
/ip firewall nat add chain=srcnat out-interface=ether2 action=masquerade
"""


@pytest.fixture
def wans(lab_router_factory):
    return lab_router_factory(identity="wans", interfaces=["ether1", "ether2", "ether3"], init=TWO_WANS)


@pytest.fixture
def api(wans):
    """librouteros to the two-WAN router (instead of the shared fixture's fresh router)."""
    connection = wans.api()
    yield connection
    connection.close()


@pytest.fixture
def control_port(wans):
    server = ControlServer(wans.control).start()
    yield lambda op, **args: _ok(request(server.port, dict(args, op=op)))
    server.stop()


def _ok(reply):
    assert reply["ok"], reply
    return reply["result"]


def _ping(api, **args):
    return list(api("/ping", **args))


def _trace(api, **args):
    return list(api("/tool/traceroute", **args))


def _route_id(api, comment):
    return next(row[".id"] for row in api.path("/ip/route") if row.get("comment") == comment)


# ---- /ping and /tool/traceroute over the API ---------------------------------------------------------
def test_ping_answers_through_the_table_the_source_address_selects(api):
    rows = _ping(api, address="1.1.1.1", count="3", **{"src-address": "10.0.2.2"})
    assert [row["seq"] for row in rows] == [0, 1, 2]
    assert rows[-1] == {"seq": 2, "host": "1.1.1.1", "size": 56, "ttl": 63, "time": "2ms", "sent": 3, "received": 3,
                        "packet-loss": 0, "min-rtt": "2ms", "avg-rtt": "2ms", "max-rtt": "2ms"}
    # the gateway itself is one hop away
    gateway = _ping(api, address="10.0.2.1", count="1")
    assert (gateway[0]["ttl"], gateway[0]["time"]) == (64, "1ms")


def test_traceroute_first_hop_is_the_gateway_of_each_table(api):
    for source, gateway in (("10.0.1.2", "10.0.1.1"), ("10.0.2.2", "10.0.2.1"), ("192.168.1.1", "10.0.1.1")):
        hops = _trace(api, address="1.1.1.1", count="1", **{"src-address": source})
        assert [hop["address"] for hop in hops] == [gateway, "1.1.1.1"], source
        assert hops[0] == {".section": 0, "address": gateway, "loss": "0%", "sent": 1, "last": "1ms", "avg": 1,
                           "best": 1, "worst": 1, "std-dev": 0, "status": ""}


def test_traceroute_repeats_its_hops_per_round(api):
    hops = _trace(api, address="1.1.1.1", count="2")
    assert [(hop[".section"], hop["address"], hop["sent"]) for hop in hops] == [
        (0, "10.0.1.1", 1), (0, "1.1.1.1", 1), (1, "10.0.1.1", 2), (1, "1.1.1.1", 2)]


def test_an_unreachable_checked_gateway_fails_the_table_over_to_its_backup(wans, api):
    wans.control.set_reachable("10.0.2.1", False)
    # to_wan2's checked route is inactive: its backup (distance 2, via WAN 1) carries the probe
    hops = _trace(api, address="1.1.1.1", **{"src-address": "10.0.2.2"})
    assert [hop["address"] for hop in hops] == ["10.0.1.1", "1.1.1.1"]
    assert _ping(api, address="1.1.1.1", count="1", **{"src-address": "10.0.2.2"})[0]["received"] == 1
    # to_wan3's route has no check-gateway: it stays active and the probe dies at the silent gateway
    lost = _ping(api, address="1.1.1.1", count="2", **{"src-address": "10.0.2.3"})
    assert lost[-1] == {"seq": 1, "host": "1.1.1.1", "status": "timeout", "sent": 2, "received": 0, "packet-loss": 100}
    silent = _trace(api, address="1.1.1.1", **{"src-address": "10.0.2.3", "max-hops": "3"})
    assert [(hop["address"], hop["loss"], hop["last"]) for hop in silent] == [
        ("", "100%", "timeout"), ("", "100%", "timeout"), ("", "100%", "timeout")]
    wans.control.set_reachable("10.0.2.1", True)
    assert _ping(api, address="1.1.1.1", count="1", **{"src-address": "10.0.2.3"})[0]["received"] == 1


def test_a_far_host_that_does_not_answer_times_out_behind_a_live_gateway(wans, api):
    wans.control.set_reachable("1.1.1.1", False)
    assert _ping(api, address="1.1.1.1", count="1")[0]["status"] == "timeout"
    hops = _trace(api, address="1.1.1.1", **{"max-hops": "3"})
    assert [(hop["address"], hop["last"]) for hop in hops] == [("10.0.1.1", "1ms"), ("", "timeout"), ("", "timeout")]
    assert _ping(api, address="10.0.1.1", count="1")[0]["received"] == 1


def test_a_disabled_route_is_not_used(api):
    api.path("/ip/route").update(**{".id": _route_id(api, "wan3"), "disabled": "yes"})
    # to_wan3 has no other route and its rule is lookup-only-in-table
    rows = _ping(api, address="1.1.1.1", count="2", **{"src-address": "10.0.2.3"})
    assert [row.get("status") for row in rows] == ["no route to host", "no route to host"]
    assert _trace(api, address="1.1.1.1", **{"src-address": "10.0.2.3"})[0]["status"] == "no route to host"
    api.path("/ip/route").update(**{".id": _route_id(api, "wan3"), "disabled": "no"})
    assert _ping(api, address="1.1.1.1", count="1", **{"src-address": "10.0.2.3"})[0]["received"] == 1


def test_interface_pings_a_neighbour_on_that_interface(api):
    assert _ping(api, address="10.0.2.1", count="1", interface="ether2")[0]["received"] == 1


def test_the_tools_take_exactly_the_arguments_of_routeros(api):
    # RouterOS 7.19 and 7.22.3 have no routing-table argument on either tool
    for command in ("/ping", "/tool/traceroute"):
        with pytest.raises(TrapError) as caught:
            list(api(command, address="1.1.1.1", **{"routing-table": "to_wan1"}))
        assert caught.value.message == "unknown parameter routing-table"
    with pytest.raises(TrapError) as caught:
        list(api("/ping", count="1"))
    assert caught.value.message == "missing value(s) of argument(s) address"
    # taken, without effect in the lab
    assert _ping(api, address="1.1.1.1", count="1", interval="200ms", ttl="10", size="100")[0]["size"] == 100
    assert _ping(api, address="1.1.1.1", count="1", vrf="main")[0]["received"] == 1


# ---- the console over SSH ------------------------------------------------------------------------------
def test_ping_and_traceroute_over_ssh(wans):
    client = ssh_client(wans)
    try:
        out, status = ssh_exec(client, "/ping 1.1.1.1 count=2 src-address=10.0.2.2")
        lines = out.splitlines()
        assert lines[0].split() == ["SEQ", "HOST", "SIZE", "TTL", "TIME", "STATUS"]
        assert [line.split() for line in lines[1:3]] == [["0", "1.1.1.1", "56", "63", "2ms"], ["1", "1.1.1.1", "56", "63", "2ms"]]
        assert lines[3].strip() == "sent=2 received=2 packet-loss=0% min-rtt=2ms avg-rtt=2ms max-rtt=2ms"
        out, status = ssh_exec(client, "/tool traceroute 1.1.1.1 src-address=10.0.1.2")
        table = [line.split() for line in out.splitlines()]
        assert table[0] == ["#", "ADDRESS", "LOSS", "SENT", "LAST", "AVG", "BEST", "WORST", "STD-DEV", "STATUS"]
        assert table[1] == ["1", "10.0.1.1", "0%", "1", "1ms", "1", "1", "1", "0"]
        out, status = ssh_exec(client, ":put [/ping 10.0.1.1 count=3]")
        assert out.splitlines()[-1] == "3"
        wans.control.set_reachable("10.0.1.1", False)
        out, status = ssh_exec(client, "/ping 10.0.1.1 count=1")
        assert out.splitlines()[1].split() == ["0", "10.0.1.1", "timeout"]
        assert out.splitlines()[2].strip() == "sent=1 received=0 packet-loss=100%"
        out, status = ssh_exec(client, "/ping 1.1.1.1 routing-table=to_wan1")
        assert out == "expected end of command (line 1 column 15)\n"
    finally:
        client.close()


# ---- the connection table, fed through the control port -------------------------------------------------
def test_a_flow_in_on_a_wan_is_marked_and_its_reply_leaves_by_that_wan(control_port, api):
    flow = control_port("inject_flow", in_interface="ether2", src_address="198.51.100.9", dst_address="10.0.2.2",
                        src_port=51000, dst_port=8443)
    assert flow == {
        "connection_mark": "CONN_VIA_2", "routing_mark": None, "table": "main", "out_interface": "ether3",
        "gateway": None, "route": flow["route"], "dstnat": "192.168.1.10:443", "srcnat": None, "local": False,
        "dropped": False, "fasttrack": False, "rules": ["mangle *2", "nat *1", "mangle *4"], "unevaluated": [],
        "reply_routing_mark": "to_wan2", "reply_table": "to_wan2", "reply_out_interface": "ether2",
        "reply_gateway": "10.0.2.1", "id": "*1"}
    rows = list(api("/ip/firewall/connection/print"))
    assert rows == [{
        ".id": "*1", "protocol": "tcp", "src-address": "198.51.100.9:51000", "dst-address": "10.0.2.2:8443",
        "reply-src-address": "192.168.1.10:443", "reply-dst-address": "198.51.100.9:51000", "src-port": 51000,
        "dst-port": 8443, "reply-src-port": 443, "reply-dst-port": 51000, "tcp-state": "established",
        "timeout": "1d", "connection-mark": "CONN_VIA_2", "orig-packets": 1, "orig-bytes": 60,
        "orig-fasttrack-packets": 0, "orig-fasttrack-bytes": 0, "repl-packets": 1, "repl-bytes": 60,
        "repl-fasttrack-packets": 0, "repl-fasttrack-bytes": 0, "orig-rate": 0, "repl-rate": 0, "expected": False,
        "seen-reply": True, "assured": True, "confirmed": True, "dying": False, "fasttrack": False,
        "hw-offload": False, "srcnat": False, "dstnat": True}]


def test_a_connection_to_the_router_is_answered_by_the_router_through_its_wan(control_port):
    flow = control_port("inject_flow", in_interface="ether2", src_address="198.51.100.9", dst_address="10.0.2.2",
                        dst_port=8291)
    assert (flow["local"], flow["connection_mark"]) == (True, "CONN_VIA_2")
    assert (flow["reply_table"], flow["reply_out_interface"], flow["reply_gateway"]) == ("to_wan2", "ether2", "10.0.2.1")


def test_outbound_flows_are_masqueraded_and_counted_by_mark(control_port, api):
    flow = control_port("inject_flow", in_interface="ether3", src_address="192.168.1.20", dst_address="8.8.8.8",
                        protocol="udp", src_port=5353, dst_port=53)
    assert (flow["connection_mark"], flow["out_interface"], flow["gateway"], flow["srcnat"]) == \
        (None, "ether1", "10.0.1.1", "10.0.1.2:5353")
    row = list(api.path("/ip/firewall/connection").select("reply-dst-address", "srcnat", "timeout", "tcp-state"))[0]
    assert row == {"reply-dst-address": "10.0.1.2:5353", "srcnat": True, "timeout": "3m"}
    for port in (51001, 51002):
        control_port("inject_flow", in_interface="ether1", src_address="203.0.113.7", dst_address="10.0.1.2",
                     src_port=port, dst_port=22)
    control_port("inject_flow", in_interface="ether2", src_address="203.0.113.7", dst_address="10.0.2.2",
                 dst_port=8443, reply=False)
    count = list(api.rawCmd("/ip/firewall/connection/print", "=count-only=", "?connection-mark=CONN_VIA_1"))
    assert count == [{"ret": 2}]
    pending = list(api.rawCmd("/ip/firewall/connection/print", "?connection-mark=CONN_VIA_2",
                              "=.proplist=seen-reply,tcp-state,assured"))
    assert pending == [{"seen-reply": False, "tcp-state": "syn-sent", "assured": False}]
    first = list(api.rawCmd("/ip/firewall/connection/print", "?connection-mark=CONN_VIA_1"))[0][".id"]
    list(api.rawCmd("/ip/firewall/connection/remove", "=.id=" + first))
    assert list(api.rawCmd("/ip/firewall/connection/print", "=count-only=")) == [{"ret": 3}]
    assert control_port("clear_connections") == 3
    assert list(api("/ip/firewall/connection/print")) == []


def test_a_filter_drop_records_nothing_and_unknown_matchers_are_reported(wans, control_port, api):
    api.path("/ip/firewall/filter").add(chain="forward", action="drop", **{"dst-address": "192.0.2.0/24"})
    dropped = control_port("inject_flow", in_interface="ether3", src_address="192.168.1.20", dst_address="192.0.2.5")
    assert (dropped["dropped"], dropped["id"], dropped["reason"]) == (True, None, "dropped by the filter")
    api.path("/ip/firewall/mangle").add(chain="prerouting", action="mark-connection", **{
        "new-connection-mark": "TLS", "tls-host": "*.example.com"})
    flow = control_port("inject_flow", in_interface="ether3", src_address="192.168.1.20", dst_address="8.8.4.4")
    assert flow["unevaluated"] == ["*6 prerouting tls-host=*.example.com"]
    assert flow["connection_mark"] is None
    assert list(api.rawCmd("/ip/firewall/connection/print", "=count-only=")) == [{"ret": 1}]


def test_bad_flows_are_refused_by_the_control_port(wans):
    server = ControlServer(wans.control).start()
    try:
        reply = request(server.port, {"op": "inject_flow", "in_interface": "ether9", "src_address": "10.0.0.1",
                                      "dst_address": "10.0.0.2"})
        assert reply == {"ok": False, "error": "ValueError: no interface ether9"}
        reply = request(server.port, {"op": "inject_flow", "in_interface": "ether1", "src_address": "10.0.0.1",
                                      "dst_address": "10.0.0.2", "protocol": "icmp", "dst_port": 1})
        assert reply == {"ok": False, "error": "ValueError: ports are for tcp and udp flows"}
    finally:
        server.stop()
