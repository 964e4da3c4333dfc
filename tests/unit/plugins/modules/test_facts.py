"""The facts module refuses bad input before it opens any connection."""

from __future__ import annotations

import json

import pytest

from ansible.module_utils.testing import patch_module_args

from ansible_collections.multiwan.routeros.plugins.modules import facts


def run_module(capsys, args):
    with patch_module_args(args):
        with pytest.raises(SystemExit) as exit_info:
            facts.main()
    return exit_info.value.code, json.loads(capsys.readouterr().out)


def test_missing_connection_options_fail_before_connecting(capsys):
    code, result = run_module(capsys, {"gather": ["identity"]})
    assert code == 1
    assert result["failed"] is True
    assert result["msg"] == "missing required arguments: hostname, username"


def test_unknown_gather_item_is_rejected(capsys):
    code, result = run_module(capsys, {"hostname": "192.0.2.1", "username": "admin", "gather": ["routes"]})
    assert code == 1
    assert "gather" in result["msg"] and "routes" in result["msg"]


def test_unreachable_router_names_the_host(capsys):
    # 127.0.0.1 port 9 (discard) is closed here: the connection is refused at once.
    code, result = run_module(capsys, {"hostname": "127.0.0.1", "username": "admin", "password": "x",
                                       "port": 9, "timeout": 2})
    assert code == 1
    assert result["msg"].startswith("127.0.0.1: ")
    assert "x" not in result.get("invocation", {}).get("module_args", {}).get("password", "")


def test_a_backup_folder_needs_the_backup_name(capsys):
    code, result = run_module(capsys, {"hostname": "192.0.2.1", "username": "admin", "backup_dir": "/tmp/unused"})
    assert code == 1
    assert "backup_name" in result["msg"]


def test_a_negative_backup_keep_fails_before_connecting(capsys):
    code, result = run_module(capsys, {"hostname": "192.0.2.1", "username": "admin", "backup_dir": "/tmp/unused",
                                       "backup_name": "core", "backup_keep": -1})
    assert code == 1
    assert result["msg"] == "backup_keep must be 0 (keep every export) or a positive number (got -1)"
