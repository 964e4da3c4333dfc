# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):

    # The attributes every module of the collection shares; each module adds its own check_mode and diff_mode.
    DOCUMENTATION = r'''
attributes:
  action:
    support: full
    description: Runs in the controller's process; the host's connection is never used.
  async:
    support: none
    description: One short session per task; not run in the background.
  platform:
    support: full
    platforms: RouterOS
    description: Runs on the controller and connects to the router itself.
'''
