"""The console tokenizer: quoting, escapes, continuation lines, comments, positions of errors."""

import pytest

from routeros_lab.cli import CliSyntaxError, parse


def _words(text):
    return parse(text).commands[0].words


def _value(word):
    out = []
    for kind, data in word.parts:
        if kind == "text":
            out.append(data)
        elif kind == "str":
            out.append("".join(piece for k, piece in data if k == "text"))
    return "".join(out)


def test_name_value_and_bare_words():
    words = _words('/routing table add name=InternetVia1012 fib comment="WAN 1012"')
    assert [w.bare() for w in words[:4]] == ["/routing", "table", "add", None]
    assert words[3].name == "name" and _value(words[3]) == "InternetVia1012"
    assert words[4].bare() == "fib"
    assert words[5].name == "comment" and _value(words[5]) == "WAN 1012"


def test_string_escapes():
    words = _words(r'add comment="a \"quoted\" \\ back \$HOME \? q\41"')
    assert _value(words[1]) == 'a "quoted" \\ back $HOME ? qA'


def test_variables_inside_strings_are_parts():
    word = _words('add comment="via $wan ok"')[1]
    kinds = [part[0] for part in word.parts[0][1]]
    assert kinds == ["text", "var", "text"]


def test_continuation_between_words_and_after_equals():
    script = parse("add chain=forward \\\n    action=accept comment=\\\n    hello")
    words = script.commands[0].words
    assert [(w.name, _value(w)) for w in words[1:]] == [("chain", "forward"), ("action", "accept"), ("comment", "hello")]


def test_continuation_inside_a_quoted_string_drops_the_indent():
    words = _words('add comment="10M-baseT-half,100M\\\n    -baseT-full"')
    assert _value(words[1]) == "10M-baseT-half,100M-baseT-full"


def test_comments_and_separators():
    script = parse("# a comment\n/ip route\n  # indented comment\nadd gateway=10.0.0.1; add gateway=10.0.0.2\n")
    assert len(script.commands) == 3


def test_unterminated_string_is_a_syntax_error_with_position():
    with pytest.raises(CliSyntaxError) as err:
        parse('/ip route\nadd comment="open')
    assert err.value.text == "syntax error (line 2 column 18)"


def test_unbalanced_bracket_is_a_syntax_error():
    with pytest.raises(CliSyntaxError) as err:
        parse(":put [find")
    assert err.value.text.startswith("syntax error (line 1 column")


def test_find_expression_and_block_words():
    words = _words(':foreach i in=[/ip firewall mangle find where comment~"mwan"] do={ :put $i }')
    assert words[0].bare() == ":foreach"
    assert words[2].name == "in" and words[2].parts[0][0] == "sub"
    assert words[3].name == "do" and words[3].parts[0][0] == "block"


def test_expression_precedence():
    expr = _words(':if ($a = "x" && $b != 2) do={}')[1].parts[0][1]
    assert expr.op == "&&"
    assert [a.op for a in expr.args] == ["=", "!="]
