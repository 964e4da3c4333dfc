"""The /export formatter: RouterOS 7's wrapping, quoting, ordering and default rules."""

import re

from routeros_lab import Router
from routeros_lab.cli import run_script
from routeros_lab.export import export, format_value, wrap_command


def _lines(text):
    return text.split("\n")


def test_a_property_ending_on_column_77_stays_on_the_line():
    words = ["action=accept", "chain=forward", "comment=" + "c" * 37]
    out = wrap_command("add", words)
    assert "\n" not in out and len(out) == 77


def test_a_property_that_would_end_on_column_78_wraps_before_it():
    words = ["action=accept", "chain=forward", "comment=" + "c" * 38]
    lines = _lines(wrap_command("add", words))
    assert lines == ["add action=accept chain=forward comment=\\", "    " + "c" * 38]


def test_the_name_moves_to_the_next_line_when_it_does_not_fit():
    words = ["a" * 34 + "=1", "b" * 34 + "=2", "cccc=3"]
    lines = _lines(wrap_command("add", words))
    assert lines[0] == "add " + "a" * 34 + "=1 " + "b" * 34 + "=2 \\"
    assert lines[1] == "    cccc=3"


def test_a_value_longer_than_a_line_is_quoted_and_cut_at_column_78():
    value = ",".join("item%02d" % i for i in range(20))
    lines = _lines(wrap_command("set", ["list=" + value, "x=1"]))
    assert lines[0] == ('set list="' + value)[:78] + "\\"
    assert all(len(line) <= 79 for line in lines)
    joined = "".join(line[:-1] if line.endswith("\\") else line for line in [lines[0]] + [ln[4:] for ln in lines[1:]])
    assert '"' + value + '"' in joined


def test_quoting_and_escapes():
    assert format_value("defconf") == "defconf"
    assert format_value("") == '""'
    assert format_value("two words") == '"two words"'
    assert format_value('say "hi" $x \\ ?') == '"say \\"hi\\" \\$x \\\\ \\?"'
    assert format_value("!local") == "!local"
    assert format_value("established,related") == "established,related"
    assert format_value("line1\nline2") == '"line1\\nline2"'


def test_export_layout_order_defaults_and_switches():
    router = Router(identity="core", version="7.19")
    run_script(router, "\n".join([
        "/ip firewall mangle add chain=prerouting action=mark-connection new-connection-mark=C1 connection-mark=no-mark",
        "/routing table add name=T1 fib",
        "/ip firewall address-list add list=L address=10.0.0.0/8 comment=\"internal networks\"",
        "/ip firewall address-list add list=L address=10.9.9.9 timeout=1h",
        "/ip route add dst-address=0.0.0.0/0 gateway=10.0.0.1 routing-table=T1",
        "/ip settings set rp-filter=loose",
        "/system identity set name=core2",
    ]), check=True)
    text = export(router)
    lines = text.splitlines()
    assert re.fullmatch(r"# \d{4}-\d\d-\d\d \d\d:\d\d:\d\d by RouterOS 7\.19", lines[0])
    assert re.fullmatch(r"# system id = [A-Za-z0-9+/]{11}", lines[1]) and lines[2] == "#"
    menus = [line for line in lines if line.startswith("/")]
    assert menus == ["/routing table", "/ip settings", "/ip firewall address-list", "/ip firewall mangle", "/ip route",
                     "/system identity"]
    assert "add disabled=no fib name=T1" in lines
    assert "set rp-filter=loose" in lines
    assert 'add address=10.0.0.0/8 comment="internal networks" list=L' in lines
    assert not any("10.9.9.9" in line for line in lines), "timed (dynamic) entries are not exported"
    assert "add action=mark-connection chain=prerouting connection-mark=no-mark \\" in lines
    assert "    new-connection-mark=C1" in lines
    assert "add dst-address=0.0.0.0/0 gateway=10.0.0.1 routing-table=T1" in lines
    assert "set name=core2" in lines
    assert text.endswith("\n")


def test_terse_and_verbose():
    router = Router(version="7.19")
    run_script(router, "/ip firewall filter add chain=forward action=fasttrack-connection "
                       "connection-state=established,related hw-offload=yes comment=\"fast track\"", check=True)
    terse = export(router, terse=True)
    assert ("/ip firewall filter add action=fasttrack-connection chain=forward comment=\"fast track\" "
            "connection-state=established,related hw-offload=yes") in terse.splitlines()
    assert "special dummy rule" not in terse
    verbose = export(router, path="/ip/firewall/connection/tracking", verbose=True)
    assert "tcp-established-timeout=1d" in verbose.replace("\\\n    ", "")
    assert export(router, path="/ip/firewall/connection/tracking").count("\n") == 3


def _section(text, menu):
    """The lines of one menu of a compact export (the menu line included)."""
    lines = text.splitlines()
    first = lines.index(menu)
    rest = [i for i in range(first + 1, len(lines)) if lines[i].startswith("/")]
    return lines[first:rest[0] if rest else len(lines)]


MANGLE_SCRIPT = "\n".join([
    "/interface list add name=LAN",
    "/routing table add name=via_A fib",
    "/ip firewall mangle add chain=prerouting action=accept dst-address=192.168.1.0/24 in-interface-list=LAN",
    "/ip firewall mangle add chain=prerouting action=mark-connection connection-mark=no-mark in-interface=ether1 "
    "new-connection-mark=A_conn passthrough=yes",
    "/ip firewall mangle add chain=prerouting action=mark-routing connection-mark=A_conn new-routing-mark=via_A "
    "passthrough=no",
    "/ip firewall mangle add chain=forward action=mark-packet new-packet-mark=P",
    "/ip firewall mangle add chain=postrouting action=change-ttl new-ttl=set:65 out-interface=ether2",
])


def test_mangle_passthrough_is_exported_only_when_no():
    # real 7.19.2 and 7.20.1 exports: default passthrough omitted (also on mark-connection/mark-routing/change-ttl),
    # ``passthrough=no`` shown; ``action=accept`` rules have no passthrough at all
    for version in ("7.18", "7.19", "7.20"):
        router = Router(version=version)
        run_script(router, MANGLE_SCRIPT, check=True)
        assert _section(export(router), "/ip firewall mangle") == [
            "/ip firewall mangle",
            "add action=accept chain=prerouting dst-address=192.168.1.0/24 \\",
            "    in-interface-list=LAN",
            "add action=mark-connection chain=prerouting connection-mark=no-mark \\",
            "    in-interface=ether1 new-connection-mark=A_conn",
            "add action=mark-routing chain=prerouting connection-mark=A_conn \\",
            "    new-routing-mark=via_A passthrough=no",
            "add action=mark-packet chain=forward new-packet-mark=P",
            "add action=change-ttl chain=postrouting new-ttl=set:65 out-interface=ether2",
        ], version


def test_firewall_rules_always_export_their_action():
    # real exports print ``action=accept`` on every menu, whether or not it was written
    router = Router(version="7.20")
    run_script(router, "\n".join([
        "/ip firewall filter add chain=input action=accept protocol=icmp comment=\"defconf: accept ICMP\"",
        "/ip firewall filter add chain=input protocol=tcp dst-port=22",
        "/ip firewall nat add chain=dstnat dst-address=10.0.0.1",
        "/ip firewall mangle add chain=prerouting dst-address=192.168.1.0/24",
        "/ip firewall raw add chain=prerouting src-address=10.9.0.0/16",
    ]), check=True)
    text = export(router)
    assert _section(text, "/ip firewall filter")[1:] == [
        'add action=accept chain=input comment="defconf: accept ICMP" protocol=icmp',
        "add action=accept chain=input dst-port=22 protocol=tcp",
    ]
    assert _section(text, "/ip firewall nat")[1:] == ["add action=accept chain=dstnat dst-address=10.0.0.1"]
    assert _section(text, "/ip firewall mangle")[1:] == ["add action=accept chain=prerouting dst-address=192.168.1.0/24"]
    assert _section(text, "/ip firewall raw")[1:] == ["add action=accept chain=prerouting src-address=10.9.0.0/16"]
    terse = export(router, terse=True).splitlines()
    assert "/ip firewall raw add action=accept chain=prerouting src-address=10.9.0.0/16" in terse
    target = Router(version="7.20")
    assert run_script(target, text, check=True) == ""
    for path in ("/ip/firewall/filter", "/ip/firewall/nat", "/ip/firewall/mangle", "/ip/firewall/raw"):
        assert [r["action"] for r in target.rows(path)] == ["accept"] * len(router.rows(path))


def test_host_addresses_export_without_the_prefix_length():
    # 7.19.4 export: ``add address=192.0.0.6 interface=lo network=192.0.0.6``
    router = Router(version="7.19", interfaces=["ether1", "lo"])
    run_script(router, "/ip address add address=192.0.0.6/32 interface=lo\n"
                       "/ip address add address=10.0.0.1/24 interface=ether1", check=True)
    text = export(router)
    assert _section(text, "/ip address")[1:] == ["add address=192.0.0.6 interface=lo network=192.0.0.6",
                                                 "add address=10.0.0.1/24 interface=ether1 network=10.0.0.0"]
    assert "/ip address add address=192.0.0.6 interface=lo network=192.0.0.6" in export(router, terse=True).splitlines()
    target = Router(version="7.19", interfaces=["ether1", "lo"])
    assert run_script(target, text, check=True) == ""
    assert [r["address"] for r in target.rows("/ip/address")] == [r["address"] for r in router.rows("/ip/address")]


def test_builtin_interface_lists_in_verbose_and_compact_exports():
    # verbose exports list the builtin lists with their comments (7.19.6 verbose export); compact ones never do
    router = Router(version="7.19")
    run_script(router, "/interface list add name=WAN comment=defconf", check=True)
    assert _section(export(router), "/interface list")[1:] == ["add comment=defconf name=WAN"]
    assert _section(export(router, verbose=True), "/interface list")[1:] == [
        'set [ find name=all ] comment="contains all interfaces" exclude="" include="" \\',
        "    name=all",
        'set [ find name=none ] comment="contains no interfaces" exclude="" include="" \\',
        "    name=none",
        'set [ find name=dynamic ] comment="contains dynamic interfaces" exclude="" \\',
        '    include="" name=dynamic',
        'set [ find name=static ] comment="contains static interfaces" exclude="" \\',
        '    include="" name=static',
        'add comment=defconf exclude="" include="" name=WAN',
    ]


def test_dates_before_7_10_use_the_old_format():
    assert re.match(r"# [a-z]{3}/\d\d/\d{4} \d\d:\d\d:\d\d by RouterOS 7\.9\n", export(Router(version="7.9")))


def test_header_of_a_hardware_router_names_model_and_serial():
    router = Router(version="7.19", board_name="CCR1072-1G-8S+")
    lines = export(router).splitlines()
    assert re.fullmatch(r"# software id = [A-Z0-9]{4}-[A-Z0-9]{4}", lines[1])
    assert lines[2:4] == ["#", "# model = CCR1072-1G-8S+"]
    assert re.fullmatch(r"# serial number = [A-Z0-9]{11}", lines[4])


def test_menu_scoped_export():
    router = Router()
    run_script(router, "/ip firewall nat add chain=srcnat action=masquerade out-interface=ether1\n"
                       "/ip firewall raw add chain=prerouting action=notrack", check=True)
    text = export(router, path="/ip/firewall/nat")
    assert "/ip firewall nat\nadd action=masquerade chain=srcnat out-interface=ether1\n" in text
    assert "raw" not in text
    assert "/ip firewall raw" in export(router, path="/ip/firewall")


def test_export_round_trips_through_the_interpreter():
    source = Router(identity="edge", interfaces=["ether1", "ether2", "sfp-sfpplus1"])
    run_script(source, "\n".join([
        "/interface vlan add name=VLAN3002 vlan-id=3002 interface=sfp-sfpplus1",
        "/interface list add name=WAN comment=\"uplinks\"",
        "/interface list member add list=WAN interface=VLAN3002",
        "/ip address add address=10.10.2.2/30 interface=VLAN3002",
        "/routing table add name=InternetVia1012 fib comment=\"[mwan:tables:1012]\"",
        "/routing rule add dst-address=10.11.0.0/16 action=lookup-only-in-table table=main",
        "/ip route add dst-address=0.0.0.0/0 gateway=10.10.2.1 routing-table=InternetVia1012 check-gateway=ping",
        "/ip firewall mangle add chain=prerouting action=mark-connection in-interface-list=WAN "
        "connection-mark=no-mark new-connection-mark=CONN_VIA_1012 comment=\"Return path via 1012 [mwan:cm:in@10]\"",
        "/ip firewall mangle add chain=prerouting action=mark-routing connection-mark=CONN_VIA_1012 "
        "dst-address-type=!local new-routing-mark=InternetVia1012 passthrough=no",
        "/ip firewall filter add chain=forward action=fasttrack-connection connection-state=established,related",
        "/ip firewall nat add chain=dstnat action=dst-nat protocol=tcp dst-port=2222 to-addresses=10.11.101.206 "
        "to-ports=22 comment=\"quote \\\"me\\\" \\$HOME\"",
        "/ip firewall address-list add list=INTERNAL address=10.11.0.0/16",
        "/tool netwatch add host=10.10.2.1 interval=5s comment=gw",
        "/system script add name=hello source=\":log info \\\"hello\\\"\"",
        "/system scheduler add name=tick interval=1h on-event=hello",
        "/ip firewall connection tracking set tcp-established-timeout=1h",
    ]), check=True)
    first = export(source)
    target = Router(identity="MikroTik", interfaces=["ether1", "ether2", "sfp-sfpplus1"])
    assert run_script(target, first, check=True) == ""
    second = export(target)
    assert first.split("\n", 3)[3] == second.split("\n", 3)[3]
    assert "/ip firewall mangle" in first and "special dummy" not in first
