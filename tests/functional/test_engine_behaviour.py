"""What an entry does counts, not only that it exists; and a copied owner tag never removes an entry silently.

Against the lab router through both transports (librouteros, paramiko).
"""

import pytest

from ansible_collections.multiwan.routeros.plugins.module_utils.engine.errors import PlanError
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.device.run import reconcile

from engine_support import TRANSPORTS, open_lab, rows, writes

ALIST = "/ip/firewall/address-list"
MEMBER = "/interface/list/member"
SITE = {"list": "SITES_USE_1012", "address": "10.11.2.0/24", "comment": "Site glenmore uses 1012"}


@pytest.fixture(params=TRANSPORTS)
def kind(request):
    return request.param


def run(lab, kind, desired, check_mode=False, **kwargs):
    transport = open_lab(lab, kind)
    try:
        return reconcile(transport, desired, "site_policy", "overridden", check_mode=check_mode, **kwargs)
    finally:
        transport.close()


def test_a_disabled_hand_made_list_entry_is_a_conflict_not_already_present(lab_router, kind):
    lab_router.control.cli("/ip firewall address-list add list=SITES_USE_1012 address=10.11.2.0/24 disabled=yes")
    lab_router.control.reset_counters()
    for check_mode in (True, False):
        with pytest.raises(PlanError) as err:
            run(lab_router, kind, {ALIST: [dict(SITE)]}, check_mode=check_mode)
        assert "disabled=yes (wanted no)" in str(err.value) and "adopt" in str(err.value)
    assert writes(lab_router) == 0


def test_a_disabled_hand_made_list_entry_is_adopted_and_enabled(lab_router, kind):
    lab_router.control.cli("/ip firewall address-list add list=SITES_USE_1012 address=10.11.2.0/24 disabled=yes")
    lab_router.control.reset_counters()
    planned = run(lab_router, kind, {ALIST: [dict(SITE)]}, check_mode=True, adopt=[ALIST])
    assert writes(lab_router) == 0
    assert [(op["op"], op["fields"].get("disabled")) for op in planned["plan"]] == [("set", "no")]
    applied = run(lab_router, kind, {ALIST: [dict(SITE)]}, adopt=[ALIST])
    assert applied["plan"] == planned["plan"]
    listed = [row for row in rows(lab_router, ALIST) if row.get("list") == "SITES_USE_1012"]
    assert [row.get("disabled") for row in listed] == ["false"]
    lab_router.control.reset_counters()
    assert run(lab_router, kind, {ALIST: [dict(SITE)]}, adopt=[ALIST])["changed"] is False
    assert writes(lab_router) == 0


def test_a_disabled_member_of_the_wan_list_is_a_conflict(lab_router, kind):
    lab_router.control.cli("/interface list add name=WAN")
    lab_router.control.cli("/interface list member add list=WAN interface=ether1 disabled=yes")
    lab_router.control.reset_counters()
    with pytest.raises(PlanError) as err:
        run(lab_router, kind, {MEMBER: [{"list": "WAN", "interface": "ether1"}]})
    assert "disabled=yes (wanted no)" in str(err.value)
    assert writes(lab_router) == 0


def test_an_own_entry_disabled_by_hand_is_enabled_again(lab_router, kind):
    run(lab_router, kind, {ALIST: [dict(SITE)]})
    lab_router.control.cli('/ip firewall address-list set [find where list="SITES_USE_1012"] disabled=yes')
    again = run(lab_router, kind, {ALIST: [dict(SITE)]}, check_mode=True)
    assert [(op["op"], op["fields"]) for op in again["plan"]] == [("set", {"disabled": "no"})]
    run(lab_router, kind, {ALIST: [dict(SITE)]})
    assert [row.get("disabled") for row in rows(lab_router, ALIST) if row.get("list") == "SITES_USE_1012"] == ["false"]


def test_an_entry_with_a_copied_owner_tag_is_reported_before_it_goes(lab_router, kind):
    run(lab_router, kind, {ALIST: [dict(SITE)]})
    managed = [row for row in rows(lab_router, ALIST) if row.get("list") == "SITES_USE_1012"][0]
    lab_router.control.cli('/ip firewall address-list add list=HAND address=10.9.9.0/24 comment="%s"' % managed["comment"])
    lab_router.control.reset_counters()
    planned = run(lab_router, kind, {ALIST: [dict(SITE)]}, check_mode=True)
    assert writes(lab_router) == 0
    assert [(op["op"], op.get("copied_tag")) for op in planned["plan"]] == [("remove", True)]
    assert [w for w in planned["warnings"] if "copied or forged" in w and "list=HAND" in w]
    applied = run(lab_router, kind, {ALIST: [dict(SITE)]})
    assert [w for w in applied["warnings"] if "copied or forged" in w]
    assert not [row for row in rows(lab_router, ALIST) if row.get("list") == "HAND"]
    assert run(lab_router, kind, {ALIST: [dict(SITE)]})["changed"] is False
