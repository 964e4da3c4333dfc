"""/export, /file read-back and /import over the binary API with librouteros."""

import pytest
from librouteros.exceptions import TrapError

from routeros_lab.export import export

from cli_helpers import body, ssh_client, ssh_exec


def _populate(api):
    api.path("routing", "table").add(name="InternetVia1000", fib="")
    mangle = api.path("ip", "firewall", "mangle")
    marks = {"new-connection-mark": "CONN_VIA_1000", "connection-mark": "no-mark", "comment": "in via 1000"}
    mangle.add(chain="prerouting", action="mark-connection", **marks)
    mangle.add(chain="prerouting", action="mark-routing", passthrough=False,
               **{"new-routing-mark": "InternetVia1000", "connection-mark": "CONN_VIA_1000"})
    api.path("ip", "firewall", "address-list").add(list="INTERNAL", address="10.11.0.0/16")


def _file(api, name):
    rows = [r for r in api.path("file") if r.get("name") == name]
    return rows[0] if rows else None


def test_export_to_file_and_read_back_by_contents_and_chunks(api, lab_router):
    _populate(api)
    assert tuple(api("/export", file="cfg")) == ()
    row = _file(api, "cfg.rsc")
    assert row is not None
    text = row["contents"]
    assert text.startswith("# ") and "by RouterOS 7.19" in text.splitlines()[0]
    assert "/routing table\nadd disabled=no fib name=InternetVia1000\n" in text
    chunks = []
    offset = 0
    for _chunk in range(1000):
        rows = list(api("/file/read", file="cfg.rsc", offset=offset, **{"chunk-size": 50}))
        data = rows[0].get("data", "") if rows else ""
        if not data:
            break
        chunks.append(data)
        offset += len(data.encode("utf-8"))
    assert "".join(chunks) == text
    client = ssh_client(lab_router)
    over_ssh = ssh_exec(client, "/export")[0]
    client.close()
    assert body(over_ssh) == body(text)


def test_an_export_larger_than_60_kb_reads_back_whole_with_file_read(api, lab_router):
    # RouterOS serves /file contents only up to about 60 KB; larger files are read with /file/read (7.13+)
    for number in range(1500):
        reply = lab_router.router.execute("/ip/firewall/address-list/add", {
            "list": "BIG", "address": "10.%d.%d.0/24" % (number // 256, number % 256), "comment": "entry %d" % number})
        assert reply.trap is None
    assert tuple(api("/export", file="big")) == ()
    chunks = []
    offset = 0
    for _chunk in range(100):
        rows = list(api("/file/read", file="big.rsc", offset=offset, **{"chunk-size": 32768}))
        data = rows[0].get("data", "") if rows else ""
        if not data:
            break
        chunks.append(data)
        offset += len(data.encode("utf-8"))
    text = "".join(chunks)
    assert len(text.encode("utf-8")) > 61440 and len(chunks) >= 2
    assert int(_file(api, "big.rsc")["size"]) == len(text.encode("utf-8"))
    assert text.endswith('add address=10.5.219.0/24 comment="entry 1499" list=BIG\n')
    assert body(text) == body(export(lab_router.router))


def test_export_without_file_returns_nothing_and_terse_and_menu_scope(api):
    _populate(api)
    assert tuple(api("/export")) == ()
    assert tuple(api("/export", file="t", terse=True)) == ()
    terse = _file(api, "t.rsc")["contents"]
    assert "/ip firewall address-list add address=10.11.0.0/16 list=INTERNAL" in terse.splitlines()
    assert tuple(api("/ip/firewall/mangle/export", file="m")) == ()
    scoped = _file(api, "m.rsc")["contents"]
    assert "/ip firewall mangle\n" in scoped and "/routing table" not in scoped


def test_file_read_needs_7_13(lab_router_factory):
    lab = lab_router_factory(version="7.12")
    api = lab.api()
    try:
        api.path("file").add(name="x.rsc", contents="abc")
        with pytest.raises(TrapError) as err:
            tuple(api("/file/read", file="x.rsc", offset=0, **{"chunk-size": 10}))
        assert str(err.value) == "no such command"
    finally:
        api.close()


def test_import_applies_a_file_and_dry_run_changes_nothing(api):
    script = ("/routing table add name=T9 fib\n"
              "/ip route add dst-address=0.0.0.0/0 gateway=10.0.0.1 routing-table=T9\n")
    api.path("file").add(name="in.rsc", contents=script)
    assert tuple(api("/import", **{"file-name": "in.rsc", "verbose": True, "dry-run": True})) == ()
    assert [r["name"] for r in api.path("routing", "table")] == ["main"]
    assert tuple(api("/import", **{"file-name": "in.rsc"})) == ()
    assert [r["name"] for r in api.path("routing", "table")] == ["main", "T9"]
    routes = [r for r in api.path("ip", "route") if r.get("routing-table") == "T9"]
    assert len(routes) == 1


def test_import_errors_come_back_as_traps(api):
    api.path("file").add(name="bad.rsc", contents="/ip firewall address-list add list=A address=10.0.0.1\n"
                                                  "/ip route add gateway=10.0.0.1 routing-mark=x\n")
    with pytest.raises(TrapError) as err:
        tuple(api("/import", **{"file-name": "bad.rsc"}))
    assert str(err.value) == "expected end of command (line 2 column 32)"
    assert list(api.path("ip", "firewall", "address-list")) == []
    with pytest.raises(TrapError) as err:
        tuple(api("/import", **{"file-name": "missing.rsc"}))
    assert str(err.value) == "no such item"


def test_an_export_imports_into_a_fresh_router_unchanged(api, lab_router_factory):
    _populate(api)
    tuple(api("/export", file="full"))
    text = _file(api, "full.rsc")["contents"]
    fresh = lab_router_factory()
    other = fresh.api()
    try:
        other.path("file").add(name="full.rsc", contents=text)
        tuple(other("/import", **{"file-name": "full.rsc"}))
        tuple(other("/export", file="again"))
        again = _file(other, "again.rsc")["contents"]
    finally:
        other.close()
    assert body(again) == body(text)


def test_console_export_to_file_and_import_over_ssh(lab_router, api):
    _populate(api)
    client = ssh_client(lab_router)
    try:
        assert ssh_exec(client, "/ip firewall mangle\nexport file=mangle") == ("", 0)
        scoped = ssh_exec(client, "/ip firewall mangle export terse")[0]
        assert scoped.splitlines()[-1].startswith("/ip firewall mangle add action=mark-routing ")
        more = "/ip firewall address-list add list=MORE address=10.7.0.0/16\n:put imported"
        api.path("file").add(name="more.rsc", contents=more)
        assert ssh_exec(client, "/import file-name=more.rsc") == \
            ("imported\nScript file loaded and executed successfully\n", 0)
        assert ssh_exec(client, "/import more.rsc") == ("failure: already have such entry\n", 0)
    finally:
        client.close()
    contents = _file(api, "mangle.rsc")["contents"]
    assert contents.count("\nadd action=") == 2
    assert "MORE" in [r["list"] for r in api.path("ip", "firewall", "address-list")]


def test_librouteros_config_helper_exports_validates_and_applies(api):
    _populate(api)
    config = api.config()
    text = config.export()
    assert "/routing table\nadd disabled=no fib name=InternetVia1000\n" in text
    assert config.export(path="ip/firewall/address-list").endswith("add address=10.11.0.0/16 list=INTERNAL\n")
    candidate = text + "/ip firewall address-list\nadd address=10.12.0.0/16 list=INTERNAL\n"
    assert "+add address=10.12.0.0/16 list=INTERNAL" in config.compare(candidate)
    config.validate("/ip firewall address-list add list=INTERNAL address=10.12.0.0/16")
    with pytest.raises(TrapError):
        config.validate("/ip route add gateway=10.0.0.1 routing-mark=x")
    assert len(list(api.path("ip", "firewall", "address-list"))) == 1
    config.apply("/ip firewall address-list add list=INTERNAL address=10.12.0.0/16")
    assert len(list(api.path("ip", "firewall", "address-list"))) == 2
    assert [r["name"] for r in api.path("file")] == []
