# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The compiler's output is what the engine accepts as ``desired``: known paths and fields,
keys and ranks where needed, no duplicate identities, for every role and load-balancing method."""

import pytest

from multiwan_samples import core, edge

from ansible_collections.multiwan.routeros.plugins.module_utils.compile.dispatch import ROLES, desired_state
from ansible_collections.multiwan.routeros.plugins.module_utils.compile.transit_srcnat import transit_srcnat_offenders
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.desired import prepare_desired

VARIANTS = {
    "worked_example": core(),
    "routes": core(multiwan_internal_strategy="routes",
                   multiwan_internal_networks=[{"dst": "10.11.0.0/16", "gateway": "10.11.255.1"}, "192.168.0.0/17"],
                   multiwan_lan_interfaces=["bridge"]),
    "pcc": core(multiwan_load_balancing={"method": "pcc", "wans": ["1012", "1000"]}),
    "nth": core(multiwan_load_balancing={"method": "nth", "wans": ["1012", "1000", "VVG"]}),
    "ecmp": core(multiwan_load_balancing={"method": "ecmp", "wans": ["1012", "1000"]}),
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("role", sorted(r for r, (kind, _f) in ROLES.items() if kind != "edge"))
def test_core_roles_are_valid_engine_input(role, variant):
    _entries, warnings = prepare_desired(desired_state(VARIANTS[variant], role), role)
    assert warnings == []


def test_edge_role_and_adopted_offenders_are_valid_engine_input():
    desired = desired_state(edge(), "port_forward_nosrcnat")
    rows = [{".id": "*3", "chain": "srcnat", "action": "masquerade", "bytes": "10", "packets": "1", "dynamic": "false",
             "invalid": "false", "comment": "defconf: masquerade"}]
    desired["/ip/firewall/nat"] += [found["entry"] for found in transit_srcnat_offenders(rows, edge()["multiwan_edge"])]
    _entries, warnings = prepare_desired(desired, "port_forward_nosrcnat")
    assert warnings == []
