"""Console commands over a real SSH exec channel, state checked with librouteros."""

import re

import pytest

from cli_helpers import ssh_client, ssh_exec


@pytest.fixture
def lab(lab_router):
    return lab_router


@pytest.fixture
def ssh(lab):
    client = ssh_client(lab)
    yield client
    client.close()


def _run(ssh, command):
    output, status = ssh_exec(ssh, command)
    assert status == 0
    return output


def _mangle(lab):
    api = lab.api()
    try:
        return list(api.path("ip", "firewall", "mangle"))
    finally:
        api.close()


def test_add_in_menu_context_and_absolute(ssh, lab):
    assert _run(ssh, "/routing table add name=InternetVia1012 fib") == ""
    script = ("/ip firewall mangle\n"
              "add chain=prerouting action=mark-connection connection-mark=no-mark in-interface=ether1 "
              "new-connection-mark=CONN_VIA_1012 comment=\"Return path [mwan:cm:in-1012@10]\"\n"
              "add chain=prerouting action=mark-routing connection-mark=CONN_VIA_1012 dst-address-type=!local "
              "new-routing-mark=InternetVia1012 passthrough=no")
    assert _run(ssh, script) == ""
    assert _run(ssh, "/ip/firewall/mangle/add chain=forward action=accept") == ""
    rows = _mangle(lab)
    assert [r["chain"] for r in rows] == ["prerouting", "prerouting", "forward"]
    assert rows[0]["comment"] == "Return path [mwan:cm:in-1012@10]"
    assert rows[1]["new-routing-mark"] == "InternetVia1012" and rows[1]["passthrough"] is False


def test_place_before_with_number_id_and_find(ssh, lab):
    _run(ssh, "/ip firewall filter add chain=forward action=accept comment=one")
    _run(ssh, "/ip firewall filter add chain=forward action=drop comment=two")
    _run(ssh, "/ip firewall filter add chain=forward action=accept comment=zero place-before=0")
    _run(ssh, '/ip firewall filter add chain=forward action=accept comment=half '
              'place-before=[/ip firewall filter find comment=two]')
    api = lab.api()
    rows = list(api.path("ip", "firewall", "filter"))
    api.close()
    assert [r["comment"] for r in rows] == ["zero", "one", "half", "two"]


def test_set_remove_enable_disable_unset_by_reference(ssh, lab):
    _run(ssh, "/ip firewall address-list add list=SITES address=10.1.0.0/24 comment=a")
    _run(ssh, "/ip firewall address-list add list=SITES address=10.2.0.0/24 comment=b")
    _run(ssh, "/ip firewall address-list add list=OTHER address=10.3.0.0/24")
    _run(ssh, '/ip firewall address-list set [find list=SITES] comment="site net"')
    _run(ssh, "/ip firewall address-list disable [find where address=10.2.0.0/24]")
    _run(ssh, "/ip firewall address-list unset [find list=OTHER] comment")
    api = lab.api()
    rows = {r["address"]: r for r in api.path("ip", "firewall", "address-list")}
    assert rows["10.1.0.0/24"]["comment"] == "site net"
    assert rows["10.2.0.0/24"]["disabled"] is True
    assert "comment" not in rows["10.3.0.0/24"]
    first_id = rows["10.1.0.0/24"][".id"]
    _run(ssh, "/ip firewall address-list enable %s" % first_id)
    _run(ssh, "/ip firewall address-list remove [find (list=SITES and !disabled) or list=OTHER]")
    remaining = [r["address"] for r in api.path("ip", "firewall", "address-list")]
    api.close()
    assert remaining == ["10.2.0.0/24"]


def test_numbers_refer_to_the_last_print(ssh, lab):
    out = _run(ssh, "/ip firewall nat add chain=srcnat action=masquerade out-interface=ether1 comment=m1\n"
                    "/ip firewall nat add chain=dstnat action=dst-nat to-addresses=10.0.0.5 protocol=tcp dst-port=22\n"
                    "/ip firewall nat print where chain=dstnat\n"
                    "/ip firewall nat set 0 comment=forwarded")
    assert re.search(r"^ 0 .*chain=dstnat", out, re.M)
    api = lab.api()
    rows = list(api.path("ip", "firewall", "nat"))
    api.close()
    assert [r.get("comment") for r in rows] == ["m1", "forwarded"]


def test_move_by_numbers(ssh, lab):
    for name in ("a", "b", "c"):
        _run(ssh, "/ip firewall raw add chain=prerouting action=accept comment=%s" % name)
    _run(ssh, "/ip firewall raw\nprint\nmove 2 0")
    api = lab.api()
    order = [r["comment"] for r in api.path("ip", "firewall", "raw")]
    api.close()
    assert order == ["c", "a", "b"]


def test_find_regex_dynamic_and_named_items(ssh):
    _run(ssh, '/routing table add name=T1 fib comment="[mwan:tables:T1]"')
    _run(ssh, "/routing table add name=T2 fib")
    assert _run(ssh, ':put [:len [/routing table find comment~"mwan:tables"]]') == "1\n"
    assert _run(ssh, ":put [:len [/routing table find dynamic=no]]") == "2\n"
    assert _run(ssh, ":put [:len [/routing table find]]") == "3\n"
    _run(ssh, "/routing table set T2 comment=second")
    assert _run(ssh, ":put [/routing table get T2 comment]") == "second\n"
    assert _run(ssh, ":put [/routing table get [find name=main] dynamic]") == "true\n"


def test_print_variants(ssh):
    _run(ssh, "/ip firewall mangle add chain=forward action=accept comment=\"two words\"")
    _run(ssh, "/ip firewall mangle add chain=prerouting action=accept")
    assert _run(ssh, "/ip firewall mangle print count-only") == "2\n"
    assert _run(ssh, "/ip firewall mangle print count-only where chain=forward") == "1\n"
    terse = _run(ssh, "/ip firewall mangle print terse")
    assert terse.splitlines()[0].split()[:2] == ["0", 'comment="two']
    assert 'chain=forward' in terse
    assert _run(ssh, ':put [:len [/ip firewall mangle print as-value where chain=prerouting]]') == "1\n"


def test_scripting_statements(ssh):
    out = _run(ssh, ':local n 0\n'
                    ':foreach i in=[/interface ethernet find] do={ :set n ($n + 1) }\n'
                    ':if ($n = 8) do={ :put "eight" } else={ :put "other" }\n'
                    ':global labGreeting "hi"\n'
                    ':put ("$labGreeting" . " there")')
    assert out == "eight\nhi there\n"


def test_errors_are_printed_with_exit_status_zero(ssh):
    assert _run(ssh, "/ip route add dst-address=0.0.0.0/0 gateway=10.0.0.1 routing-mark=odd") == \
        "expected end of command (line 1 column 54)\n"
    assert _run(ssh, "/ip route add dst-address=0.0.0.0/0 gateway=10.0.0.1 routing-table=nosuch") == \
        "input does not match any value of routing-table\n"
    assert _run(ssh, "/ip firewall mangle add chain=prerouting action=mark-routing new-routing-mark=nosuch") == \
        "input does not match any value of new-routing-mark\n"
    assert _run(ssh, "/ip/firewall/mangle/frobnicate") == "bad command name frobnicate (line 1 column 21)\n"
    assert _run(ssh, "/ip firewall mangle frobnicate") == "bad command name frobnicate (line 1 column 21)\n"
    assert _run(ssh, "/ip firewall mangle remove *99") == "no such item\n"
    assert _run(ssh, '/ip firewall mangle add comment="open') == "syntax error (line 1 column 38)\n"
    _run(ssh, "/ip firewall address-list add list=L address=10.9.9.9")
    assert _run(ssh, "/ip firewall address-list add list=L address=10.9.9.9/32") == "failure: already have such entry\n"


def test_a_second_script_of_the_same_name_is_refused(ssh, lab):
    assert _run(ssh, '/system script add name=lock comment="run 1"') == ""
    assert _run(ssh, '/system script add name=lock comment="run 2"') == "failure: item with this name already exists\n"
    api = lab.api()
    scripts = [(r["name"], r.get("comment")) for r in api.path("system", "script")]
    api.close()
    assert scripts == [("lock", "run 1")]


def test_a_script_stops_at_the_first_error_and_checks_before_running(ssh, lab):
    out = _run(ssh, "/ip firewall address-list add list=A address=10.0.0.1\n"
                    "/ip route add gateway=10.0.0.1 routing-mark=x\n")
    assert out == "expected end of command (line 2 column 32)\n"
    out = _run(ssh, "/ip firewall address-list add list=A address=10.0.0.2\n"
                    "/routing table add name=X fib\n"
                    "/routing table add name=X fib\n"
                    "/ip firewall address-list add list=A address=10.0.0.3\n")
    assert out == "failure: item with this name already exists\n"
    api = lab.api()
    addresses = [r["address"] for r in api.path("ip", "firewall", "address-list")]
    api.close()
    assert addresses == ["10.0.0.2"]


def test_builtin_and_dynamic_items_are_protected(ssh):
    assert _run(ssh, "/routing table remove [find name=main]") == "failure: cannot remove builtin\n"
    assert _run(ssh, "/interface list set [find name=all] comment=x") == "failure: cannot change builtin\n"


def test_a_route_keeps_its_table_and_gateway_when_the_console_tries_to_unset_them(ssh, lab):
    # RouterOS 7 console: ``!routing-table`` is a syntax error (a v7 route always belongs to a table);
    # a clearable property (``check-gateway``) unsets; the script is rejected before anything runs
    _run(ssh, "/routing table add name=T fib")
    _run(ssh, "/ip route add dst-address=0.0.0.0/0 gateway=10.0.0.1 routing-table=T check-gateway=ping")
    assert _run(ssh, "/ip route set [find] !routing-table") == "syntax error (line 1 column 22)\n"
    assert _run(ssh, "/ip route set [find] !gateway") == "syntax error (line 1 column 22)\n"
    assert _run(ssh, "/ip route set [find] distance=5\n/ip route set [find] !distance") == \
        "syntax error (line 2 column 22)\n"
    assert _run(ssh, "/ip route set [find] !check-gateway") == ""
    api = lab.api()
    try:
        routes = [r for r in api.path("ip", "route") if r.get("static")]
    finally:
        api.close()
    assert [(r["routing-table"], r["gateway"], r["distance"], "check-gateway" in r) for r in routes] == \
        [("T", "10.0.0.1", 1, False)]
