# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""fasttrack_tuning: the worked example's file 6, with marked connections never fasttracked."""

from multiwan_samples import core, edge

from ansible_collections.multiwan.routeros.plugins.module_utils.compile.fasttrack_tuning import compile_fasttrack_tuning
from ansible_collections.multiwan.routeros.plugins.module_utils.compile.ranks import rank
from ansible_collections.multiwan.routeros.plugins.module_utils.intent.validate import common_intent, core_intent, edge_intent


def test_fasttrack_only_unmarked_then_accept():
    desired = compile_fasttrack_tuning(core_intent(core()))
    fasttrack, accept = desired["/ip/firewall/filter"]
    assert fasttrack["action"] == "fasttrack-connection"
    assert fasttrack["connection-state"] == "established,related"
    assert fasttrack["connection-mark"] == "no-mark"
    assert fasttrack["hw-offload"] is True
    assert accept["action"] == "accept" and accept["connection-state"] == "established,related"
    assert fasttrack["chain"] == accept["chain"] == "forward"
    assert fasttrack["_rank"] == rank("fasttrack") < accept["_rank"] == rank("accept_established")


def test_conntrack_settings_use_routeros_names():
    desired = compile_fasttrack_tuning(core_intent(core()))
    assert desired["/ip/firewall/connection/tracking"] == [{"tcp-established-timeout": "1d", "udp-timeout": "30s"}]


def test_hw_offload_off_and_fasttrack_disabled():
    off = compile_fasttrack_tuning(common_intent({"multiwan_fasttrack": {"hw_offload": False}}))
    # Left out rather than "no": RouterOS 7.22 has no hw-offload argument at all.
    assert "hw-offload" not in off["/ip/firewall/filter"][0]
    assert compile_fasttrack_tuning(common_intent({"multiwan_fasttrack": {"enabled": False}})) == {}


def test_edge_routers_get_the_same_rules():
    assert compile_fasttrack_tuning(edge_intent(edge())) == compile_fasttrack_tuning(common_intent({}))
