# -*- coding: utf-8 -*-
"""Property: applying a plan (as predicted) and planning again gives an empty plan, foreign rows keep
their content and relative order, and no collection entry is duplicated."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from hypothesis import given, settings, strategies as st

from ansible_collections.multiwan.routeros.plugins.module_utils.engine import owner as owner_mod
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.plan import build_plan, predict

MANGLE = "/ip/firewall/mangle"
CHAINS = ["prerouting", "forward"]


@st.composite
def scenario(draw):
    keys = draw(st.lists(st.sampled_from("abcdefghij"), unique=True, max_size=8))
    desired = []
    for key in keys:
        desired.append({"_key": key, "_rank": draw(st.integers(0, 50)), "chain": draw(st.sampled_from(CHAINS)),
                        "action": draw(st.sampled_from(["accept", "mark-connection"])),
                        "log": draw(st.booleans())})
    rows = []
    for i in range(draw(st.integers(0, 10))):
        kind = draw(st.sampled_from(["foreign", "own", "other", "dummy"]))
        row = {".id": "*%X" % (i + 1), "chain": draw(st.sampled_from(CHAINS)), "action": "accept"}
        if kind == "dummy":
            row.update({"dynamic": "true", "action": "passthrough"})
        elif kind == "own":
            key = draw(st.sampled_from("abcdefghijkl"))
            row["comment"] = owner_mod.compose("", "me", key, draw(st.integers(0, 50)))
        elif kind == "other":
            row["comment"] = owner_mod.compose("", "them", "x%d" % i, draw(st.integers(0, 50)))
        else:
            row["comment"] = "hand %d" % i
        rows.append(row)
    state = draw(st.sampled_from(["merged", "replaced", "overridden"]))
    placement = draw(st.sampled_from([None, {MANGLE: "append"}]))
    return {MANGLE: desired}, {MANGLE: rows}, state, placement


def _own_keys(rows):
    out = []
    for r in rows:
        tag = owner_mod.parse(r.get("comment"))
        if tag and tag[0] == "me":
            out.append(tag[1])
    return out


@settings(max_examples=300, deadline=None)
@given(scenario())
def test_plan_then_replan_is_empty(case):
    desired, actual, state, placement = case
    plan = build_plan(desired, actual, "me", state, placement=placement)
    after = predict(actual, plan.ops)
    again = build_plan(desired, after, "me", state, placement=placement)
    assert again.ops == [], again.ops
    rows_after = after[MANGLE]
    # foreign and other-owner rows: same content, same relative order
    untouched = [r for r in actual[MANGLE] if (owner_mod.parse(r.get("comment")) or ("", ""))[0] != "me"]
    assert [r for r in rows_after if r in untouched] == untouched
    # every desired key exactly once (no duplicates), in rank order within each chain
    keys = _own_keys(rows_after)
    wanted = set(e["_key"] for e in desired[MANGLE])
    assert set(k for k in keys if k in wanted) == wanted
    assert all(keys.count(k) == 1 for k in wanted)
    for chain in CHAINS:
        ranks = [owner_mod.parse(r["comment"])[2] for r in rows_after
                 if r.get("chain") == chain and owner_mod.parse(r.get("comment")) and owner_mod.parse(r["comment"])[0] == "me"
                 and owner_mod.parse(r["comment"])[1] in wanted]
        assert ranks == sorted(ranks)
