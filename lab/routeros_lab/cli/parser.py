"""RouterOS console script tokenizer and parser.

The parser turns script text into a tree of commands; it does not know the menu tree. Which
words of a command are menu names and which is the command is decided when the command runs,
because it depends on the current menu (RouterOS does the same: `add` means something different
under `/ip route` and under `/ip address`).
"""

import re
from dataclasses import dataclass, field
from typing import List, Optional, Tuple, Union


class CliSyntaxError(Exception):
    """A lexical or grammatical error: `syntax error (line N column M)`."""

    def __init__(self, line: int, col: int, message: str = "syntax error"):
        super().__init__("%s (line %d column %d)" % (message, line, col))
        self.line = line
        self.col = col
        self.text = "%s (line %d column %d)" % (message, line, col)


# A word is a concatenation of parts; each part is one of:
#   ("text", str)          bare text
#   ("str", [parts])       a double-quoted string (parts are "text" and "var"/"sub" parts)
#   ("var", name)          $name
#   ("sub", Script)        [ ... ] command substitution
#   ("expr", Expr)         ( ... ) expression
#   ("block", Script)      { ... } code block
Part = Tuple[str, object]


@dataclass
class Word:
    parts: List[Part]
    line: int
    col: int
    name: Optional[str] = None      # set for name=value arguments
    name_col: int = 0

    def is_bare(self) -> bool:
        return self.name is None and len(self.parts) == 1 and self.parts[0][0] == "text"

    def bare(self) -> Optional[str]:
        if self.is_bare():
            return self.parts[0][1]
        return None


@dataclass
class Command:
    words: List[Word]
    line: int
    col: int


@dataclass
class Script:
    commands: List[Command] = field(default_factory=list)


@dataclass
class Expr:
    op: str                       # "val", "not", "neg", binary op text, "call"
    args: List[Union["Expr", Word]]
    line: int = 0
    col: int = 0


_WORD_END = set(" \t\r\n;[](){}\"")
_BARE_RUN = re.compile(r'[^ \t\r\n;\[\](){}"$\\]+')
_NAME_RUN = re.compile(r"[!:/]?[A-Za-z0-9_.\-]*")
_VAR_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "r": "\r", "t": "\t", "$": "$", "?": "?",
            "_": " ", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
_HEX = set("0123456789abcdefABCDEF")

_BINARY_OPS = ["&&", "||", "!=", "<=", ">=", "<<", ">>", "=", "<", ">", "~", ".", "+", "-", "*", "/",
               "%", "&", "|", "^"]
_WORD_OPS = {"and": "&&", "or": "||", "in": "in"}
_PRECEDENCE = {"||": 1, "&&": 2, "=": 3, "!=": 3, "<": 3, ">": 3, "<=": 3, ">=": 3, "~": 3, "in": 3,
               "|": 4, "^": 4, "&": 4, "<<": 5, ">>": 5, ".": 6, "+": 6, "-": 6, "*": 7, "/": 7, "%": 7}


class Parser:
    def __init__(self, text: str):
        self.text = text.replace("\r\n", "\n")
        self.pos = 0
        self.line = 1
        self.col = 1

    # -- low level -----------------------------------------------------------------------
    def peek(self, offset: int = 0) -> str:
        i = self.pos + offset
        return self.text[i] if i < len(self.text) else ""

    def advance(self, count: int = 1) -> None:
        end = min(self.pos + count, len(self.text))
        chunk = self.text[self.pos:end]
        newlines = chunk.count("\n")
        if newlines:
            self.line += newlines
            self.col = len(chunk) - chunk.rfind("\n")
        else:
            self.col += len(chunk)
        self.pos = end

    def error(self) -> CliSyntaxError:
        return CliSyntaxError(self.line, self.col)

    def at_continuation(self) -> bool:
        return self.peek() == "\\" and self.peek(1) == "\n"

    def skip_continuation(self) -> None:
        self.advance(2)
        while self.peek() in (" ", "\t"):
            self.advance()

    def skip_blanks(self) -> None:
        while True:
            c = self.peek()
            if c in (" ", "\t", "\r"):
                self.advance()
            elif self.at_continuation():
                self.skip_continuation()
            else:
                return

    # -- script --------------------------------------------------------------------------
    def parse_script(self, closer: str = "") -> Script:
        script = Script()
        while True:
            self.skip_blanks()
            c = self.peek()
            if c == "":
                if closer:
                    raise self.error()
                return script
            if closer and c == closer:
                return script
            if c in ("\n", ";"):
                self.advance()
                continue
            if c == "#":
                while self.peek() not in ("", "\n"):
                    self.advance()
                continue
            if c in ")]}":
                raise self.error()
            script.commands.append(self.parse_command(closer))

    def parse_command(self, closer: str) -> Command:
        cmd = Command([], self.line, self.col)
        while True:
            self.skip_blanks()
            c = self.peek()
            if c in ("", "\n", ";") or (closer and c == closer):
                return cmd
            if c in ")]}":
                raise self.error()
            cmd.words.append(self.parse_word())

    # -- words ---------------------------------------------------------------------------
    def parse_word(self) -> Word:
        line, col = self.line, self.col
        # name=value: a run of name characters (optionally starting with ! or . or :) then '='
        start = self.pos
        i = _NAME_RUN.match(self.text, start).end()
        if i > start and i < len(self.text) and self.text[i] == "=" and self.text[start] not in "!:/":
            name = self.text[start:i]
            self.advance(i - start + 1)
            parts = self.parse_parts()
            return Word(parts or [("text", "")], line, col, name=name, name_col=col)
        parts = self.parse_parts()
        if not parts:
            raise self.error()
        return Word(parts, line, col)

    def parse_parts(self) -> List[Part]:
        parts: List[Part] = []
        while True:
            c = self.peek()
            if c == '"':
                parts.append(("str", self.parse_string()))
            elif c == "[":
                self.advance()
                sub = self.parse_script("]")
                self.advance()
                parts.append(("sub", sub))
            elif c == "(":
                parts.append(("expr", self.parse_paren()))
            elif c == "{":
                self.advance()
                block = self.parse_script("}")
                self.advance()
                parts.append(("block", block))
            elif c == "$":
                parts.append(("var", self.parse_var()))
            elif self.at_continuation():
                self.skip_continuation()
            elif c == "" or c in _WORD_END:
                return parts
            else:
                buf = []
                while True:
                    match = _BARE_RUN.match(self.text, self.pos)
                    if match is not None:
                        buf.append(match.group(0))
                        self.advance(match.end() - self.pos)
                    if self.at_continuation():
                        self.skip_continuation()
                        continue
                    c = self.peek()
                    if c == "" or c in _WORD_END or c == "$":
                        break
                    buf.append(c)
                    self.advance()
                if parts and parts[-1][0] == "text":
                    parts[-1] = ("text", parts[-1][1] + "".join(buf))
                else:
                    parts.append(("text", "".join(buf)))

    def parse_var(self) -> str:
        self.advance()  # $
        if self.peek() == '"':
            parts = self.parse_string()
            return "".join(p[1] for p in parts if p[0] == "text")
        start = self.pos
        while self.peek() and self.peek() in _VAR_CHARS:
            self.advance()
        if self.pos == start:
            raise self.error()
        return self.text[start:self.pos]

    def parse_string(self) -> List[Part]:
        self.advance()  # opening quote
        parts: List[Part] = []
        buf: List[str] = []

        def flush():
            if buf:
                parts.append(("text", "".join(buf)))
                del buf[:]

        while True:
            c = self.peek()
            if c == "":
                raise self.error()
            if c == '"':
                self.advance()
                flush()
                return parts
            if c == "\\":
                n = self.peek(1)
                if n == "\n":
                    self.skip_continuation()
                    continue
                if n in _ESCAPES:
                    buf.append(_ESCAPES[n])
                    self.advance(2)
                    continue
                if n in _HEX and self.peek(2) in _HEX and self.peek(2) != "":
                    raw = bytearray()
                    while self.peek() == "\\" and self.peek(1) in _HEX and self.peek(2) in _HEX \
                            and self.peek(1) != "" and self.peek(2) != "":
                        raw.append(int(self.peek(1) + self.peek(2), 16))
                        self.advance(3)
                    try:
                        buf.append(raw.decode("utf-8"))
                    except UnicodeDecodeError:
                        buf.append(raw.decode("latin-1"))
                    continue
                raise self.error()
            if c == "$":
                n = self.peek(1)
                if n == "(" or n == "[":
                    self.advance()
                    flush()
                    if n == "(":
                        parts.append(("expr", self.parse_paren()))
                    else:
                        self.advance()
                        sub = self.parse_script("]")
                        self.advance()
                        parts.append(("sub", sub))
                    continue
                if n and (n in _VAR_CHARS or n == '"'):
                    flush()
                    parts.append(("var", self.parse_var()))
                    continue
            buf.append(c)
            self.advance()

    # -- expressions ---------------------------------------------------------------------
    def parse_paren(self) -> Expr:
        line, col = self.line, self.col
        self.advance()  # (
        self.skip_ws_nl()
        if self.peek() == ")":
            self.advance()
            return Expr("val", [Word([("text", "")], line, col)], line, col)
        expr = self.parse_expr(0)
        self.skip_ws_nl()
        if self.peek() != ")":
            raise self.error()
        self.advance()
        return expr

    def skip_ws_nl(self) -> None:
        while True:
            c = self.peek()
            if c in (" ", "\t", "\r", "\n"):
                self.advance()
            elif self.at_continuation():
                self.skip_continuation()
            else:
                return

    def parse_expr(self, min_prec: int) -> Expr:
        left = self.parse_unary()
        while True:
            self.skip_ws_nl()
            op = self.match_op()
            if op is None or _PRECEDENCE[op] <= min_prec:
                return left
            line, col = self.line, self.col
            self.consume_op(op)
            right = self.parse_expr(_PRECEDENCE[op])
            left = Expr(op, [left, right], line, col)

    def match_op(self) -> Optional[str]:
        for word, op in _WORD_OPS.items():
            end = self.pos + len(word)
            if self.text[self.pos:end] == word and (end >= len(self.text) or self.text[end] in " \t\n(\"$["):
                return op
        for op in _BINARY_OPS:
            if self.text.startswith(op, self.pos):
                return op
        return None

    def consume_op(self, op: str) -> None:
        for word, wop in _WORD_OPS.items():
            if wop == op and self.text.startswith(word, self.pos):
                self.advance(len(word))
                return
        self.advance(len(op))

    def parse_unary(self) -> Expr:
        self.skip_ws_nl()
        line, col = self.line, self.col
        c = self.peek()
        if c == "!":
            self.advance()
            return Expr("not", [self.parse_unary()], line, col)
        if self.text.startswith("not ", self.pos):
            self.advance(3)
            return Expr("not", [self.parse_unary()], line, col)
        if c == "-" and self.peek(1).isdigit():
            self.advance()
            return Expr("neg", [self.parse_unary()], line, col)
        if c == "(":
            return self.parse_paren()
        if c == "" or c in ")]};":
            raise self.error()
        # an operand: a value word; bare text stops at operators
        parts: List[Part] = []
        if c == '"':
            parts.append(("str", self.parse_string()))
        elif c == "[":
            self.advance()
            sub = self.parse_script("]")
            self.advance()
            parts.append(("sub", sub))
        elif c == "$":
            parts.append(("var", self.parse_var()))
        elif c == "{":
            self.advance()
            block = self.parse_script("}")
            self.advance()
            parts.append(("block", block))
        else:
            buf = []
            while True:
                ch = self.peek()
                if ch == "" or ch in " \t\r\n;[](){}\"$!=<>~&|+*^%" or self.at_continuation():
                    break
                if ch == "." and buf and not (self.peek(1).isdigit() or self.peek(1).isalpha()):
                    break
                buf.append(ch)
                self.advance()
            if not buf:
                raise self.error()
            parts.append(("text", "".join(buf)))
        return Expr("val", [Word(parts, line, col)], line, col)


def parse(text: str) -> Script:
    """Parse a whole script; raises CliSyntaxError with RouterOS's position."""
    return Parser(text).parse_script()
