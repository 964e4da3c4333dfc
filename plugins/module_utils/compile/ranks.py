# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``_rank`` of every ordered rule kind, across all roles, from the one table in the registry.

Within a chain the engine keeps the collection's entries as one block in rank order, whichever
role wrote them and in whatever order the roles ran. Because every role takes its ranks from
this table, running ``site_policy`` before ``connection_marks`` (or alone) still leaves the
mangle chain in the order the design needs.

Every entry of one kind carries the kind's rank; entries of one kind keep the order of the
intent (the engine orders equal ranks by their position in ``desired``). The rank is part of
the owner tag, so it must not depend on list positions: removing one WAN or site would
otherwise renumber, and rewrite, the tags of every entry after it.
"""

from ansible_collections.multiwan.routeros.plugins.module_utils.registry import RANK_STRIDE as STRIDE, RANKS

__all__ = ["RANKS", "STRIDE", "rank"]


def rank(kind: str) -> int:
    """The rank of every entry of ``kind``."""
    return RANKS[kind][2]
