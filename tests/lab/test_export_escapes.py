"""Values with newlines and control characters survive /export -> /import, in every export form.

RouterOS prints such values quoted with escapes (``\\n``, ``\\r``, ``\\t``, ``\\?``, ``\\$``, ``\\"``,
``\\\\``, ``\\HH``), so an export never carries a raw control character and a wrapped line is never
cut inside an escape. Both routers are reached through librouteros: the export goes to a file on
the first, is read back, written as a file on the second and imported there.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routeros_lab.pytest_plugin import LabFactory

from cli_helpers import body, ssh_client, ssh_exec

FORMS = {"compact": {}, "terse": {"terse": True}, "verbose": {"verbose": True}}
ENTRY = {"list": "L", "address": "10.0.0.0/8"}
# Arbitrary text, assembled from plain words, the characters that need escapes and any character at
# all, so that escapes meet each other, plain text and line wraps often.
COMMENTS = st.lists(st.one_of(st.from_regex(r"[A-Za-z0-9_.,:/-]{1,30}", fullmatch=True), st.sampled_from(list('\n\r\t "\\$?')),
                              st.characters(blacklist_categories=("Cs",))), max_size=20).map("".join)


def _contents(api, name):
    return [r for r in api.path("file") if r.get("name") == name][0]["contents"]


def _clear(api):
    """Remove every address-list entry and file (what an earlier export or import left)."""
    for path in (("ip", "firewall", "address-list"), ("file",)):
        menu = api.path(*path)
        ids = [r[".id"] for r in menu]
        if ids:
            menu.remove(*ids)


def _export(api, form):
    """The export of /ip firewall address-list in one form, written to a file and read back."""
    tuple(api("/ip/firewall/address-list/export", file="out", **FORMS[form]))
    return _contents(api, "out.rsc")


def _import(api, text):
    """Replace the address lists with what the script builds; the comments that result."""
    _clear(api)
    api.path("file").add(name="in.rsc", contents=text)
    tuple(api("/import", **{"file-name": "in.rsc"}))
    return [r.get("comment") for r in api.path("ip", "firewall", "address-list")]


def _logical_lines(text):
    """The export's command lines with the `` \\`` / ``\\`` continuations joined back."""
    lines = []
    for line in text.split("\n"):
        if lines and lines[-1].endswith("\\"):
            lines[-1] = lines[-1][:-1] + line.lstrip(" ")
        else:
            lines.append(line)
    return lines


def _printable(text):
    return all(0x20 <= ord(ch) < 0x7F for line in text.split("\n") for ch in line)


def test_a_comment_that_is_one_newline_round_trips_in_every_export_form(lab_router_factory):
    source, target = lab_router_factory(), lab_router_factory(ssh=False)
    src, dst = source.api(), target.api()
    try:
        src.path("ip", "firewall", "address-list").add(comment="\n", **ENTRY)
        texts = {form: _export(src, form) for form in FORMS}
        for form, text in texts.items():
            assert _printable(text), (form, text)
            assert _import(dst, text) == ["\n"], (form, text)
        assert '/ip firewall address-list add address=10.0.0.0/8 comment="\\n" list=L' in texts["terse"].split("\n")
        assert 'add address=10.0.0.0/8 comment="\\n" list=L' in _logical_lines(texts["compact"])
        assert 'add address=10.0.0.0/8 comment="\\n" disabled=no list=L' in _logical_lines(texts["verbose"])
    finally:
        src.close()
        dst.close()
    client = ssh_client(source)
    try:
        console = ssh_exec(client, "/ip firewall address-list export")[0]
    finally:
        client.close()
    assert 'add address=10.0.0.0/8 comment="\\n" list=L' in _logical_lines(console)


def test_every_escape_and_a_wrap_through_them_round_trip(lab_router_factory):
    # long enough to be cut over lines, with every escape RouterOS uses and a space where a line starts
    comment = 'a\tb\rc "quoted" $var ?x \\ \x01\x7f\u00e9' * 3 + " " * 10 + "\n" + "z" * 70 + "\n"
    source, target = lab_router_factory(ssh=False), lab_router_factory(ssh=False)
    src, dst = source.api(encoding="utf-8"), target.api(encoding="utf-8")
    try:
        src.path("ip", "firewall", "address-list").add(comment=comment, **ENTRY)
        for form in FORMS:
            text = _export(src, form)
            assert _printable(text), (form, text)
            assert _import(dst, text) == [comment], (form, text)
        compact = _export(src, "compact")
    finally:
        src.close()
        dst.close()
    assert '\\t' in compact and '\\r' in compact and '\\"quoted\\"' in compact and '\\$var' in compact
    assert '\\?x' in compact and '\\\\' in compact and '\\01' in compact and '\\7F' in compact and '\\C3\\A9' in compact
    assert len(compact.split("\n")) > 6, "the value is cut over several lines"


@pytest.fixture(scope="module")
def lab_pair():
    """Two routers for the whole module (Hypothesis runs many examples against the same pair)."""
    factory = LabFactory()
    src = factory(ssh=False, api_ssl=False).api(encoding="utf-8")
    dst = factory(ssh=False, api_ssl=False).api(encoding="utf-8")
    try:
        yield src, dst
    finally:
        src.close()
        dst.close()
        factory.close()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(comment=COMMENTS, form=st.sampled_from(sorted(FORMS)))
def test_any_comment_round_trips_through_export_and_import(lab_pair, comment, form):
    src, dst = lab_pair
    _clear(src)
    lists = src.path("ip", "firewall", "address-list")
    lists.add(comment=comment, **ENTRY)
    printed = [r.get("comment") for r in lists]
    text = _export(src, form)
    assert _printable(text)
    assert _import(dst, text) == printed
    assert body(_export(dst, form)) == body(text)
