# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The backup's files on the controller: ``<folder>/<name>-<UTC timestamp>.rsc``, the oldest beyond a count removed.

The facts module writes them itself (it always runs on the controller): a backup costs one task, not one module
process per file operation. The folder is private (0700) and every export too (0600): an export holds the router's
whole configuration.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import os

STAMP = "%Y%m%dT%H%M%SZ"


def export_path(folder, name, now):
    """Where the export taken at ``now`` (UTC) goes: the timestamp sorts the files of one router by age."""
    return os.path.join(folder, "%s-%s.rsc" % (name, now.strftime(STAMP)))


def save_export(folder, name, text, now):
    """Write ``text`` to a new export file of ``name`` in ``folder`` (created when missing); its path."""
    os.makedirs(folder, mode=0o700, exist_ok=True)
    os.chmod(folder, 0o700)
    path = export_path(folder, name, now)
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
    os.chmod(path, 0o600)
    return path


def prune_exports(folder, name, keep):
    """Remove the oldest exports of ``name`` in ``folder`` beyond the newest ``keep``; the paths removed."""
    existing = sorted(glob.glob(os.path.join(glob.escape(folder), glob.escape(name) + "-*.rsc")))
    removed = existing[:-keep] if keep > 0 else []
    for path in removed:
        os.remove(path)
    return removed
