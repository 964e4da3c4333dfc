# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The site-network index of the validator finds exactly the networks a pass over every pair finds, in order."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress

from hypothesis import given, strategies as st

from ansible_collections.multiwan.routeros.plugins.module_utils.intent.validate import _Networks

# Networks in a small space (10.0.0.0/22 and its supernets), so nesting, equality and disjoint blocks all occur.
NETWORKS = st.builds(lambda address, length: ipaddress.IPv4Network((address, length), strict=False),
                     st.integers(min_value=0x0A000000, max_value=0x0A0003FF), st.integers(min_value=6, max_value=32))


@given(st.lists(st.tuples(NETWORKS, st.sampled_from(["A", "B"])), max_size=40), NETWORKS)
def test_overlapping_equals_the_pairwise_pass(added, probe):
    index = _Networks()
    for i, (network, wan) in enumerate(added):
        index.add(network, "n[%d]" % i, wan)
    expected = [(network, "n[%d]" % i, wan) for i, (network, wan) in enumerate(added) if network.overlaps(probe)]
    assert index.overlapping(probe) == expected


def test_overlapping_covers_whole_space_and_host_routes():
    index = _Networks()
    index.add(ipaddress.IPv4Network("0.0.0.0/1"), "a", "A")
    index.add(ipaddress.IPv4Network("10.1.2.3/32"), "b", "B")
    index.add(ipaddress.IPv4Network("192.168.0.0/16"), "c", "A")
    assert [path for _n, path, _w in index.overlapping(ipaddress.IPv4Network("10.0.0.0/8"))] == ["a", "b"]
    assert [path for _n, path, _w in index.overlapping(ipaddress.IPv4Network("255.255.255.255/32"))] == []
    assert [path for _n, path, _w in index.overlapping(ipaddress.IPv4Network("0.0.0.0/0"))] == ["a", "b", "c"]
