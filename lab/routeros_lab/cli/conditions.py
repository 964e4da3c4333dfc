"""``where`` conditions of ``find``, ``print`` and ``export``: tokens or an expression -> a predicate over a row."""

import re
from typing import TYPE_CHECKING, Any, Dict, List

from .parser import Expr
from .values import CliError, norm_value, to_bool, to_num, to_str

if TYPE_CHECKING:
    from .interpreter import Interpreter


def _either(left, right):
    return lambda row: left(row) or right(row)


def _both(left, right):
    return lambda row: left(row) and right(row)


def compile_condition(tokens: List[Any], interp: "Interpreter"):
    """Tokens -> predicate over a row. Precedence: not > and (implicit between terms) > or."""
    pos = [0]

    def peek():
        return tokens[pos[0]] if pos[0] < len(tokens) else None

    def parse_or():
        left = parse_and()
        while peek() == ("op", "or"):
            pos[0] += 1
            right = parse_and()
            left = _either(left, right)
        return left

    def parse_and():
        left = parse_not()
        while True:
            tok = peek()
            if tok is None or tok == ("op", "or"):
                return left
            if tok == ("op", "and"):
                pos[0] += 1
            right = parse_not()
            left = _both(left, right)

    def parse_not():
        tok = peek()
        if tok == ("op", "not"):
            pos[0] += 1
            inner = parse_not()
            return lambda r: not inner(r)
        if tok is None:
            raise CliError("syntax error")
        pos[0] += 1
        if tok[0] == "cmp":
            return _cmp_pred(tok[1], tok[2], tok[3])
        if tok[0] == "flag":
            name = tok[1]
            return lambda r: norm_value(r.get(name, "false")) not in ("false", "")
        if tok[0] == "expr":
            expr = tok[1]
            return lambda r: _eval_row_expr(expr, r, interp)
        raise CliError("syntax error")

    if not tokens:
        return lambda r: True
    pred = parse_or()
    return pred


def _cmp_pred(name: str, op: str, value: Any):
    if isinstance(value, bool):
        want = "true" if value else "false"
    elif isinstance(value, list):
        want = ";".join(to_str(v) for v in value)
    else:
        want = to_str(value)

    def pred(row: Dict[str, str]) -> bool:
        have = row.get(name)
        if op == "~":
            try:
                return have is not None and re.search(want, have) is not None
            except re.error:
                return False
        if have is None:
            if norm_value(want) == "false":
                have = "false"
            elif want == "":
                have = ""
            else:
                return op == "!="
        if op == "=":
            return norm_value(have) == norm_value(want)
        if op == "!=":
            return norm_value(have) != norm_value(want)
        a, b = to_num(have), to_num(want)
        if a is None or b is None:
            a, b = have, want
        return {"<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[op]
    return pred


def _eval_row_expr(expr: Expr, row: Dict[str, str], interp: "Interpreter") -> bool:
    op = expr.op
    if op == "&&":
        return _eval_row_expr(expr.args[0], row, interp) and _eval_row_expr(expr.args[1], row, interp)
    if op == "||":
        return _eval_row_expr(expr.args[0], row, interp) or _eval_row_expr(expr.args[1], row, interp)
    if op == "not":
        return not _eval_row_expr(expr.args[0], row, interp)
    if op in ("=", "!=", "~", "<", ">", "<=", ">=") and expr.args[0].op == "val" and expr.args[0].args[0].is_bare():
        name = expr.args[0].args[0].bare()
        value = interp.eval_expr(expr.args[1])
        return _cmp_pred(name, op, value)(row)
    if op == "val" and expr.args[0].is_bare():
        name = expr.args[0].bare()
        return norm_value(row.get(name, "false")) not in ("false", "")
    return to_bool(interp.eval_expr(expr))
