"""Commit-confirm's pure parts: the timer value, the entries' comments, the revert script, a backup as desired state."""

from __future__ import absolute_import, division, print_function

import datetime

import pytest

from ansible_collections.multiwan.routeros.plugins.module_utils import confirm
from ansible_collections.multiwan.routeros.plugins.module_utils.backup_desired import backup_desired
from ansible_collections.multiwan.routeros.plugins.module_utils.intent import durations

NOW = datetime.datetime(2026, 1, 21, 1, 17, 52, tzinfo=datetime.timezone.utc)
MANGLE = "/ip/firewall/mangle"


@pytest.mark.parametrize("value, seconds", [("5m", 300), ("1h30m", 5400), ("90s", 90), ("300", 300), (120, 120), ("2d", 172800)])
def test_a_timer_is_a_routeros_duration(value, seconds):
    assert durations.read_timeout(value) == (seconds, None)


@pytest.mark.parametrize("value", [False, "false", "off", "No"])
def test_false_or_off_switches_it_off(value):
    assert durations.read_timeout(value) == (None, None)


@pytest.mark.parametrize("value, problem", [
    ("30s", "is 30s, shorter than 1m"),
    (59, "is 59s, shorter than 1m"),
    ("soon", "must be a duration such as 5m, 90s or 1h30m (at least 1m), or false to run without a revert (got 'soon')"),
    ("5 minutes", "must be a duration"),
    (True, "must be a duration"),
    ("", "must be a duration"),
])
def test_a_bad_or_short_timer_is_refused(value, problem):
    seconds, message = durations.read_timeout(value)
    assert seconds is None and problem in message


@pytest.mark.parametrize("seconds, text", [(300, "5m"), (330, "5m30s"), (3600, "1h"), (90061, "1d1h1m1s"), (0, "0s")])
def test_format_duration(seconds, text):
    assert durations.format_duration(seconds) == text


def test_the_comment_says_which_run_armed_it_and_reads_back():
    comment = confirm.armed_comment("run-1", NOW, 300)
    assert comment == "multiwan commit-confirm: run_id=run-1 armed=2026-01-21T01:17:52Z timeout=5m"
    assert confirm.parse_comment(comment) == confirm.Armed("run-1", "2026-01-21T01:17:52Z", "5m", "armed")
    reverted = "multiwan commit-confirm: reverted run_id=run-1 armed=2026-01-21T01:17:52Z timeout=5m errors=0"
    assert confirm.parse_comment(reverted) == confirm.Armed("run-1", "2026-01-21T01:17:52Z", "5m", "reverted")
    assert confirm.parse_comment("a script of the operator") is None
    assert confirm.parse_comment("multiwan commit-confirm: armed=x") is None


def test_the_revert_re_adds_the_tagged_rows_before_the_foreign_row_that_followed_them():
    rows = [
        {".id": "*1", "chain": "prerouting", "action": "accept", "comment": "foreign"},
        {".id": "*2", "chain": "prerouting", "action": "accept", "comment": "a [mwan:connection_marks:a@10]"},
        {".id": "*3", "chain": "prerouting", "action": "accept", "comment": "b [mwan:connection_marks:b@20]"},
        {".id": "*4", "chain": "forward", "action": "accept", "comment": "foreign too"},
        {".id": "*5", "chain": "forward", "action": "accept", "comment": "c [mwan:site_policy:c@30]"},
        {".id": "*6", "chain": "forward", "action": "accept", "dynamic": "true", "comment": "d [mwan:x:d]"},
    ]
    ops = confirm.readd_ops(MANGLE, rows)
    assert [(op.fields["comment"], op.place_before) for op in ops] == [
        ("a [mwan:connection_marks:a@10]", "*4"), ("b [mwan:connection_marks:b@20]", "*4"), ("c [mwan:site_policy:c@30]", None)]


def test_the_revert_script_removes_tagged_entries_users_first_then_re_adds_and_ends_the_run():
    snapshot = {
        "/routing/table": [{".id": "*A", "name": "to_1012", "fib": "", "comment": "t [mwan:routing_tables:t]"}],
        MANGLE: [{".id": "*1", "chain": "prerouting", "action": "mark-routing", "new-routing-mark": "to_1012",
                  "comment": "m [mwan:connection_marks:m@10]"}],
    }
    source = confirm.revert_source(snapshot, {"/ip/firewall/connection/tracking": {"udp-timeout": "45s"}},
                                   "multiwan-confirm", "20260121T011752Z-4711", "2026-01-21T01:17:52Z", "multiwan-lock", "5m")
    lines = source.splitlines()
    assert lines[0] == '/system scheduler remove [find where name="multiwan-confirm"]'
    removes = [line for line in lines if " remove [find where comment~" in line]
    assert "/ip firewall mangle remove" in removes[0] and "/routing table remove" in removes[1]
    adds = [line for line in lines if " add " in line]
    assert "/routing table add" in adds[0] and "/ip firewall mangle add" in adds[1]
    assert any("/ip firewall connection tracking set" in line and "udp-timeout=45s" in line for line in lines)
    assert 'comment~"run_id=20260121T011752Z-4711 "' in source
    # The reverted comment keeps the timer, so the next run can say how long it was.
    assert "reverted run_id=20260121T011752Z-4711 armed=2026-01-21T01:17:52Z timeout=5m errors=" in lines[-2]
    assert all(line.startswith(":do { ") for line in lines[2:-2])


def test_a_run_id_is_matched_literally():
    assert confirm._regex_literal("a.b+c") == "a[.]b[+]c"


def test_managed_paths_of_a_kind_include_the_common_settings():
    paths, settings = confirm.managed_paths("edge")
    assert "/ip/firewall/nat" in paths and "/ip/firewall/filter" in paths and "/routing/table" not in paths
    assert settings == ["/ip/firewall/connection/tracking"]


BACKUP = """# 2026-01-21 01:17:52 by RouterOS 7.19
/routing table
add comment="Table to 1012 [mwan:routing_tables:table.1012]" disabled=no fib name=to_1012
add comment="by hand" disabled=no fib name=mine
/ip firewall mangle
add action=accept chain=prerouting comment="foreign"
add action=mark-routing chain=prerouting comment="m [mwan:connection_marks:m@10]" new-routing-mark=to_1012
"""


def test_a_backup_gives_each_role_its_own_tagged_entries_and_every_path_it_writes():
    desired = backup_desired(BACKUP, "routing_tables")
    assert set(desired) == {"/routing/table", "/ip/route", "/routing/rule", "/ip/dhcp-client"}
    assert [entry["name"] for entry in desired["/routing/table"]] == ["to_1012"]
    assert desired["/routing/table"][0]["_key"] == "table.1012"
    assert desired["/ip/route"] == []
    marks = backup_desired(BACKUP, "connection_marks")[MANGLE]
    assert [(entry["_key"], entry["_rank"]) for entry in marks] == [("m", 10)]
    with pytest.raises(ValueError, match="backup reconciles nothing"):
        backup_desired(BACKUP, "backup")
