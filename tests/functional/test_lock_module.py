"""multiwan.routeros.lock against the lab router, over the API and SSH (the module's own function, real clients)."""

from __future__ import annotations

import pytest

from ansible_collections.multiwan.routeros.plugins.module_utils.runs import run_lock

from engine_support import TRANSPORTS, connection_params, rows, writes

STALE = ("multiwan run lock: holder=bob@ctl2 run_id=old-run started=2020-01-01T00:00:00Z "
         "expires=2020-01-01T00:30:00Z")
FRESH = ("multiwan run lock: holder=bob@ctl2 run_id=other-run started=2020-01-01T00:00:00Z "
         "expires=2999-01-01T00:00:00Z")


def _lock(lab, **options):
    params = dict(name="multiwan-lock", state="acquired", run_id="run-1", holder="alice@ctl", lock_timeout=1800,
                  force=False, arm=None, disarm=False, kind="core", tls=True, validate_certs=True, validate_cert_hostname=True, encoding="UTF-8",
                  host_key_checking=True, ssh_port=22)
    params.update(options)
    return params


def _run(lab, kind, check_mode=False, **options):
    params = _lock(lab, **connection_params(lab, kind))
    params.update(options)
    return run_lock(params, check_mode)


def _scripts(lab):
    return [(row["name"], row.get("comment")) for row in rows(lab, "/system/script")]


@pytest.mark.parametrize("kind", TRANSPORTS)
def test_acquire_check_mode_then_apply_then_again_then_release(lab_router, kind):
    lab_router.control.reset_counters()
    checked = _run(lab_router, kind, check_mode=True)
    assert not checked.get("failed"), checked
    assert checked["changed"] is True and checked["lock"]["run_id"] == "run-1"
    assert checked["commands"][0].startswith("/system script add ")
    assert writes(lab_router) == 0 and _scripts(lab_router) == []

    taken = _run(lab_router, kind)
    assert taken["changed"] is True, taken
    assert taken["lock"]["holder"] == "alice@ctl" and taken["previous"] is None
    [(name, comment)] = _scripts(lab_router)
    assert name == "multiwan-lock"
    assert comment.startswith("multiwan run lock: holder=alice@ctl run_id=run-1 started=")
    assert comment.endswith("expires=" + taken["lock"]["expires"])

    # The same run acquires again: nothing changes, nothing is written.
    lab_router.control.reset_counters()
    again = _run(lab_router, kind)
    assert again["changed"] is False and again["lock"] == taken["lock"], again
    assert writes(lab_router) == 0

    checked = _run(lab_router, kind, check_mode=True, state="released")
    assert checked["changed"] is True and writes(lab_router) == 0 and len(_scripts(lab_router)) == 1
    released = _run(lab_router, kind, state="released")
    assert released["changed"] is True and released["previous"]["run_id"] == "run-1", released
    assert _scripts(lab_router) == []
    lab_router.control.reset_counters()
    assert _run(lab_router, kind, state="released")["changed"] is False
    assert writes(lab_router) == 0


@pytest.mark.parametrize("kind", TRANSPORTS)
def test_a_second_run_fails_fast_naming_the_holder(lab_router, kind):
    lab_router.control.cli('/system script add name=multiwan-lock comment="%s"' % FRESH)
    lab_router.control.reset_counters()
    for check_mode in (True, False):
        result = _run(lab_router, kind, check_mode=check_mode)
        assert result["failed"] is True
        assert "held by bob@ctl2 (run other-run, started 2020-01-01T00:00:00Z, stale from 2999-01-01T00:00:00Z)" in result["msg"]
        assert "nothing was written" in result["msg"]
        assert result["lock"]["run_id"] == "other-run"
    # Releasing with another run id leaves it in place, with a warning.
    kept = _run(lab_router, kind, state="released")
    assert kept["changed"] is False and "not released, held by bob@ctl2" in kept["warnings"][-1]
    assert writes(lab_router) == 0
    assert _scripts(lab_router) == [("multiwan-lock", FRESH)]
    # An operator clears it with force.
    forced = _run(lab_router, kind, state="released", run_id="operator", force=True)
    assert forced["changed"] is True and "force released the lock of bob@ctl2" in forced["warnings"][-1]
    assert _scripts(lab_router) == []


@pytest.mark.parametrize("kind", TRANSPORTS)
def test_a_stale_lock_is_taken_over_with_a_warning(lab_router, kind):
    lab_router.control.cli('/system script add name=multiwan-lock comment="%s"' % STALE)
    lab_router.control.reset_counters()
    checked = _run(lab_router, kind, check_mode=True)
    assert checked["changed"] is True and "took over the stale lock of bob@ctl2 (run old-run" in checked["warnings"][-1]
    assert writes(lab_router) == 0 and _scripts(lab_router) == [("multiwan-lock", STALE)]

    taken = _run(lab_router, kind)
    assert taken["changed"] is True, taken
    assert "took over the stale lock of bob@ctl2 (run old-run" in taken["warnings"][-1]
    assert taken["previous"]["run_id"] == "old-run" and taken["lock"]["run_id"] == "run-1"
    [(_name, comment)] = _scripts(lab_router)
    assert "run_id=run-1" in comment


@pytest.mark.parametrize("kind", TRANSPORTS)
def test_a_foreign_script_of_that_name_is_never_touched(lab_router, kind):
    lab_router.control.cli('/system script add name=multiwan-lock source=":log info hi" comment="mine"')
    lab_router.control.reset_counters()
    result = _run(lab_router, kind)
    assert result["failed"] is True and "is not a multiwan run lock" in result["msg"]
    assert _run(lab_router, kind, state="released", force=True)["changed"] is False
    assert writes(lab_router) == 0 and _scripts(lab_router) == [("multiwan-lock", "mine")]


def test_bad_options_fail_before_any_connection(lab_router):
    lab_router.control.reset_counters()
    result = _run(lab_router, "api", run_id="two words")
    assert result["failed"] is True and "run_id must be one word" in result["msg"]
    result = _run(lab_router, "api", lock_timeout=0)
    assert result["failed"] is True and "lock_timeout must be a positive" in result["msg"]
    assert lab_router.control.counters() == {"reads": {}, "writes": {}}


@pytest.mark.parametrize("kind", TRANSPORTS)
def test_the_revert_is_armed_with_the_lock_and_disarmed_with_it(lab_router, kind):
    lab_router.control.reset_counters()
    checked = _run(lab_router, kind, check_mode=True, arm="5m")
    assert not checked.get("failed"), checked
    assert checked["confirm"]["armed"]["run_id"] == "run-1" and writes(lab_router) == 0 and _scripts(lab_router) == []

    taken = _run(lab_router, kind, arm="5m")
    assert not taken.get("failed"), taken
    assert taken["lock"]["run_id"] == "run-1" and taken["confirm"]["armed"]["fires_after"] == "5m", taken
    names = sorted(name for name, _comment in _scripts(lab_router))
    assert names == ["multiwan-confirm", "multiwan-lock"]
    assert [row["name"] for row in rows(lab_router, "/system/scheduler")] == ["multiwan-confirm"]

    # Switched off: the lock alone; a bad timer fails before any connection.
    assert "confirm" not in _run(lab_router, kind, arm="false")
    lab_router.control.reset_counters()
    bad = _run(lab_router, kind, arm="soon")
    assert bad["failed"] and bad["msg"].startswith("arm: timer") and writes(lab_router) == 0

    released = _run(lab_router, kind, state="released", disarm=True)
    assert not released.get("failed"), released
    assert "confirm" in released and _scripts(lab_router) == [] and rows(lab_router, "/system/scheduler") == []
