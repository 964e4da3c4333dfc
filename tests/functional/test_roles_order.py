"""Roles in any order and any subset end up with ordered chains (ranks from one table).

wan_interfaces and routing_tables create what the other roles reference on RouterOS (the WAN interface
list, the routing tables: hard references a router rejects while they are missing), so they run first; the
rule-writing roles then run in any order and any subset.
"""

import pytest

from rollout_lab import recap, rows, run_playbook, start_routers, write_inventory, writes

pytestmark = pytest.mark.slow

PLAY = """---
- name: Roles in a chosen order
  hosts: multiwan_core
  connection: local
  gather_facts: false
  module_defaults:
    group/multiwan.routeros.routeros:
      hostname: "{{{{ ansible_host }}}}"
      username: "{{{{ ansible_user }}}}"
      password: "{{{{ ansible_password }}}}"
      port: "{{{{ multiwan_api_port }}}}"
      tls: false
  roles:
{roles}
"""


def _playbook(tmp_path, name, roles):
    path = tmp_path / ("%s.yml" % name)
    path.write_text(PLAY.format(roles="".join("    - role: multiwan.routeros.%s\n" % role for role in roles)))
    return str(path)


def _managed(router, path, chain):
    return [row for row in rows(router, path)
            if row.get("chain") == chain and "[mwan:" in row.get("comment", "") and row.get("dynamic") != "true"]


def _assert_designed_order(core):
    prerouting = _managed(core, "/ip/firewall/mangle", "prerouting")
    actions = [row["action"] for row in prerouting]
    routing = [i for i, action in enumerate(actions) if action == "mark-routing"]
    connection = [i for i, action in enumerate(actions) if action == "mark-connection"]
    assert routing and connection
    assert max(connection) < min(routing), actions
    # Inbound marks (in-interface) come before the sites' marks (src-address-list).
    inbound = [i for i, row in enumerate(prerouting) if row.get("action") == "mark-connection" and "in-interface" in row]
    sites = [i for i, row in enumerate(prerouting) if row.get("action") == "mark-connection" and "src-address-list" in row]
    assert inbound and sites and max(inbound) < min(sites)
    forward = [row["action"] for row in _managed(core, "/ip/firewall/filter", "forward")]
    assert forward.index("fasttrack-connection") < forward.index("accept")
    # Managed prerouting rules form one block (no foreign rule inside it).
    block = [row for row in rows(core, "/ip/firewall/mangle") if row.get("chain") == "prerouting" and row.get("dynamic") != "true"]
    tagged = [i for i, row in enumerate(block) if "[mwan:" in row.get("comment", "")]
    assert tagged == list(range(tagged[0], tagged[0] + len(tagged)))


def test_roles_in_reverse_order_give_the_designed_chains(lab_router_factory, tmp_path):
    routers = start_routers(lab_router_factory, ["core"])
    core = routers["core"]
    inventory = write_inventory(str(tmp_path / "inv"), routers)
    order = ["routing_tables", "wan_interfaces", "fasttrack_tuning", "site_policy", "connection_marks"]
    code, out = run_playbook(_playbook(tmp_path, "reverse", order), inventory)
    assert code == 0, out
    _assert_designed_order(core)

    core.control.reset_counters(core.name)
    designed = ["wan_interfaces", "routing_tables", "connection_marks", "site_policy", "fasttrack_tuning"]
    code, out = run_playbook(_playbook(tmp_path, "designed", designed), inventory)
    assert code == 0, out
    assert writes(core) == 0, out
    assert recap(out)["core"]["changed"] == 0


def test_missing_prerequisite_fails_cleanly_and_changes_nothing(lab_router_factory, tmp_path):
    routers = start_routers(lab_router_factory, ["core"])
    core = routers["core"]
    inventory = write_inventory(str(tmp_path / "inv"), routers)
    before = rows(core, "/ip/firewall/mangle")
    core.control.reset_counters(core.name)
    code, out = run_playbook(_playbook(tmp_path, "alone", ["connection_marks"]), inventory)
    assert code != 0
    # The engine finds the missing tables before writing, instead of RouterOS refusing a write.
    assert "names missing /routing/table name=InternetVia" in out, out
    assert "run that first" in out
    assert "input does not match any value of" not in out
    assert writes(core) == 0
    assert rows(core, "/ip/firewall/mangle") == before


def test_subsets_added_later_slot_into_place(lab_router_factory, tmp_path):
    routers = start_routers(lab_router_factory, ["core"])
    core = routers["core"]
    inventory = write_inventory(str(tmp_path / "inv"), routers)
    subsets = (["wan_interfaces", "routing_tables", "connection_marks"], ["fasttrack_tuning"], ["site_policy"])
    for index, subset in enumerate(subsets):
        code, out = run_playbook(_playbook(tmp_path, "subset%d" % index, subset), inventory)
        assert code == 0, out
    _assert_designed_order(core)
