# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: config
short_description: Reconcile RouterOS menus with a desired state, touching only what the collection owns
version_added: 0.1.0
description:
  - Reads every menu path of O(desired) once, computes a plan (add, set, remove, move) and applies it over
    one connection, with tagged pipelined writes over the API or CLI lines over SSH.
  - Entries the module writes carry an owner tag at the end of their comment, C([mwan:<owner>:<key>])
    (C([mwan:<owner>:<key>@<rank>]) on ordered paths). Entries without a tag (hand-made rules, defconf) are
    never modified, moved relative to each other or removed unless the path is listed in O(adopt) or
    O(purge). Dynamic and builtin entries are invisible to the plan.
  - Values are compared semantically (V(yes)/V(true), C(/32), C(1d)/C(24h), comma sets, printed defaults),
    so a second run with the same input reports no change and sends no write.
  - In firewall chains the collection's entries form one block in C(_rank) order. New entries are
    inserted with C(place-before); misplaced ones are fixed with the fewest C(move) calls.
  - When a write fails, the writes already applied are undone from the state read before the run, and the
    error names the entry, the operation and RouterOS's message. After a successful apply the state is read
    back and compared with O(desired).
author:
  - multiwan.routeros maintainers (@multiwan)
extends_documentation_fragment:
  - multiwan.routeros.connection
  - multiwan.routeros.attributes
attributes:
  check_mode:
    support: full
    description: Computes the full plan and the commands; writes nothing.
  diff_mode:
    support: full
    description: Returns a before/after text per entry.
options:
  desired:
    description:
      - Mapping of RouterOS menu path (API form, for example C(/ip/firewall/mangle)) to a list of entries.
      - An entry maps RouterOS field names (as RouterOS prints them) to values, plus the meta keys
        C(_key) (identity on paths without a natural key), C(_rank) (order on firewall and routing rule paths)
        and C(_gateway) (V(connected) on C(/ip/route) to take the gateway from the router's connected route
        containing the entry's C(dst-address)).
      - C(comment) is the human description; the module appends the owner tag.
      - A field the schema does not know is passed through with a warning.
    type: dict
    default: {}
  owner:
    description:
      - The scope of ownership, usually the role name. Only entries tagged with this owner are changed or removed.
    type: str
    required: true
  state:
    description:
      - V(merged) adds missing entries and sets the fields the desired entries specify.
      - V(replaced) also resets fields the desired entries do not specify to their defaults.
      - V(overridden) is V(replaced) plus removal of this owner's entries that are not desired, in every path of
        O(desired) and O(paths).
      - V(deleted) removes this owner's entries matching O(desired), or all of them in the paths of O(paths)
        and of O(desired) paths with an empty list.
      - V(gathered) returns this owner's entries in O(desired) format, and the foreign entries.
      - V(rendered) returns the commands that build O(desired) on an empty router, without connecting.
      - V(parsed) turns O(running_config) (C(/export) text) into O(desired) format, without connecting.
    type: str
    default: merged
    choices: [merged, replaced, overridden, deleted, gathered, rendered, parsed]
  adopt:
    description:
      - Paths where a desired entry without a tagged match takes over an untagged entry with the same
        identity fields (natural key, or for firewall rules chain, action and every matcher) instead of adding
        a duplicate.
    type: list
    elements: str
    default: []
  purge:
    description:
      - Mapping of path to a field filter; untagged, non-dynamic entries of that path matching every field of the
        filter are removed. An empty filter matches every untagged entry of the path.
    type: dict
    default: {}
  paths:
    description:
      - Extra paths to cover without desired entries (for V(gathered), V(deleted) and V(overridden)).
    type: list
    elements: str
    default: []
  placement:
    description:
      - Mapping of ordered path to V(append) to put a chain's new block at the end of the chain instead of
        before its first hand-made rule.
    type: dict
    default: {}
  running_config:
    description:
      - C(/export) text for O(state=parsed).
    type: str
  from_intent:
    description:
      - Compile O(desired) from the host's intent variables, for the role O(owner), as the
        P(multiwan.routeros.intent#lookup) lookup and the P(multiwan.routeros.desired_state#filter) filter would, without
        passing it through Jinja (which costs a pass over every value of a large intent). The action plugin takes it
        from the fact C(multiwan_compiled) of M(multiwan.routeros.compile) while the host's intent is unchanged, and
        compiles it otherwise; invalid intent fails the task, naming every problem, before any connection.
      - With O(desired) too, its entries are added to the compiled ones, path by path (entries the role keeps besides
        its intent, such as foreign rules it adopts).
      - The compiled intent also adds to O(adopt) the paths the role takes over besides (a DHCP WAN's client for
        C(routing_tables)) and fills O(require) in when the task leaves it unset (a PPPoE WAN's client for
        C(wan_interfaces)).
      - Only through the action plugin (the module itself has no host variables).
    type: bool
    default: false
  pending:
    description:
      - Check mode only (ignored otherwise) the RV(plan) results of earlier check-mode runs of the same rollout, in
        the order they ran. The run plans as if those operations had been applied, so that in a check run each
        phase plans exactly what it will do in the apply run, although the earlier phases wrote nothing.
      - With O(gate), a check run that does not pass it plans on the fact C(multiwan_pending_plan), which the gates of
        the earlier phases built.
      - Without it, a check-mode run only warns about references to missing objects (an earlier phase that did
        not run would create them); with it (even empty), they fail the run as they will fail the apply run.
    type: list
    elements: dict
  detail:
    description:
      - Return every operation of RV(plan) and RV(deferred) in full (its fields, the entry before and after, its
        position) also in an apply run without diff mode.
      - By default only check mode (whose plan later phases take as O(pending)) and diff mode return them in full; an
        apply run returns each operation as C(op), C(path), C(key), C(id) and its flags, which keeps the result of a
        large reconcile small (Ansible scans every value of a result for secrets). RV(commands) is always complete.
    type: bool
    default: false
  gate:
    description:
      - The name of the rollout phase this run is the reconcile of (for example C(20_routing_tables)); the task is
        also the phase's gate. It fails, with a message starting C(STOP:), unless the run converged (RV(converged));
        when it did, it prints the verdict and the phase's commands, appends the phase's counts to the fact
        C(multiwan_phase_summary) and, in check mode, its plan to the fact C(multiwan_pending_plan), on which the next
        phases plan (O(pending)). It publishes the run summary so far as the statistic C(multiwan_summary) (the counts
        per phase, for AWX) and, when the variable C(multiwan_summary_dir) is set, writes it to
        C(<multiwan_summary_dir>/<host>.json) (a write that fails is a warning).
      - The phase playbooks set it for the role of each gated phase (the phase's C(module_defaults)); a role run alone
        leaves it unset.
    type: str
  require:
    description:
      - Entries that must already be on the router, whoever owns them (none of this run's business to create), as a
        mapping of path to a list of field mappings (for example, path C(/interface/pppoe-client) with one entry whose
        C(name) is C(pppoe-out1)).
        Their paths are read with the owner's, in the same read. When no row of its path has every field of an entry,
        the task fails before planning, nothing written, with the entry's C(_why) (its own message) or the entry as a
        CLI line.
      - With O(from_intent), the action plugin fills it in from the compiled intent (the wan_interfaces role requires
        the PPPoE client of each WAN with C(gateway_from=pppoe)).
    type: dict
  transit_srcnat:
    description:
      - An edge router's C(multiwan_edge) mapping (C(transit_interface) required). The router's foreign source-NAT rules
        that would hide forwarded clients from the core are found in the run's own read (C(/ip/firewall/nat) and
        C(/interface/list/member)), as the P(multiwan.routeros.transit_srcnat_offenders#filter) filter finds them.
      - The rules this O(owner) adopted disabled earlier (keyed C(transit-srcnat-)) stay in its desired state. With
        C(fix_transit_srcnat=true) in the mapping, the rules found now are adopted disabled (C(/ip/firewall/nat) is
        adopted); without it they are left as they are, with a warning naming each.
      - RV(transit_srcnat) lists them. The port_forward_nosrcnat role sets it.
    type: dict
notes:
  - One module run is one connection and one read per path, so a role should pass all its paths in one task.
seealso:
  - name: Architecture and owner tag format
    description: docs/architecture.md and docs/engine.md in the collection.
    link: https://github.com/multiwan/routeros/tree/main/docs
'''

EXAMPLES = r'''
- name: Return-path marks, owned by the connection_marks role
  multiwan.routeros.config:
    hostname: "{{ ansible_host }}"
    username: "{{ ansible_user }}"
    password: "{{ ansible_password }}"
    owner: connection_marks
    state: overridden
    desired:
      /routing/table:
        - name: InternetVia1012
          fib: true
      /ip/firewall/mangle:
        - _key: return-1012
          _rank: 100
          chain: prerouting
          in-interface: VLAN3002
          connection-mark: no-mark
          action: mark-connection
          new-connection-mark: CONN_VIA_1012
          passthrough: true
          comment: Return path via 1012

- name: Review the commands without a device
  multiwan.routeros.config:
    owner: connection_marks
    state: rendered
    desired:
      /ip/firewall/address-list:
        - list: INTERNAL
          address: 10.11.0.0/16
  register: rendered

- name: Take over a hand-made srcnat rule and disable it
  multiwan.routeros.config:
    hostname: "{{ ansible_host }}"
    username: "{{ ansible_user }}"
    password: "{{ ansible_password }}"
    owner: edge
    adopt: [/ip/firewall/nat]
    desired:
      /ip/firewall/nat:
        - _key: transit-masquerade
          _rank: 900
          chain: srcnat
          action: masquerade
          out-interface: sfp-sfpplus1
          disabled: true
'''

RETURN = r'''
changed:
  description: Whether the plan had operations (in check mode, whether a real run would change the router).
  returned: always
  type: bool
plan:
  description:
    - The operations, in execution order, with the entry's fields before and after.
    - In an apply run without diff mode and without O(detail), each operation has only C(op), C(path), C(key), C(id)
      and its flags.
  returned: always
  type: list
  elements: dict
  contains:
    op:
      description: V(add), V(set), V(remove) or V(move).
      type: str
    path:
      description: Menu path.
      type: str
    key:
      description: The entry's key inside its owner and path.
      type: str
    id:
      description: RouterOS item id of an existing entry.
      type: str
    fields:
      description: Fields written (V(null) = unset).
      type: dict
    before:
      description: The entry's configuration before.
      type: dict
    after:
      description: The entry's predicted configuration after.
      type: dict
    handle:
      description:
        - On V(add), the placeholder id C(new:<owner>:<key>) under which check mode predicts the new entry (later
          runs given this plan as O(pending) address it by this id).
      type: str
    copied_tag:
      description:
        - On V(remove), V(true) when the entry goes because it carries a copied or forged owner tag (the tag of
          another entry); a warning names both.
      type: bool
deferred:
  description:
    - Removals the run left for later because entries that stay still name the object (a routing table that a
      mark-routing rule of another owner uses). They are not in RV(plan) and were not run; a later run removes the
      object once nothing names it, and a warning lists the entries that name it.
  returned: when the router was read (not for O(state=rendered) or O(state=parsed))
  type: list
  elements: dict
converged:
  description:
    - The run verified itself in the same connection. Apply mode, after writing, read the router back and planned
      again, and nothing was left (a run that finds something left fails, naming it). Check mode planned again from
      the router as RV(plan) would leave it, and nothing was left. The phase playbooks' gates judge this, without a
      second read of the router.
  returned: when the router was read for a plan (not for O(state=gathered), O(state=rendered) or O(state=parsed))
  type: bool
still_to_do:
  description: When RV(converged) is false (check mode), the operations planning again found, as RouterOS CLI lines.
  returned: when RV(converged) is returned
  type: list
  elements: str
commands:
  description: The plan as RouterOS CLI lines (the lines the SSH transport executes).
  returned: always
  type: list
  elements: str
  sample:
    - /ip firewall mangle add action=mark-connection chain=prerouting comment="Return path via 1012 [mwan:connection_marks:return-1012@100]"
stats:
  description:
    - What the run cost as seen by the client, C(round_trips) (waits for the router, login included), C(reads)
      (paths read) and C(writes) (commands sent).
  returned: when a device was contacted
  type: dict
  sample: {"round_trips": 3, "reads": 2, "writes": 0}
transit_srcnat:
  description: With O(transit_srcnat), the foreign source-NAT rules toward the core the run found, each with its C(id)
    and the C(reason).
  returned: with O(transit_srcnat), when the router was read for a plan
  type: list
  elements: dict
transit_srcnat_fixed:
  description: With O(transit_srcnat), whether the run adopts them disabled (C(fix_transit_srcnat)).
  returned: with O(transit_srcnat), when the router was read for a plan
  type: bool
gathered:
  description: This owner's entries in O(desired) format.
  returned: when O(state=gathered)
  type: dict
foreign:
  description: Per path, the untagged non-dynamic rows as RouterOS prints them (with C(.id)).
  returned: when O(state=gathered)
  type: dict
rendered:
  description: The commands that build O(desired) on an empty router.
  returned: when O(state=rendered)
  type: list
  elements: str
parsed:
  description: O(running_config) in O(desired) format.
  returned: when O(state=parsed)
  type: dict
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.multiwan.routeros.plugins.module_utils.runs import config_spec, exit_module, run_config


def main():
    argument_spec, constraints = config_spec()
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True, **constraints)
    exit_module(module, run_config(module.params, module.check_mode, module._diff))


if __name__ == "__main__":
    main()
