# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one rank table: chain order as the design needs it, no overlap between kinds."""


from ansible_collections.multiwan.routeros.plugins.module_utils.compile.ranks import RANKS, STRIDE, rank


def test_prerouting_order():
    order = ["inbound_mark_connection", "site_mark_connection", "lb_sticky_mark_connection", "lb_mark_connection",
             "lb_sticky_add_source", "mark_routing"]
    ranks = [rank(kind) for kind in order]
    assert ranks == sorted(ranks)
    assert all(RANKS[kind][:2] == ("/ip/firewall/mangle", "prerouting") for kind in order)


def test_filter_forward_fasttrack_before_accept():
    assert rank("fasttrack") < rank("accept_established")


def test_kinds_in_one_chain_do_not_overlap():
    by_chain = {}
    for kind, (path, chain, base) in RANKS.items():
        by_chain.setdefault((path, chain), []).append(base)
    for bases in by_chain.values():
        bases.sort()
        assert all(b - a >= STRIDE for a, b in zip(bases, bases[1:]))


def test_a_rank_does_not_depend_on_list_positions():
    """Every entry of a kind carries the kind's rank, so removing one entry rewrites no other tag."""
    assert all(rank(kind) == base for kind, (_path, _chain, base) in RANKS.items())
