# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Plan operations as the transport's commands: each with the CLI line it renders."""

from typing import Any, List, Mapping, Sequence, Tuple

from ansible_collections.multiwan.routeros.plugins.module_utils.engine import cli as cli_mod
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.operation import Operation
from ansible_collections.multiwan.routeros.plugins.module_utils.transport.base import Command


def commands_for(ops: Sequence[Operation], actual: Mapping[str, Any], prefer_ids: bool = False) -> Tuple[List[Command], List[str]]:
    """Plan operations -> transport commands (each with its CLI line), and the lines."""
    lines = cli_mod.render(ops, actual, prefer_ids)
    commands = [Command(op.path, op.verb, id=op.id, fields=op.fields, place_before=op.place_before,
                        destination=op.destination, cli=line) for op, line in zip(ops, lines)]
    return commands, lines
