"""Undo after a failed write, and values outside ASCII, against the lab router through both transports."""

import pytest

from ansible_collections.multiwan.routeros.plugins.module_utils.engine import schema
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.errors import ApplyError, PlanError
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.device.run import reconcile
from ansible_collections.multiwan.routeros.plugins.module_utils.transport.api import ApiTransport

from engine_support import TRANSPORTS, export_body, open_lab, rows, writes

MANGLE = "/ip/firewall/mangle"
FILTER = "/ip/firewall/filter"
ADDRESS_LIST = "/ip/firewall/address-list"
NON_ASCII = "Return path via 1012 (Telef\u00f3nica)"


def _rule(index, rank):
    return {"_key": "m%d" % index, "_rank": rank, "chain": "prerouting", "action": "accept",
            "src-address": "10.9.%d.0/24" % index}


BASE = {
    MANGLE: [_rule(i, 10 * i) for i in range(6)],
    ADDRESS_LIST: [{"list": "L", "address": "10.1.%d.0/24" % i} for i in range(3)],
}
# m0 and m3 move, m6 and m7 are added, m1, m4 and m5 are removed (m4 and m5 are neighbours, and
# m4 is the entry m3 sat before), the address list changes in a second batch.
NEW = {
    MANGLE: [_rule(0, 100), _rule(2, 20), _rule(3, 5), _rule(6, 25), _rule(7, 200)],
    ADDRESS_LIST: [{"list": "L", "address": "10.1.%d.0/24" % i} for i in (0, 3)],
}


@pytest.fixture(params=TRANSPORTS)
def kind(request):
    return request.param


def converge(lab, kind, desired, owner="undo", state="overridden", **kwargs):
    transport = open_lab(lab, kind)
    try:
        return reconcile(transport, desired, owner, state, **kwargs)
    finally:
        transport.close()


def comparable(path, dump):
    """Rows without ids and timestamps; order matters only on ordered paths."""
    out = [dict((k, v) for k, v in r.items() if k not in (".id", "creation-time")) for r in dump.get(path, [])]
    if schema.get(path).ordered:
        return out
    return sorted(out, key=lambda r: sorted(r.items()))


def _interleaved_chain(lab, kind):
    cli = lab.control.cli
    cli("/ip firewall mangle add chain=prerouting action=accept comment=hand-1")
    converge(lab, kind, BASE)
    ids = [r[".id"] for r in rows(lab, MANGLE)]
    # hand-made rules between and after the collection's rules: m0 m1 hand-2 m2 m3 hand-3 m4 m5 hand-1 hand-4
    cli("/ip firewall mangle add chain=prerouting action=accept comment=hand-2 place-before=%s" % ids[2])
    cli("/ip firewall mangle add chain=prerouting action=mark-packet new-packet-mark=P3 comment=hand-3 place-before=%s" % ids[4])
    cli("/ip firewall mangle add chain=prerouting action=accept comment=hand-4")


@pytest.mark.parametrize("position", list(range(12)))
def test_failure_at_any_write_restores_content_and_order(lab_router, kind, position):
    _interleaved_chain(lab_router, kind)
    before = lab_router.control.dump()["rows"]
    plan = converge(lab_router, kind, NEW, check_mode=True)["plan"]
    assert set(op["op"] for op in plan if op["path"] == MANGLE) == {"add", "move", "remove", "set"}
    assert position < len(plan)
    lab_router.control.set_faults(fail_write_after=position)
    with pytest.raises(ApplyError) as info:
        converge(lab_router, kind, NEW)
    lab_router.control.set_faults(fail_write_after=-1)
    assert "lab fault injected" in str(info.value)
    assert info.value.undone is True, str(info.value)
    after = lab_router.control.dump()["rows"]
    for path in NEW:
        assert comparable(path, after) == comparable(path, before), (path, str(info.value))
    # the router is as it was: the same run now converges and stays converged
    converge(lab_router, kind, NEW)
    assert converge(lab_router, kind, NEW)["changed"] is False


def test_purged_rule_with_a_field_unknown_to_the_schema_is_restored_intact(lab_router, kind):
    converge(lab_router, kind, {"/interface/list": [{"name": "X"}]})
    lab_router.control.cli('/ip firewall filter add chain=forward action=drop protocol=tcp tls-host=*.bad.example '
                           'comment="block bad TLS"')
    assert "tls-host" not in schema.get(FILTER).fields
    before = lab_router.control.dump()["rows"]
    kwargs = dict(paths=["/interface/list"], purge={FILTER: {"comment": "block bad TLS"}})
    plan = converge(lab_router, kind, {"/interface/list": []}, check_mode=True, **kwargs)["plan"]
    assert [(op["op"], op["path"]) for op in plan] == [("remove", FILTER), ("remove", "/interface/list")]
    lab_router.control.set_faults(fail_write_after=1)
    with pytest.raises(ApplyError) as info:
        converge(lab_router, kind, {"/interface/list": []}, **kwargs)
    lab_router.control.set_faults(fail_write_after=-1)
    assert info.value.undone is True, str(info.value)
    after = lab_router.control.dump()["rows"]
    assert comparable(FILTER, after) == comparable(FILTER, before)
    assert [r.get("tls-host") for r in rows(lab_router, FILTER)] == ["*.bad.example"]


UTF8_DESIRED = {
    "/routing/table": [{"name": "InternetVia1012", "fib": True}],
    MANGLE: [{"_key": "return-1012", "_rank": 1, "chain": "prerouting", "action": "accept", "comment": NON_ASCII}],
}


def test_utf8_comment_converges_and_the_second_run_is_a_no_op(lab_router, kind):
    assert converge(lab_router, kind, UTF8_DESIRED)["changed"] is True
    assert [r["comment"] for r in rows(lab_router, MANGLE)] == [NON_ASCII + " [mwan:undo:return-1012@1]"]
    # the same state read back over either transport needs no write
    for other in TRANSPORTS:
        lab_router.control.reset_counters()
        assert converge(lab_router, other, UTF8_DESIRED)["changed"] is False, other
        assert writes(lab_router) == 0


def _ascii_api(lab, cls=ApiTransport):
    return cls(lab.host, lab.username, lab.password, port=lab.api_port, tls=False, timeout=20, encoding="ASCII")


def test_value_outside_an_explicit_ascii_encoding_fails_before_any_write(lab_router):
    lab_router.control.reset_counters()
    transport = _ascii_api(lab_router)
    try:
        with pytest.raises(PlanError) as info:
            reconcile(transport, UTF8_DESIRED, "undo")
    finally:
        transport.close()
    assert writes(lab_router) == 0
    text = str(info.value)
    assert "add /ip/firewall/mangle return-1012" in text and "comment=" in text and "ASCII" in text
    assert [r["name"] for r in rows(lab_router, "/routing/table")] == ["main"]


class _UncheckedApi(ApiTransport):
    """The real API transport without its pre-flight check, so the encoding fails mid-run."""

    def check(self, commands):
        return []


def test_any_exception_during_the_writes_undoes_the_applied_part(lab_router):
    before = lab_router.control.dump()["rows"]
    transport = _ascii_api(lab_router, _UncheckedApi)
    try:
        with pytest.raises(ApplyError) as info:
            reconcile(transport, UTF8_DESIRED, "undo")
    finally:
        transport.close()
    assert "UnicodeEncodeError" in str(info.value)
    assert info.value.undone is True, str(info.value)
    after = lab_router.control.dump()["rows"]
    for path in UTF8_DESIRED:
        assert comparable(path, after) == comparable(path, before), path


def export_lines(text):
    """``/export terse`` lines without the header; sorted within unordered menus, whose order an
    undo cannot restore (a re-added route gets a new id, and ``/ip route add`` has no ``place-before``)."""
    groups = {}
    for line in export_body(text).splitlines():
        if not line.startswith("/"):
            continue
        path = schema.api_path(line.split(" add ", 1)[0].split(" set ", 1)[0])
        groups.setdefault(path, []).append(line)
    return dict((path, lines if schema.is_known(path) and schema.get(path).ordered else sorted(lines))
                for path, lines in groups.items())


ROUTES = {
    "/routing/table": [{"name": "T", "fib": True}],
    # written with default values, as the compiler writes a default route: they stay in the export
    "/ip/route": [{"_key": "default", "dst-address": "0.0.0.0/0", "gateway": "10.10.2.1", "routing-table": "T",
                   "distance": 1},
                  {"_key": "site", "dst-address": "10.20.0.0/16", "gateway": "10.10.2.1", "routing-table": "T"}],
}
# every route removed (the hand-made one purged), then the removal of their table fails
NO_ROUTES = {"/routing/table": [], "/ip/route": []}
PURGE_HAND = {"/ip/route": {"comment": "hand"}}


def test_undone_route_removal_restores_the_export_exactly(lab_router, kind):
    converge(lab_router, kind, ROUTES)
    # written without distance, scope or target-scope: the API prints them, the export does not
    lab_router.control.cli("/ip route add dst-address=172.16.0.0/12 gateway=10.10.2.1 comment=hand")
    before = lab_router.control.cli("/export terse")
    lab_router.control.reset_counters()
    plan = converge(lab_router, kind, NO_ROUTES, check_mode=True, purge=PURGE_HAND)["plan"]
    assert writes(lab_router) == 0
    assert [(op["op"], op["path"]) for op in plan] == [("remove", "/ip/route")] * 3 + [("remove", "/routing/table")]
    lab_router.control.set_faults(fail_write_after=3)
    with pytest.raises(ApplyError) as info:
        converge(lab_router, kind, NO_ROUTES, purge=PURGE_HAND)
    lab_router.control.set_faults(fail_write_after=-1)
    assert info.value.undone is True, str(info.value)
    assert "remove /routing/table T failed: failure: lab fault injected" in str(info.value)
    after = lab_router.control.cli("/export terse")
    assert export_lines(after) == export_lines(before)
    assert "scope=" not in after
    converge(lab_router, kind, NO_ROUTES, purge=PURGE_HAND)
    lab_router.control.reset_counters()
    assert converge(lab_router, kind, NO_ROUTES, purge=PURGE_HAND)["changed"] is False
    assert writes(lab_router) == 0


CONNTRACK = "/ip/firewall/connection/tracking"
# udp-timeout had no value (RouterOS's default), tcp-established-timeout one set by hand
CONNTRACK_DESIRED = {CONNTRACK: [{"udp-timeout": "30s", "tcp-established-timeout": "1h"}],
                     ADDRESS_LIST: [{"list": "L", "address": "10.1.0.0/24"}]}


def test_undone_connection_tracking_change_restores_the_previous_values(lab_router, kind):
    lab_router.control.cli("/ip firewall connection tracking set tcp-established-timeout=2h")
    before = lab_router.control.cli("/export terse")
    before_rows = rows(lab_router, CONNTRACK)
    lab_router.control.reset_counters()
    plan = converge(lab_router, kind, CONNTRACK_DESIRED, check_mode=True)["plan"]
    assert writes(lab_router) == 0
    assert [(op["op"], op["path"]) for op in plan] == [("set", CONNTRACK), ("add", ADDRESS_LIST)]
    lab_router.control.set_faults(fail_write_after=1)
    with pytest.raises(ApplyError) as info:
        converge(lab_router, kind, CONNTRACK_DESIRED)
    lab_router.control.set_faults(fail_write_after=-1)
    assert info.value.undone is True, str(info.value)
    assert "UNDO INCOMPLETE" not in str(info.value)
    assert export_lines(lab_router.control.cli("/export terse")) == export_lines(before)
    assert rows(lab_router, CONNTRACK) == before_rows
    converge(lab_router, kind, CONNTRACK_DESIRED)
    lab_router.control.reset_counters()
    assert converge(lab_router, kind, CONNTRACK_DESIRED)["changed"] is False
    assert writes(lab_router) == 0


RULE = {"_key": "r", "_rank": 1, "chain": "prerouting", "action": "accept", "src-address": "10.9.0.0/24"}


def test_undone_change_of_a_field_that_cannot_be_unset_restores_its_default(lab_router, kind):
    converge(lab_router, kind, {MANGLE: [RULE]})
    # the collection never wrote `disabled`: neither the print nor the export shows it
    assert "disabled" not in rows(lab_router, MANGLE)[0]
    before = lab_router.control.cli("/export terse")
    desired = {MANGLE: [dict(RULE, disabled=True)], "/system/script": [{"name": "s", "source": ":put 1"}]}
    lab_router.control.reset_counters()
    plan = converge(lab_router, kind, desired, check_mode=True)["plan"]
    assert writes(lab_router) == 0
    assert [(op["op"], op["path"], op["fields"].get("disabled")) for op in plan] == [
        ("set", MANGLE, "yes"), ("add", "/system/script", None)]
    lab_router.control.set_faults(fail_write_after=1)
    with pytest.raises(ApplyError) as info:
        converge(lab_router, kind, desired)
    lab_router.control.set_faults(fail_write_after=-1)
    assert info.value.undone is True, str(info.value)
    # RouterOS cannot unset `disabled` (`!disabled` is a syntax error over SSH, refused over the API):
    # the rule is enabled again, its default now written, which a firewall export shows
    expected = export_lines(before)
    expected[MANGLE] = [line.replace(" src-address=", " disabled=no src-address=") for line in expected[MANGLE]]
    assert export_lines(lab_router.control.cli("/export terse")) == expected
    assert rows(lab_router, MANGLE)[0]["disabled"] == "false"
    converge(lab_router, kind, desired)
    lab_router.control.reset_counters()
    assert converge(lab_router, kind, desired)["changed"] is False
    assert writes(lab_router) == 0


class _NoExecuteApi(ApiTransport):
    """The real API transport against a router that refuses its read script, as one without
    ``/execute as-string`` would: the lab answers its own trap for the unknown command."""

    def _run_script(self, script):
        return self.call("/execute-unknown", "=script=%s" % script)["ret"]


def test_undo_over_an_api_that_refuses_the_read_script_falls_back_to_the_full_print(lab_router):
    converge(lab_router, "api", ROUTES)
    lab_router.control.cli("/ip route add dst-address=172.16.0.0/12 gateway=10.10.2.1 comment=hand")
    before = lab_router.control.dump()["rows"]
    transport = _NoExecuteApi(lab_router.host, lab_router.username, lab_router.password, port=lab_router.api_port,
                              tls=False, timeout=20)
    try:
        plan = reconcile(transport, NO_ROUTES, "undo", "overridden", check_mode=True, purge=PURGE_HAND)["plan"]
        lab_router.control.set_faults(fail_write_after=len(plan) - 1)
        with pytest.raises(ApplyError) as info:
            reconcile(transport, NO_ROUTES, "undo", "overridden", purge=PURGE_HAND)
    finally:
        lab_router.control.set_faults(fail_write_after=-1)
        transport.close()
    assert info.value.undone is True, str(info.value)
    # the same routes, the defaults the print filled in now written
    assert comparable("/ip/route", lab_router.control.dump()["rows"]) == comparable("/ip/route", before)
    assert "scope=30" in lab_router.control.cli("/export terse")
