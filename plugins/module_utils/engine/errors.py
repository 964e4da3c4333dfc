# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Errors raised by the engine; every message names the path and entry concerned."""

from typing import Any, List, Optional, Sequence, Union


class EngineError(Exception):
    """Base class: the run fails with this message."""


class PlanError(EngineError):
    """Bad input or an unresolvable situation, found before any write."""

    def __init__(self, problems: Union[str, Sequence[str]]) -> None:
        if isinstance(problems, str):
            problems = [problems]
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


class ApplyError(EngineError):
    """A write failed; ``undone`` says whether the applied part was rolled back."""

    def __init__(self, message: str, op: Any = None, router_message: Optional[str] = None, undone: Optional[bool] = None,
                 undo_errors: Optional[List[str]] = None) -> None:
        super().__init__(message)
        self.op = op
        self.router_message = router_message
        self.undone = undone
        self.undo_errors = undo_errors or []


class TransportError(EngineError):
    """Connection-level failure (login, socket, host key, TLS)."""


class CommandError(EngineError):
    """RouterOS refused one command (a ``!trap`` or an error printed by the CLI)."""

    def __init__(self, message: str, command: Optional[str] = None) -> None:
        super().__init__(message)
        self.command = command
