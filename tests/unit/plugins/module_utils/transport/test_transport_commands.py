# -*- coding: utf-8 -*-
"""Pure parts of the transports: API words, SSH read script and output parsing, script batching."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.multiwan.routeros.plugins.module_utils.transport.api import command_words
from ansible_collections.multiwan.routeros.plugins.module_utils.transport.base import Command
from ansible_collections.multiwan.routeros.plugins.module_utils.transport.ssh import (
    MARK,
    TableChangedError,
    looks_like_error,
    parse_read_output,
    read_script,
    split_scripts,
)


def test_api_add_with_place_before_and_switch():
    cmd = Command("/routing/table", "add", fields={"name": "T", "fib": "yes", "comment": "[mwan:t:T]"})
    assert command_words(cmd) == ("/routing/table/add", ["=comment=[mwan:t:T]", "=fib=", "=name=T"])
    cmd = Command("/ip/firewall/mangle", "add", fields={"chain": "forward"}, place_before="*5")
    assert command_words(cmd) == ("/ip/firewall/mangle/add", ["=chain=forward", "=place-before=*5"])


def test_api_set_unset_remove_move_and_singleton():
    cmd = Command("/ip/firewall/mangle", "set", id="*3", fields={"log": "no", "src-address": None})
    assert command_words(cmd) == ("/ip/firewall/mangle/set", ["=.id=*3", "=log=no", "=!src-address="])
    assert command_words(Command("/ip/settings", "set", fields={"rp-filter": "loose"})) == (
        "/ip/settings/set", ["=rp-filter=loose"])
    assert command_words(Command("/ip/route", "remove", id="*80000001")) == ("/ip/route/remove", ["=.id=*80000001"])
    assert command_words(Command("/ip/firewall/nat", "move", id="*2", destination="*1")) == (
        "/ip/firewall/nat/move", ["=numbers=*2", "=destination=*1"])
    assert command_words(Command("/ip/firewall/nat", "move", id="*2")) == ("/ip/firewall/nat/move", ["=numbers=*2"])


def test_read_script_covers_every_path():
    script = read_script(["/routing/table", "/ip/route", "/ip/settings"])
    assert "/routing table export terse" in script
    # the ids are listed before and after the export, so a change in between is seen
    table = script.split('"%spath /ip/route"' % MARK, maxsplit=1)[0]
    assert table.count(":put [/routing table find where !dynamic]") == 2
    assert table.index("find where !dynamic") < table.index("export terse") < table.rindex("find where !dynamic")
    assert "find where connect" in script
    assert ":put [/ip settings find" not in script
    assert script.rstrip().endswith('"%send"' % MARK)


def _section(path, ids, export, ids_after=None, connected=None):
    lines = ["%spath %s" % (MARK, path)]
    if ids is not None:
        lines += ["%sids" % MARK, ids]
    lines += ["%sexport" % MARK] + export
    if ids is not None:
        lines += ["%sids-after" % MARK, ids if ids_after is None else ids_after]
    if connected:
        lines += ["%sconnected" % MARK] + connected
    return lines


def test_parse_read_output_assigns_ids_in_order():
    output = "\r\n".join(
        _section("/ip/firewall/mangle", "*3;*5", [
            "# 2026-01-01 00:00:00 by RouterOS 7.19",
            '/ip firewall mangle add action=accept chain=forward comment="a b"',
            "/ip firewall mangle add chain=forward"])
        + _section("/ip/route", "*80000001", ["/ip route add gateway=10.0.0.1"], connected=["10.0.0.0/24 ether1"])
        + _section("/ip/settings", None, [])
        + ["%send" % MARK])
    rows = parse_read_output(output, ["/ip/firewall/mangle", "/ip/route", "/ip/settings"])
    assert rows["/ip/firewall/mangle"] == [{"action": "accept", "chain": "forward", "comment": "a b", ".id": "*3"},
                                           {"chain": "forward", ".id": "*5"}]
    assert rows["/ip/route"][1] == {".id": "connected:0", "dst-address": "10.0.0.0/24", "gateway": "ether1",
                                    "connect": "true", "dynamic": "true"}
    assert rows["/ip/settings"] == [{}]


@pytest.mark.parametrize("ids,names,ids_after", [
    ("*1;*2", "A", "*1;*2"),      # more ids than rows
    ("*1", "A", "*2"),            # the same count, another entry: replaced while it was read
    ("*1;*2", "AB", "*2;*1"),     # the same entries, moved while it was read
])
def test_parse_read_output_refuses_ids_that_do_not_pair_with_the_rows(ids, names, ids_after):
    export = ["/routing table add name=%s" % name for name in names]
    output = "\n".join(_section("/routing/table", ids, export, ids_after) + ["%send" % MARK])
    with pytest.raises(TableChangedError, match="cannot be paired"):
        parse_read_output(output, ["/routing/table"])


def test_split_scripts_keeps_markers_and_size_limit():
    lines = [(i, "/ip firewall address-list add address=10.0.%d.0/24 list=L" % i) for i in range(100)]
    batches = split_scripts(lines, limit=1000)
    assert len(batches) > 1
    assert all(sum(len(piece) for _i, piece in b) <= 1000 for b in batches)
    assert [i for b in batches for i, _p in b] == list(range(100))
    assert batches[0][0][1].endswith('\n:put "%sok 0"\n' % MARK)


@pytest.mark.parametrize("text,error", [
    ("failure: already have such entry", True),
    ("input does not match any value of routing-table", True),
    ("expected end of command (line 1 column 40)", True),
    ("MikroTik", False),
])
def test_error_texts(text, error):
    assert looks_like_error(text) is error
