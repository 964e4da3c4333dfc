# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The run_dir lookup: paths resolve against the process's working directory, never $PWD."""

import os

from ansible_collections.multiwan.routeros.plugins.lookup.run_dir import LookupModule, resolve


def test_resolve_keeps_absolute_paths_and_anchors_relative_ones():
    assert resolve("/srv/backups", "/home/ops/project") == "/srv/backups"
    assert resolve("backups", "/home/ops/project") == "/home/ops/project/backups"
    assert resolve("a/../exports/./x", "/home/ops/project") == "/home/ops/project/exports/x"
    assert resolve("../shared", "/home/ops/project") == "/home/ops/shared"


def test_resolve_expands_the_home_directory(monkeypatch):
    monkeypatch.setenv("HOME", "/home/ops")
    assert resolve("~/backups", "/elsewhere") == "/home/ops/backups"


def test_lookup_uses_the_working_directory_not_pwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    # A stale or absent PWD (AWX, subprocesses started with a cleaned environment) must not matter.
    monkeypatch.setenv("PWD", "/nonexistent")
    lookup = LookupModule()
    here = os.getcwd()
    assert lookup.run([], variables={}) == [here]
    assert lookup.run(["backups", "/abs/dir"], variables={}) == [os.path.join(here, "backups"), "/abs/dir"]
