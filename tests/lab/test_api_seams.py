"""The lab router's Python seams (used by the CLI side and by tests), and registered commands over the API."""

from routeros_lab import Reply, Router, Trap


def test_execute_and_menu_metadata():
    router = Router(identity="core", interfaces=["ether1"], load_extensions=False)
    reply = router.execute("/ip/firewall/mangle/add", {"chain": "prerouting", "action": "accept"})
    assert reply.ret == "*1" and reply.trap is None
    reply = router.execute("/ip/firewall/mangle/add", {"chain": "prerouting", "nope": "1"})
    assert reply.trap == Trap("unknown parameter nope", None)
    menu = router.menu("/ip/firewall/mangle")
    assert menu.ordered and menu.default("action") == "accept" and menu.prints_only_when_set("log")
    assert router.menu("/routing/table").is_switch("fib") and router.menu("/routing/table").natural_key == ("name",)
    assert router.menu("/ip/firewall/address-list").natural_key == ("list", "address")
    assert router.menu("/ip/settings").kind == "singleton"
    rows = router.execute("/ip/firewall/mangle/print", {}, ["?chain=prerouting"], ["chain"]).rows
    assert rows == [{"chain": "prerouting"}]


def test_registered_command_reaches_the_api(lab_router):
    def hello(router, attrs, user):
        return Reply(rows=[{"greeting": "hello " + attrs.get("name", user)}], ret=None)

    lab_router.router.register_command("/lab/hello", hello)
    api = lab_router.api()
    assert list(api.rawCmd("/lab/hello", "=name=world")) == [{"greeting": "hello world"}]


def test_tick_callbacks_and_json_round_trip():
    router = Router(load_extensions=False)
    seen = []
    router.register_tick(lambda r, now: seen.append(now))
    router.tick(123.0)
    assert seen == [123.0]
    router.execute("/interface/vlan/add", {"interface": "ether1", "vlan-id": "10"})
    router.set_reachable("10.0.0.1", False)
    copy = Router.from_json(router.to_json(), load_extensions=False)
    assert copy.rows("/interface/vlan") == router.rows("/interface/vlan")
    assert copy.unreachable == {"10.0.0.1"}
    assert copy.execute("/interface/vlan/add", {"interface": "ether1", "vlan-id": "11"}).ret == "*A"


def test_lock_is_reentrant_for_scripts():
    router = Router(load_extensions=False)
    with router.lock:
        assert router.execute("/routing/table/add", {"name": "T"}).ret == "*400"
        assert [r["name"] for r in router.rows("/routing/table")] == ["main", "T"]
