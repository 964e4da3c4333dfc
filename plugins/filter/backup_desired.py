# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
name: backup_desired
author: multiwan.routeros maintainers
version_added: 0.1.0
short_description: A role's entries in a backup export, as that role's desired state
description:
  - Reads a router's C(/export) (a backup that phase 00 saved) with the collection's export parser and returns the
    entries that carry the owner tag of O(role), in the C(desired) format of M(multiwan.routeros.config).
  - Every path the role writes is in the result (an empty list when the backup has none of the role's entries there),
    so an C(overridden) run with it removes what the role added since the backup. The role's settings (connection
    tracking, for C(fasttrack_tuning)) are taken as the backup has them.
  - C(playbooks/rollback.yml) reconciles each role with it.
positional: role
options:
  _input:
    description: The export text.
    type: str
    required: true
  role:
    description: A role of the collection that reconciles entries, such as C(routing_tables).
    type: str
    required: true
"""

EXAMPLES = r"""
- name: Put the routing tables back as the backup has them
  multiwan.routeros.config:
    owner: routing_tables
    state: overridden
    desired: "{{ lookup('ansible.builtin.file', 'backups/core/core-20260121T011752Z.rsc') | multiwan.routeros.backup_desired('routing_tables') }}"
"""

RETURN = r"""
_value:
  description: Menu path -> the role's entries in the backup.
  type: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.multiwan.routeros.plugins.module_utils.backup_desired import backup_desired as _backup_desired


def backup_desired(text, role):
    if not isinstance(text, str):
        raise AnsibleFilterError("backup_desired: the input must be the text of an /export, got %s" % type(text).__name__)
    try:
        return _backup_desired(text, role)
    except ValueError as exc:
        raise AnsibleFilterError("backup_desired: %s" % exc) from exc


class FilterModule(object):
    def filters(self):
        return {"backup_desired": backup_desired}
