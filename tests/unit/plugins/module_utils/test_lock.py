"""The run lock's pure logic: its comment, stale detection and what acquiring or releasing means."""

from __future__ import absolute_import, division, print_function

import datetime

import pytest

from ansible_collections.multiwan.routeros.plugins.module_utils import lock

UTC = datetime.timezone.utc
NOW = datetime.datetime(2026, 1, 21, 1, 17, 52, 123456, tzinfo=UTC)


def _row(comment, rid="*A"):
    return {".id": rid, "name": "multiwan-lock", "comment": comment}


def _held_by(run_id, started=NOW, timeout=1800, holder="bob@ctl2"):
    return _row(lock.lock_comment(lock.new_lock(holder, run_id, started, timeout)))


def test_comment_round_trips_and_is_readable():
    taken = lock.new_lock("alice@ctl", "20260121T011752Z-4711", NOW, 1800)
    text = lock.lock_comment(taken)
    assert text == ("multiwan run lock: holder=alice@ctl run_id=20260121T011752Z-4711 "
                    "started=2026-01-21T01:17:52Z expires=2026-01-21T01:47:52Z")
    assert lock.parse_comment(text) == taken
    assert lock.describe(taken) == ("alice@ctl (run 20260121T011752Z-4711, started 2026-01-21T01:17:52Z, "
                                    "stale from 2026-01-21T01:47:52Z)")


@pytest.mark.parametrize("text", [
    None, "", "hand-made script", "multiwan run lock:", "multiwan run lock: holder=a run_id=b started=x expires=y",
    "multiwan run lock: holder=a run_id=b started=2026-01-21T01:17:52Z",
    "note: multiwan run lock: holder=a run_id=b started=2026-01-21T01:17:52Z expires=2026-01-21T01:47:52Z",
])
def test_comments_that_are_not_a_lock(text):
    assert lock.parse_comment(text) is None


def test_extra_words_and_order_do_not_matter():
    text = "multiwan run lock: expires=2026-01-21T01:47:52Z note run_id=r1 holder=h started=2026-01-21T01:17:52Z"
    assert lock.parse_comment(text).run_id == "r1"


def test_stale_from_the_expiry_time_on():
    taken = lock.new_lock("h", "r", NOW, 60)
    assert not lock.is_stale(taken, NOW + datetime.timedelta(seconds=59))
    assert lock.is_stale(taken, NOW.replace(microsecond=0) + datetime.timedelta(seconds=60))


def test_acquire_decisions():
    assert lock.acquire_decision(None, "r1", NOW) == (lock.ACQUIRE, None)
    assert lock.acquire_decision(_held_by("r1"), "r1", NOW)[0] == lock.HELD
    decision, held = lock.acquire_decision(_held_by("r2"), "r1", NOW)
    assert decision == lock.CONFLICT and held.holder == "bob@ctl2" and held.run_id == "r2"
    old = _held_by("r2", started=NOW - datetime.timedelta(hours=1))
    assert lock.acquire_decision(old, "r1", NOW)[0] == lock.TAKE_OVER
    # A script of the lock's name that is not a lock is never taken over: no expiry can make it stale.
    assert lock.acquire_decision(_row("backup script"), "r1", NOW) == (lock.CONFLICT, None)


def test_release_decisions():
    assert lock.release_decision(None, "r1") == (lock.ABSENT, None)
    assert lock.release_decision(_held_by("r1"), "r1")[0] == lock.RELEASE
    assert lock.release_decision(_held_by("r2"), "r1")[0] == lock.OTHER
    assert lock.release_decision(_held_by("r2"), "r1", force=True)[0] == lock.RELEASE
    assert lock.release_decision(_row("backup script"), "r1", force=True) == (lock.OTHER, None)


def test_held_message_names_the_holder_and_what_to_do():
    held = lock.parse_comment(_held_by("r2")["comment"])
    text = lock.held_message("multiwan-lock", held)
    assert "held by bob@ctl2 (run r2, started 2026-01-21T01:17:52Z, stale from 2026-01-21T01:47:52Z)" in text
    assert "nothing was written" in text
    assert "is not a multiwan run lock" in lock.held_message("multiwan-lock", None)


@pytest.mark.parametrize("value", ["", "two words", 'quote"d', "semi;colon", None])
def test_check_token_refuses_what_the_comment_cannot_carry(value):
    with pytest.raises(ValueError, match="run_id must be one word"):
        lock.check_token("run_id", value)


def test_check_token_keeps_a_good_word():
    assert lock.check_token("holder", "alice@ctl-1.example") == "alice@ctl-1.example"
