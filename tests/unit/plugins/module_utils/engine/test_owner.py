# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
from hypothesis import given, strategies as st

from ansible_collections.multiwan.routeros.plugins.module_utils.engine import owner


def test_compose_and_parse_ordered():
    comment = owner.compose("Return path via 1012", "connection_marks", "return-1012", 100)
    assert comment == "Return path via 1012 [mwan:connection_marks:return-1012@100]"
    assert owner.parse(comment) == ("connection_marks", "return-1012", 100)
    assert owner.strip(comment) == "Return path via 1012"


def test_compose_without_description_or_rank():
    assert owner.compose("", "tables", "InternetVia1012") == "[mwan:tables:InternetVia1012]"
    assert owner.parse("[mwan:tables:InternetVia1012]") == ("tables", "InternetVia1012", None)


def test_recompose_replaces_old_tag():
    old = owner.compose("desc", "a", "k", 5)
    assert owner.compose(old, "a", "k", 7) == "desc [mwan:a:k@7]"


def test_foreign_comments_have_no_tag():
    for text in (None, "", "defconf: drop invalid", "[mwan:Bad:key]", "mwan:a:b", "x [mwan:a:b] trailing"):
        assert owner.parse(text) is None


def test_key_with_colons_and_slashes():
    comment = owner.compose("", "lists", "SITES:10.0.0.0/24")
    assert owner.parse(comment) == ("lists", "SITES:10.0.0.0/24", None)


def test_invalid_owner_and_key():
    with pytest.raises(ValueError):
        owner.tag("Bad Owner", "k")
    with pytest.raises(ValueError):
        owner.tag("ok", "no spaces")


def test_key_from_values_is_tag_safe():
    key = owner.key_from_values(["SITES USE 1012", "10.0.0.0/24"])
    assert key == "SITES_USE_1012:10.0.0.0/24"
    owner.check_key(key)


@given(
    desc=st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=40),
    own=st.from_regex(r"[a-z0-9_]{1,12}", fullmatch=True),
    key=st.from_regex(r"[A-Za-z0-9_.:/-]{1,20}", fullmatch=True),
    rank=st.one_of(st.none(), st.integers(min_value=0, max_value=10 ** 6)),
)
def test_round_trip(desc, own, key, rank):
    comment = owner.compose(desc, own, key, rank)
    assert owner.parse(comment) == (own, key, rank)


@pytest.mark.parametrize("check, value", [(owner.check_owner, "pbr\n"), (owner.check_key, "T1\n")])
def test_a_trailing_line_break_is_refused(check, value):
    # A tag made of it could not be read back by the next run.
    with pytest.raises(owner.OwnerTagError):
        check(value)


def test_the_unchecked_tag_is_the_checked_one():
    assert owner.format_tag("pbr", "m", 10) == owner.tag("pbr", "m", 10) == "[mwan:pbr:m@10]"
    assert owner.append_tag("", owner.format_tag("t", "T1")) == owner.compose(None, "t", "T1") == "[mwan:t:T1]"
