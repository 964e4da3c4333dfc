"""Property: any configuration the model accepts exports to a script that rebuilds it exactly."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routeros_lab import Router
from routeros_lab.cli import run_script
from routeros_lab.export import export

TEXT = st.text(alphabet=st.characters(min_codepoint=9, max_codepoint=0x24F, blacklist_categories=("Cs",)),
               min_size=0, max_size=120)
NAMES = st.from_regex(r"[A-Za-z][A-Za-z0-9_-]{0,20}", fullmatch=True)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(comments=st.lists(TEXT, min_size=1, max_size=4), marks=st.lists(NAMES, min_size=1, max_size=4),
       terse=st.booleans(), version=st.sampled_from(["7.16", "7.19"]))
def test_export_then_import_reproduces_the_configuration(comments, marks, terse, version):
    source = Router(version=version)
    for number, comment in enumerate(comments):
        reply = source.execute("/ip/firewall/address-list/add",
                               {"list": "L%d" % number, "address": "10.0.%d.0/24" % number, "comment": comment})
        assert reply.trap is None
    for number, mark in enumerate(marks):
        source.execute("/routing/table/add", {"name": "T%d_%s" % (number, mark), "fib": ""})
        reply = source.execute("/ip/firewall/mangle/add", {
            "chain": "prerouting", "action": "mark-routing", "new-routing-mark": "T%d_%s" % (number, mark),
            "connection-mark": mark, "passthrough": "no", "comment": comments[number % len(comments)]})
        assert reply.trap is None
    text = export(source, terse=terse)
    target = Router(version=version)
    assert run_script(target, text, check=True) == ""
    for path in ("/ip/firewall/address-list", "/ip/firewall/mangle", "/routing/table"):
        strip = ("creation-time",)
        want = [{k: v for k, v in r.items() if k not in strip} for r in source.rows(path)]
        got = [{k: v for k, v in r.items() if k not in strip} for r in target.rows(path)]
        assert got == want
    assert export(target, terse=terse).split("\n", 3)[3] == text.split("\n", 3)[3]
