# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
from hypothesis import given, strategies as st

from ansible_collections.multiwan.routeros.plugins.module_utils.engine import cli, export
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.plan import build_plan

MANGLE = "/ip/firewall/mangle"


def test_quote_only_when_needed():
    assert cli.quote("prerouting") == "prerouting"
    assert cli.quote("10.0.0.0/24") == "10.0.0.0/24"
    assert cli.quote("!local") == "!local"
    assert cli.quote("") == '""'
    assert cli.quote("a b") == '"a b"'
    assert cli.quote('say "hi" $x \\') == '"say \\"hi\\" \\$x \\\\"'
    assert cli.quote("line1\nline2") == '"line1\\nline2"'
    # A trailing newline must be quoted and escaped too, not passed bare (a regex `$` matches before it).
    assert cli.quote("abc\n") == '"abc\\n"'


def test_question_mark_is_escaped_as_routeros_exports_write_it():
    # An unescaped ? in a RouterOS CLI value asks for help instead of being part of the value.
    assert cli.quote("who?") == '"who\\?"'
    assert export.tokenize("add comment=%s" % cli.quote("who?")) == [("word", "add"), ("arg", "comment", "who?")]


@given(st.text(alphabet=st.characters(min_codepoint=1, max_codepoint=0x2ff, blacklist_categories=("Cs",)), max_size=40))
def test_quote_tokenize_round_trip(value):
    tokens = export.tokenize("add comment=%s" % cli.quote(value))
    assert tokens == [("word", "add"), ("arg", "comment", value)]


def test_tokenizer_words_args_and_find_expressions():
    line = '/ip firewall mangle set [find where comment="a [mwan:p:a@1]"] passthrough=no !log fib'
    assert export.tokenize(line) == [
        ("word", "/ip"), ("word", "firewall"), ("word", "mangle"), ("word", "set"),
        ("word", '[find where comment="a [mwan:p:a@1]"]'), ("arg", "passthrough", "no"),
        ("word", "!log"), ("word", "fib"),
    ]


def test_tokenizer_hex_escapes_decode_utf8():
    assert export.tokenize('add comment="caf\\C3\\A9"') == [("word", "add"), ("arg", "comment", "caf\u00e9")]


@pytest.mark.parametrize("line", ['add comment="open', "add x=[find", 'add a=b"c'])
def test_tokenizer_errors(line):
    with pytest.raises(export.CliSyntaxError):
        export.tokenize(line)


COMPACT = """# 2026-01-21 01:17:52 by RouterOS 7.21
# software id = LAB0-0000
#
/routing table
add disabled=no fib name=InternetVia1012
/ip firewall mangle
add action=mark-connection chain=prerouting comment="Return path \\"1012\\" [mwan:cm:return-1012@100]" \\
    connection-mark=no-mark in-interface=VLAN3002 new-connection-mark=CONN_VIA_1012 passthrough=yes
add action=accept chain=forward
/ip firewall connection tracking
set tcp-established-timeout=1h
"""

TERSE = """# 2026-01-21 01:17:52 by RouterOS 7.21
/routing table add disabled=no fib name=InternetVia1012
/ip firewall mangle add action=mark-connection chain=prerouting comment="Return path \\"1012\\" [mwan:cm:return-1012@100]" \
connection-mark=no-mark in-interface=VLAN3002 new-connection-mark=CONN_VIA_1012 passthrough=yes
/ip firewall mangle add action=accept chain=forward
/ip firewall connection tracking set tcp-established-timeout=1h
"""


@pytest.mark.parametrize("text", [COMPACT, TERSE])
def test_export_parser(text):
    rows = export.parse_export(text)
    assert rows["/routing/table"] == [{"disabled": "no", "fib": "", "name": "InternetVia1012"}]
    assert rows[MANGLE][0]["comment"] == 'Return path "1012" [mwan:cm:return-1012@100]'
    assert rows[MANGLE][0]["passthrough"] == "yes"
    assert rows[MANGLE][1] == {"action": "accept", "chain": "forward"}
    assert rows["/ip/firewall/connection/tracking"] == [{"tcp-established-timeout": "1h"}]


def test_render_plan_lines():
    actual = {MANGLE: [
        {".id": "*1", "chain": "prerouting", "action": "accept", "comment": "hand"},
        {".id": "*2", "chain": "prerouting", "action": "accept"},
        {".id": "*3", "chain": "prerouting", "action": "accept", "comment": "x [mwan:p:old@5]"},
    ], "/ip/firewall/connection/tracking": [{"udp-timeout": "10s"}]}
    desired = {MANGLE: [{"_key": "a", "_rank": 1, "chain": "prerouting", "action": "mark-connection",
                         "new-connection-mark": "C 1", "comment": "say \"hi\""}],
               "/ip/firewall/connection/tracking": [{"udp-timeout": "30s"}],
               "/routing/table": [{"name": "T", "fib": True}]}
    plan = build_plan(desired, actual, "p", "overridden")
    assert cli.render(plan.ops, actual) == [
        "/ip firewall connection tracking set udp-timeout=30s",
        '/routing table add comment="[mwan:p:T]" fib name=T',
        '/ip firewall mangle add action=mark-connection chain=prerouting comment="say \\"hi\\" [mwan:p:a@1]" '
        'new-connection-mark="C 1" place-before=[find where comment="hand"]',
        '/ip firewall mangle remove [find where comment="x [mwan:p:old@5]"]',
    ]


def test_render_unset_move_and_id_fallback():
    actual = {MANGLE: [
        {".id": "*1", "chain": "forward", "action": "accept"},
        {".id": "*2", "chain": "forward", "action": "accept", "comment": "[mwan:p:b@2]", "log": "true"},
        {".id": "*3", "chain": "forward", "action": "accept", "comment": "[mwan:p:a@1]"},
    ]}
    desired = {MANGLE: [{"_key": "a", "_rank": 1, "chain": "forward", "action": "accept"},
                        {"_key": "b", "_rank": 2, "chain": "forward", "action": "accept"}]}
    plan = build_plan(desired, actual, "p", "replaced")
    assert cli.render(plan.ops, actual) == [
        '/ip firewall mangle set [find where comment="[mwan:p:b@2]"] log=no',
        '/ip firewall mangle move [find where comment="[mwan:p:a@1]"] destination=[find where comment="[mwan:p:b@2]"]',
    ]
    sel = cli.Selectors(actual)
    assert sel.select(MANGLE, actual[MANGLE][0]) == "*1"
