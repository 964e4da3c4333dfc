"""What a command answers: rows, a return value, a trap (``Fault``), a fatal error or a dropped connection."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Trap:
    message: str
    category: int | None = None


@dataclass
class Reply:
    rows: Any = field(default_factory=list)
    ret: str | None = None
    trap: Trap | None = None
    fatal: str | None = None
    drop: bool = False


class Fault(Exception):
    """A command error; becomes ``!trap`` with RouterOS's message."""

    def __init__(self, message: str, category: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.category = category


# ``=category=`` of a trap, by message prefix (RouterOS: 0 missing item or command, 1 argument
# value failure, 2 interrupted, 4 general failure); messages not listed carry no category.
TRAP_CATEGORIES = (
    ("no such command", 0), ("no such item", 0),
    ("input does not match any value of", 1), ("invalid value for argument", 1), ("value of ", 1),
    ("ambiguous value of", 1), ("missing value(s) of argument(s)", 1), ("invalid or unexpected argument", 1),
)


def trap_category(fault: Fault) -> int | None:
    if fault.category is not None:
        return fault.category
    for prefix, category in TRAP_CATEGORIES:
        if fault.message.startswith(prefix):
            return category
    return None
