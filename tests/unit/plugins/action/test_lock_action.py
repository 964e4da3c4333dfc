# -*- coding: utf-8 -*-
"""The lock action's from_run: what the rollout's lock and unlock tasks take from the run's variables.

Runs through ansible-playbook against the lab router are in tests/functional/test_playbooks_lock.py.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.multiwan.routeros.plugins.action.lock import new_run_id, run_args


def render(_name, value):
    return value


def test_taking_the_lock_uses_the_runs_variables_or_their_defaults():
    args = run_args({"state": "acquired", "from_run": True}, {"group_names": ["multiwan_edge"]}, render)
    assert re.match(r"^\d{8}T\d{6}Z-\d+$", args["run_id"]) and args["arm"] == "5m" and args["kind"] == "edge"
    assert "lock_timeout" not in args
    args = run_args({"state": "acquired", "from_run": True},
                    {"group_names": ["multiwan_core"], "multiwan_lock_run_id": "20260101T000000Z-1", "multiwan_lock_timeout": 600,
                     "multiwan_commit_confirm": False}, render)
    assert (args["run_id"], args["lock_timeout"], args["arm"], args["kind"]) == ("20260101T000000Z-1", 600, "False", "core")
    # What the task sets itself wins.
    assert run_args({"state": "acquired", "run_id": "mine", "arm": "1m"}, {"multiwan_lock_run_id": "x"}, render)["run_id"] == "mine"


def test_releasing_it_disarms_what_the_run_armed():
    facts = {"multiwan_lock_run_id": "20260101T000000Z-1", "multiwan_confirm_armed": True}
    assert run_args({"state": "released", "from_run": True}, facts, render) == {
        "state": "released", "from_run": True, "run_id": "20260101T000000Z-1", "disarm": True}
    assert run_args({"state": "released", "from_run": True}, {}, render) == {
        "state": "released", "from_run": True, "run_id": None, "disarm": False}


def test_two_runs_started_in_the_same_second_differ():
    assert len(set(new_run_id() for _i in range(20))) > 1
