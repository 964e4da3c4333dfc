# -*- coding: utf-8 -*-
"""Pure parts of the transports: API words, SSH read script and output parsing, script batching."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.multiwan.routeros.plugins.module_utils.engine.errors import TransportError
from ansible_collections.multiwan.routeros.plugins.module_utils.transport.api import command_words
from ansible_collections.multiwan.routeros.plugins.module_utils.transport.base import Command
from ansible_collections.multiwan.routeros.plugins.module_utils.transport.ssh import (
    MARK,
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
    assert ":put [/routing table find where !dynamic]" in script
    assert "find where connect" in script
    assert ":put [/ip settings find" not in script
    assert script.rstrip().endswith('"%send"' % MARK)


def test_parse_read_output_assigns_ids_in_order():
    output = "\r\n".join([
        "%spath /ip/firewall/mangle" % MARK,
        "# 2026-01-01 00:00:00 by RouterOS 7.19",
        '/ip firewall mangle add action=accept chain=forward comment="a b"',
        "/ip firewall mangle add chain=forward",
        "%sids" % MARK,
        "*3;*5",
        "%spath /ip/route" % MARK,
        "/ip route add gateway=10.0.0.1",
        "%sids" % MARK,
        "*80000001",
        "%sconnected" % MARK,
        "10.0.0.0/24 ether1",
        "%spath /ip/settings" % MARK,
        "%send" % MARK,
    ])
    rows = parse_read_output(output, ["/ip/firewall/mangle", "/ip/route", "/ip/settings"])
    assert rows["/ip/firewall/mangle"] == [{"action": "accept", "chain": "forward", "comment": "a b", ".id": "*3"},
                                           {"chain": "forward", ".id": "*5"}]
    assert rows["/ip/route"][1] == {".id": "connected:0", "dst-address": "10.0.0.0/24", "gateway": "ether1",
                                    "connect": "true", "dynamic": "true"}
    assert rows["/ip/settings"] == [{}]


def test_parse_read_output_refuses_misaligned_ids():
    output = "\n".join(["%spath /routing/table" % MARK, "/routing table add name=A", "%sids" % MARK, "*1;*2",
                        "%send" % MARK])
    with pytest.raises(TransportError, match="cannot address"):
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
