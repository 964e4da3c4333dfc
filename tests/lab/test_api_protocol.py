"""The lab router's binary API, through librouteros and (for tags, pipelining, /cancel) raw sockets."""

import threading
import time

import librouteros
import pytest
from librouteros.exceptions import FatalError, TrapError
from routeros_lab.client import RawApi


def raw(lab):
    client = RawApi(lab.host, lab.api_port)
    assert client.login(lab.username, lab.password) == [["!done"]]
    return client


def test_login_and_bad_password(lab_router):
    api = lab_router.api()
    assert list(api.path("/system/identity")) == [{"name": "MikroTik"}]
    with pytest.raises(TrapError) as err:
        librouteros.connect(host=lab_router.host, username="admin", password="wrong", port=lab_router.api_port)
    assert err.value.message == "invalid user name or password (6)"


def test_login_failure_is_trap_then_done(lab_router):
    with RawApi(lab_router.host, lab_router.api_port) as client:
        assert client.login("admin", "nope") == [["!trap", "=message=invalid user name or password (6)"], ["!done"]]


def test_command_before_login_is_fatal(lab_router):
    with RawApi(lab_router.host, lab_router.api_port) as client:
        assert client.call("/ip/route/print") == [["!fatal", "not logged in"]]
        with pytest.raises(EOFError):
            client.read()


def test_quit_is_fatal_session_terminated(lab_router):
    with raw(lab_router) as client:
        assert client.call("/quit") == [["!fatal", "session terminated on request"]]


def test_librouteros_fatal_on_quit(lab_router):
    api = lab_router.api()
    with pytest.raises(FatalError):
        tuple(api("/quit"))


def test_add_returns_ret_in_done(lab_router):
    with raw(lab_router) as client:
        reply = client.call("/routing/table/add", "=name=T1", "=fib=")
        assert reply == [["!done", "=ret=*400"]]


def test_empty_print_since_7_18(lab_router_factory):
    new = lab_router_factory(version="7.19")
    with raw(new) as client:
        assert client.call("/ip/firewall/mangle/print") == [["!empty"], ["!done"]]
    old = lab_router_factory(version="7.17")
    with raw(old) as client:
        assert client.call("/ip/firewall/mangle/print") == [["!done"]]


def test_librouteros_reads_empty_as_no_rows(lab_router):
    assert list(lab_router.api().path("/ip/firewall/nat")) == []


def test_tags_on_every_reply_and_none_when_untagged(lab_router):
    with raw(lab_router) as client:
        client.call("/routing/table/add", "=name=T1", "=fib=")
        reply = client.call("/routing/table/print", ".tag=a7")
        assert [s[0] for s in reply] == ["!re", "!re", "!done"]
        assert all(".tag=a7" in s for s in reply)
        untagged = client.call("/routing/table/print")
        assert not any(w.startswith(".tag=") for s in untagged for w in s)
        trap = client.call("/routing/table/add", "=name=T1", ".tag=x")
        # the tag follows the reply word, as RouterOS 7 sends it
        assert trap == [["!trap", ".tag=x", "=message=failure: item with this name already exists"], ["!done", ".tag=x"]]


def test_pipelined_tagged_writes_all_answered(lab_router):
    with raw(lab_router) as client:
        client.send_many([["/ip/firewall/address-list/add", "=list=L", "=address=10.0.0.%d" % i, ".tag=%d" % i] for i in range(50)])
        seen = {}
        while len(seen) < 50:
            sentence = client.read()
            tag = [w for w in sentence if w.startswith(".tag=")][0][5:]
            if sentence[0] == "!done":
                seen[tag] = sentence
        assert sorted(seen, key=int) == [str(i) for i in range(50)]
        assert all(any(w.startswith("=ret=*") for w in s) for s in seen.values())
    assert len(list(lab_router.api().path("/ip/firewall/address-list"))) == 50


def test_latency_overlaps_tagged_requests(lab_router):
    lab_router.control.set_faults(latency_ms=300)
    with raw(lab_router) as client:
        start = time.monotonic()
        client.send_many([["/system/identity/print", ".tag=%d" % i] for i in range(10)])
        done = 0
        while done < 10:
            if client.read()[0] == "!done":
                done += 1
        elapsed = time.monotonic() - start
    # ten requests in flight together take about one round trip; one after another would take 3 s
    assert 0.3 <= elapsed < 2.0


def test_cancel_long_running_print(lab_router):
    with raw(lab_router) as client:
        client.send("/system/identity/print", "=interval=0.2", ".tag=loop")
        first = client.read()
        assert first[0] == "!re" and ".tag=loop" in first
        client.send("/cancel", "=tag=loop", ".tag=c")
        tail = []
        while True:
            sentence = client.read()
            if sentence[0] == "!re":
                continue
            tail.append(sentence)
            if sentence == ["!done", ".tag=loop"]:
                break
        assert tail == [["!trap", ".tag=loop", "=category=2", "=message=interrupted"], ["!done", ".tag=c"], ["!done", ".tag=loop"]]
        assert client.call("/system/identity/print") == [["!re", "=name=MikroTik"], ["!done"]]


def test_listen_reports_changes_until_cancelled(lab_router):
    with raw(lab_router) as client:
        client.send("/routing/table/listen", ".tag=l")
        time.sleep(0.3)
        api = lab_router.api()
        api.path("/routing/table").add(name="T9", fib="")
        sentence = client.read()
        assert sentence[0] == "!re" and "=name=T9" in sentence and ".tag=l" in sentence
        client.send("/cancel", "=tag=l")
        reply = [client.read() for dummy in range(3)]
        assert reply == [["!trap", ".tag=l", "=category=2", "=message=interrupted"], ["!done"], ["!done", ".tag=l"]]


def test_trap_categories(lab_router):
    with raw(lab_router) as client:
        assert client.call("/ip/address/add", "=address=192.168.88.1", "=interface=asdf") == [
            ["!trap", "=category=1", "=message=input does not match any value of interface"], ["!done"]]
        assert client.call("/nothing/print") == [["!trap", "=category=0", "=message=no such command prefix"], ["!done"]]


def test_unknown_commands(lab_router):
    api = lab_router.api()
    with pytest.raises(TrapError) as err:
        tuple(api.rawCmd("/nothing/here/print"))
    assert err.value.message == "no such command prefix"
    with pytest.raises(TrapError) as err:
        tuple(api.rawCmd("/ip/firewall/mangle/frobnicate"))
    assert err.value.message == "no such command"


def test_long_words_use_multibyte_lengths(lab_router):
    api = lab_router.api()
    comment = "x" * 20000
    rid = api.path("/ip/firewall/filter").add(chain="forward", comment=comment)
    rows = list(api.path("/ip/firewall/filter").select(librouteros.query.Key("comment")).where(librouteros.query.Key(".id") == rid))
    assert rows == [{"comment": comment}]


def test_concurrent_connections(lab_router):
    errors = []

    def worker(n):
        try:
            api = lab_router.api()
            path = api.path("/ip/firewall/address-list")
            for i in range(20):
                path.add(list="L%d" % n, address="10.%d.0.%d" % (n, i))
        except Exception as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert len(list(lab_router.api().path("/ip/firewall/address-list"))) == 80


@pytest.mark.parametrize("encoding", ["utf-8", "latin-1"])
def test_non_ascii_bytes_round_trip(lab_router, encoding):
    api = librouteros.connect(host=lab_router.host, username=lab_router.username, password=lab_router.password,
                              port=lab_router.api_port, encoding=encoding)
    api.path("/ip/firewall/address-list").add(list="L", address="10.0.0.1", comment="Z\u00fcrich \u00e9t\u00e9")
    assert [r["comment"] for r in api.path("/ip/firewall/address-list")] == ["Z\u00fcrich \u00e9t\u00e9"]


def test_print_follow_sends_rows_then_changes(lab_router):
    api = lab_router.api()
    tables = api.path("/routing/table")
    tables.add(name="A")
    with raw(lab_router) as client:
        client.send("/routing/table/print", "=follow=", "?name=A", ".tag=f")
        first = client.read()
        assert first[0] == "!re" and "=name=A" in first
        tables.update(**{".id": "A", "comment": "changed"})
        changed = client.read()
        assert "=comment=changed" in changed
        tuple(tables("remove", **{".id": "A"}))
        assert client.read() == ["!re", ".tag=f", "=.id=*400", "=.dead=true"]
        client.send("/cancel", "=tag=f")
        assert client.read()[0] == "!trap"
