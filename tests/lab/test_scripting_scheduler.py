"""/system/script and /system/scheduler really run their scripts; /execute; netwatch scripts."""

import time

import pytest
from librouteros.exceptions import TrapError

from routeros_lab import Router
from routeros_lab.cli import run_script
from routeros_lab.scripting import scheduler_tick

from cli_helpers import ssh_client, ssh_exec, wait_for


def _count(router, path):
    return len(router.rows(path))


def test_script_run_over_the_api_and_over_ssh(lab_router):
    api = lab_router.api()
    try:
        api.path("system", "script").add(name="mark", source=':local n [:len [/ip firewall address-list find]]\n'
                                                             '/ip firewall address-list add list=RUNS address="10.0.0.$n"\n'
                                                             ':put "run $n"')
        script_id = [r[".id"] for r in api.path("system", "script")][0]
        tuple(api("/system/script/run", **{".id": script_id}))
        rows = list(api.path("ip", "firewall", "address-list"))
        assert [r["address"] for r in rows] == ["10.0.0.0"]
        assert [r["run-count"] for r in api.path("system", "script")] == [1]
        with pytest.raises(TrapError) as err:
            tuple(api("/system/script/run", **{".id": "*99"}))
        assert str(err.value) == "no such item"
    finally:
        api.close()
    client = ssh_client(lab_router)
    assert ssh_exec(client, "/system script run mark") == ("run 1\n", 0)
    assert ssh_exec(client, "/system script run nosuch") == ("no such item\n", 0)
    client.close()


def test_execute_runs_a_script_and_returns_its_output(lab_router):
    api = lab_router.api()
    try:
        rows = list(api("/execute", script=':put "hello"', **{"as-string": True}))
        assert rows == [{"ret": "hello"}]
        tuple(api("/execute", script="/routing table add name=viaExecute fib"))
        assert "viaExecute" in [r["name"] for r in api.path("routing", "table")]
    finally:
        api.close()


def test_a_scheduler_with_an_interval_fires_on_the_running_server(lab_router):
    api = lab_router.api()
    try:
        event = "/ip firewall address-list add list=TICK address=(\"10.1.0.\" . [:len [find]])"
        api.path("system", "scheduler").add(name="every-second", interval="1s", **{"on-event": event})
        assert wait_for(lambda: _count(lab_router.router, "/ip/firewall/address-list") >= 2, timeout=15)
        runs = int(list(api.path("system", "scheduler"))[0]["run-count"])
        assert runs >= 2
    finally:
        api.close()


def test_scheduler_timing_is_driven_by_tick():
    now = [1000.0]
    router = Router(clock=lambda: now[0])
    run_script(router, "/system script add name=bump source=\"/ip firewall address-list add list=S "
                       "address=(\\\"10.2.0.\\\" . [:len [/ip firewall address-list find]])\"\n"
                       "/system scheduler add name=by-name interval=10s on-event=bump\n"
                       "/system scheduler add name=disabled interval=1s on-event=bump disabled=yes\n"
                       "/system scheduler add name=once on-event=\":log info once\"", check=True)
    for step in range(1, 36):
        now[0] = 1000.0 + step
        scheduler_tick(router, now[0])
    # start-time=startup with an interval: not at boot, first one interval after it (t=1010), then 1020, 1030;
    # "once" (no interval) runs 3 s after boot
    assert _count(router, "/ip/firewall/address-list") == 3
    counts = {r["name"]: r.get("run-count") for r in router.rows("/system/scheduler")}
    assert counts == {"by-name": "3", "disabled": "0", "once": "1"}


def test_startup_entries_run_once_after_boot():
    now = [5000.0]
    router = Router(clock=lambda: now[0])
    run_script(router, "/system scheduler add name=boot start-time=startup on-event=\"/routing table add name=B fib\"",
               check=True)
    for step in range(10):
        now[0] = 5000.0 + step
        scheduler_tick(router, now[0])
    assert [r["name"] for r in router.rows("/routing/table")] == ["main", "B"]


def test_a_repeating_startup_entry_does_not_run_at_boot():
    # Scheduler manual: "If the interval is set to a value other than 0, the scheduler will not run at startup"
    now = [7000.0]
    router = Router(clock=lambda: now[0])
    run_script(router, "/system scheduler add name=hourly start-time=startup interval=1h "
                       "on-event=\"/routing table add name=H fib\"\n"
                       "/system scheduler add name=ten start-time=startup interval=10s "
                       "on-event=\"/ip firewall address-list add list=TEN address=10.4.0.1\"", check=True)
    for step in range(1, 10):
        now[0] = 7000.0 + step
        scheduler_tick(router, now[0])
    assert [r["name"] for r in router.rows("/routing/table")] == ["main"]
    assert _count(router, "/ip/firewall/address-list") == 0
    now[0] = 7010.0
    scheduler_tick(router, now[0])
    assert [r["list"] for r in router.rows("/ip/firewall/address-list")] == ["TEN"]
    assert [r["name"] for r in router.rows("/routing/table")] == ["main"]


def test_netwatch_scripts_run_through_the_interpreter(lab_router):
    router = lab_router.router
    run_script(router, "/tool netwatch add host=10.99.0.1 interval=1s "
                       "down-script=\"/ip firewall address-list add list=DOWN address=10.99.0.1\"", check=True)
    router.set_reachable("10.99.0.1", False)
    assert wait_for(lambda: _count(router, "/ip/firewall/address-list") == 1, timeout=15)


def test_start_date_and_time_then_interval():
    start = time.mktime((2026, 3, 1, 12, 0, 0, 0, 0, -1))
    now = [start - 5.0]
    router = Router(clock=lambda: now[0])
    run_script(router, "/system scheduler add name=noon start-date=2026-03-01 start-time=12:00:00 interval=1m "
                       "on-event=\"/ip firewall address-list add list=N address=(\\\"10.3.0.\\\" . "
                       "[:len [/ip firewall address-list find]])\"", check=True)
    for step in range(0, 130):
        now[0] = start - 5.0 + step
        scheduler_tick(router, now[0])
    # due at 12:00:00, 12:01:00 and 12:02:00 (t=start+0, +60, +120); the loop ends at start+124
    assert _count(router, "/ip/firewall/address-list") == 3
