"""The scripting language subset, run through the interpreter the SSH console and --init use."""

from routeros_lab import Router
from routeros_lab.cli import Interpreter, run_script


def _put(script, router=None):
    return run_script(router or Router(), script)


def test_expressions_and_types():
    assert _put(':put (1 + 2 * 3)') == "7\n"
    assert _put(':put ("a" . "b" . 3)') == "ab3\n"
    assert _put(':put (3 > 2 && !(1 = 2))') == "true\n"
    assert _put(':put ("ether12" ~ "^ether[0-9]+\\$")') == "true\n"
    assert _put(':put [:typeof 5]; :put [:typeof "x"]; :put [:typeof [/routing table find]]') == "num\nstr\narray\n"
    assert _put(':put [:len "hello"]; :put [:pick "hello" 1 3]; :put [:tostr 42]') == "5\nel\n42\n"


def test_loops_and_conditions():
    assert _put(':for i from=1 to=3 do={ :put $i }') == "1\n2\n3\n"
    assert _put(':local n 0; :while ($n < 3) do={ :set n ($n + 1) }; :put $n') == "3\n"
    assert _put(':local a [:toarray "x,y"]; :foreach v in=$a do={ :put "v=$v" }') == "v=x\nv=y\n"
    assert _put(':if (false) do={ :put yes } else={ :put no }') == "no\n"


def test_on_error_catches_a_failing_command():
    router = Router()
    out = _put(':do { /routing table add name=nosuch-ref-test fib; /ip route add gateway=10.0.0.1 routing-table=none } '
               'on-error={ :put "caught" }', router)
    assert out == "caught\n"
    assert [r["name"] for r in router.rows("/routing/table")] == ["main", "nosuch-ref-test"]


def test_globals_survive_sessions_locals_do_not():
    router = Router()
    Interpreter(router).run(':global site "school"; :local tmp 1')
    assert Interpreter(router).run(':global site; :put "$site/$tmp"') == "school/\n"


def test_get_and_find_inside_substitutions():
    router = Router()
    out = _put('/ip firewall address-list add list=A address=10.0.0.1 comment=first\n'
               '/ip firewall address-list add list=A address=10.0.0.2\n'
               ':foreach i in=[/ip firewall address-list find list=A] do={\n'
               '  :put ([/ip firewall address-list get $i address] . " " . [:len [/ip firewall address-list get $i comment]])\n'
               '}', router)
    assert out == "10.0.0.1 5\n10.0.0.2 0\n"


def test_a_script_that_runs_itself_stops():
    router = Router()
    out = _put('/system script add name=loop source="/system script run loop"\n/system script run loop', router)
    assert out == "script nesting too deep\n"


def test_log_commands_reach_the_log():
    router = Router()
    _put('/log info "hello from cli"\n:log warning "careful"', router)
    out = Interpreter(router).run("/log print")
    assert "hello from cli" in out and "careful" in out


def test_errors_inside_blocks_are_found_before_anything_runs():
    router = Router()
    out = _put('/routing table add name=A fib\n:if (true) do={\n  /ip route add gateway=10.0.0.1 routing-mark=x\n}', router)
    assert out == "expected end of command (line 3 column 34)\n"
    assert [r["name"] for r in router.rows("/routing/table")] == ["main"]
    assert _put(':put [/ip firewall mangle frob]') == "bad command name frob (line 1 column 27)\n"


def test_find_by_comment_answers_as_a_scan_of_every_row_does():
    """``find where comment="..."`` renders only the rows that store that comment (model.rows_storing): the same ids as
    the condition over every printed row, disabled rows and rows without a comment included."""
    router = Router()
    run_script(router, '/ip firewall address-list add list=A address=10.0.0.1 comment=x\n'
                       '/ip firewall address-list add list=A address=10.0.0.2 comment=y\n'
                       '/ip firewall address-list add list=A address=10.0.0.3 comment=x disabled=yes\n'
                       '/ip firewall address-list add list=A address=10.0.0.4\n'
                       '/ip firewall nat add chain=srcnat action=masquerade comment="a b"\n')
    ids = [row[".id"] for row in router.rows("/ip/firewall/address-list")]
    assert _put(':put [/ip firewall address-list find where comment="x"]', router) == "%s;%s\n" % (ids[0], ids[2])
    assert _put(':put [/ip firewall address-list find comment="x"]', router) == "%s;%s\n" % (ids[0], ids[2])
    assert _put(':put [/ip firewall address-list find where comment="z"]', router) == "\n"
    assert _put(':put [/ip firewall address-list find where comment="x" and disabled]', router) == "%s\n" % ids[2]
    nat = router.rows("/ip/firewall/nat")[0][".id"]
    assert _put(':put [/ip firewall nat find where comment="a b"]', router) == "%s\n" % nat


def test_find_by_comment_compares_values_as_the_console_does():
    """Values the console compares loosely: ``x/32`` is ``x``; ``no`` also matches a row without a comment."""
    router = Router()
    run_script(router, '/ip firewall address-list add list=A address=10.0.0.1 comment=10.0.0.9/32\n'
                       '/ip firewall address-list add list=A address=10.0.0.2\n'
                       '/ip firewall address-list add list=A address=10.0.0.3 comment=No\n')
    ids = [row[".id"] for row in router.rows("/ip/firewall/address-list")]
    assert _put(':put [/ip firewall address-list find where comment="10.0.0.9"]', router) == "%s\n" % ids[0]
    scan = _put(':put [/ip firewall address-list find where comment="no" or comment="no"]', router)
    assert _put(':put [/ip firewall address-list find where comment="no"]', router) == scan
