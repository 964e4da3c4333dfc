"""The API query language: ``?name``, ``?-name``, ``?=name=v``, ``?<``, ``?>`` and ``?#ops`` (a stack machine)."""

from __future__ import annotations

from typing import Any, Callable

from .storage import parse_id


def _compare_key(value: str) -> tuple[int, Any]:
    if value.startswith("*"):
        parsed = parse_id(value)
        if parsed is not None:
            return (0, parsed)
    try:
        return (0, int(value))
    except ValueError:
        return (1, value)


def compile_query(words: list[str], fields: dict[str, dict[str, Any]]) -> Callable[[dict[str, str]], bool]:
    """The API query stack machine (``?name``, ``?-name``, ``?=name=v``, ``?<``, ``?>``, ``?#ops``)."""
    program: list[tuple[str, str, str]] = []
    for word in words:
        body = word[1:]
        if body.startswith("#"):
            program.append(("ops", body[1:], ""))
            continue
        if body.startswith("-"):
            program.append(("absent", body[1:], ""))
            continue
        op = "eq"
        if body[:1] in ("=", "<", ">"):
            op = {"=": "eq", "<": "lt", ">": "gt"}[body[0]]
            body = body[1:]
        if "=" not in body:
            program.append(("present", body, ""))
            continue
        name, value = body.split("=", 1)
        spec = fields.get(name, {})
        if spec.get("kind") == "bool" or spec.get("flag") or name in (
                "dynamic", "builtin", "invalid", "active", "inactive", "static", "connect", "dhcp", "ecmp", "running", "disabled"):
            low = value.lower()
            if low in ("yes", "true"):
                value = "true"
            elif low in ("no", "false"):
                value = "false"
        program.append((op, name, value))

    def row_value(row: dict[str, str], name: str) -> str | None:
        if name in row:
            return row[name]
        spec = fields.get(name)
        if spec is not None and spec.get("default") is not None and not spec.get("flag"):
            return spec["default"]
        if spec is not None and spec.get("absent") is not None:
            return spec["absent"]
        if spec is not None and spec.get("flag"):
            return "false"
        return None

    def matcher(row: dict[str, str]) -> bool:
        stack: list[bool] = []
        for op, name, value in program:
            if op == "present":
                stack.append(name in row)
            elif op == "absent":
                stack.append(name not in row)
            elif op == "eq":
                stack.append(row_value(row, name) == value)
            elif op in ("lt", "gt"):
                current = row_value(row, name)
                if current is None:
                    stack.append(False)
                elif op == "lt":
                    stack.append(_compare_key(current) < _compare_key(value))
                else:
                    stack.append(_compare_key(current) > _compare_key(value))
            else:
                _run_ops(stack, name)
        return all(stack)

    return matcher


def _pop(stack: list[bool]) -> bool:
    return stack.pop() if stack else True


def _at(stack: list[bool], index: int) -> bool:
    return stack[-1 - index] if index < len(stack) else True


def _run_ops(stack: list[bool], ops: str) -> None:
    pos = 0
    after_index = False
    while pos < len(ops):
        char = ops[pos]
        if char.isdigit():
            end = pos
            while end < len(ops) and ops[end].isdigit():
                end += 1
            value = _at(stack, int(ops[pos:end]))
            if end == len(ops):
                stack[:] = [value]
            else:
                stack.append(value)
            pos = end
            after_index = True
            continue
        if char == "!":
            stack.append(not _pop(stack))
        elif char == "&":
            right, left = _pop(stack), _pop(stack)
            stack.append(left and right)
        elif char == "|":
            right, left = _pop(stack), _pop(stack)
            stack.append(left or right)
        elif char == "." and not after_index:
            stack.append(_at(stack, 0))
        after_index = False
        pos += 1
