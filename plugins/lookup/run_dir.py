# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: run_dir
author: multiwan.routeros maintainers (@multiwan-routeros)
version_added: 0.1.0
short_description: Resolve controller paths against the directory ansible-playbook was started from
description:
  - Returns the directory ansible-playbook was started from (the controller's current working directory), or each
    given path made absolute against it. An absolute path is kept, C(~) is expanded, C(.) and C(..) are resolved.
  - A relative path never resolves against C(playbook_dir) or a role's folder, so nothing lands inside the
    playbooks', the roles' or the collection's own folders.
  - Reads the process's working directory, not the E(PWD) environment variable, which AWX and some runners do not set.
options:
  _terms:
    description:
      - Controller paths to resolve. None returns the directory itself.
    type: list
    elements: path
    required: false
"""

EXAMPLES = r"""
- name: Save next to where the run was started (backups/ under the current directory)
  ansible.builtin.set_fact:
    backup_folder: "{{ lookup('multiwan.routeros.run_dir', 'backups') }}"

- name: The directory itself
  ansible.builtin.debug:
    msg: "{{ lookup('multiwan.routeros.run_dir') }}"
"""

RETURN = r"""
_raw:
  description: The directory the run was started from, or one absolute path per term.
  type: list
  elements: path
"""

import os

from ansible.plugins.lookup import LookupBase


def resolve(path, base):
    """``path`` as an absolute, normalised path; a relative one is taken relative to ``base``."""
    expanded = os.path.expanduser(path)
    return os.path.normpath(expanded if os.path.isabs(expanded) else os.path.join(base, expanded))


class LookupModule(LookupBase):

    def run(self, terms, variables=None, **kwargs):
        # The worker processes inherit the working directory ansible-playbook was started in and never change it.
        base = os.getcwd()
        if not terms:
            return [base]
        return [resolve(str(term), base) for term in terms]
