"""Extract the lab router's command tree from the real RouterOS trees.

The lab (``lab/routeros_lab/``) ships ``routeros_tree.json``: every menu directory of RouterOS 7.19
(the console and the API tell a directory from an unknown word by it) and, for every menu the lab
models (the ``declare("/path", ...)`` calls of ``lab/routeros_lab/menus/*.py``) and for the tools it runs
(``/ping``, ``/tool/traceroute``), the commands of
RouterOS 7.19 and each command's arguments (``inspect-7.19.json``, the oldest version the collection
supports), and for the ``add``/``set`` arguments that exist in 7.19 the values RouterOS offers, which
take ``!`` and which are yes/no (``deep-inspect-7.22.3.json``, the only tree that carries completions). The lab reads that copy at import
time, so it never needs the reference folder at run time; ``tests/lab/test_command_tree.py`` fails when
the copy is stale. Run from the repository root::

    .venv/bin/python scripts/extract_routeros_tree.py [REFERENCE_DIR]

REFERENCE_DIR defaults to ``../shared/reference/routeros-inspect`` next to the checkout.
"""

from __future__ import annotations

import ast
import glob
import json
import os
import sys
from typing import Any

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUTPUT = os.path.join(ROOT, "lab", "routeros_lab", "routeros_tree.json")
DEFAULT_REFERENCE = os.path.join(os.path.dirname(ROOT), "shared", "reference", "routeros-inspect")
ARGUMENTS_TREE = "inspect-7.19.json"
VALUES_TREE = "deep-inspect-7.22.3.json"

MENU_MODULES = os.path.join(ROOT, "lab", "routeros_lab", "menus", "*.py")


def declared_menus(pattern: str = MENU_MODULES) -> tuple[str, ...]:
    """The paths of the lab's ``declare("/path", ...)`` calls, read from the source: importing the
    package needs the tree this script writes (a new menu is not in it yet)."""
    paths = set()
    for filename in glob.glob(pattern):
        with open(filename, encoding="utf-8") as handle:
            tree = ast.parse(handle.read(), filename)
        for call in ast.walk(tree):
            if (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "declare"
                    and call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str)):
                paths.add(call.args[0].value)
    return tuple(sorted(paths))


# The menus the lab models (a test keeps them equal to ``routeros_lab.menus.MENUS``).
MENUS = declared_menus()

# Tools the lab runs besides its menus (``tools.py``): their arguments are RouterOS 7.19's.
TOOLS = ("/ping", "/tool/traceroute")

# Completion values that are objects of the router the trees were crawled from, not fixed values.
CRAWLED_OBJECTS = frozenset(("ether1", "lo", "main", "skins/"))


def node(tree: dict[str, Any], path: str) -> dict[str, Any] | None:
    current: Any = tree
    for word in path.strip("/").split("/"):
        if not isinstance(current, dict) or word not in current:
            return None
        current = current[word]
    return current


def children(menu: dict[str, Any], kind: str) -> list[str]:
    return sorted(k for k, v in menu.items() if isinstance(v, dict) and v.get("_type") == kind)


def offered_values(argument: dict[str, Any] | None) -> list[str]:
    """The fixed values RouterOS offers for an argument, in the tree's order."""
    if not argument:
        return []
    completion = argument.get("_completion", {})
    return [value for value, meta in completion.items() if meta.get("style") == "none" and value not in CRAWLED_OBJECTS]


def boolean(argument: dict[str, Any] | None) -> bool:
    """Whether RouterOS offers exactly ``yes``/``no`` for the argument."""
    completion = (argument or {}).get("_completion", {})
    return sorted(completion) == ["no", "yes"]


def negatable(argument: dict[str, Any] | None) -> bool:
    """Whether RouterOS offers ``!`` (negation) for the argument."""
    completion = (argument or {}).get("_completion", {})
    return any(meta.get("style") == "syntax-meta" and value.startswith("!") for value, meta in completion.items())


def directories(tree: dict[str, Any], prefix: str = "") -> list[str]:
    """Every menu directory under ``tree`` (``/ip``, ``/ip/firewall``, ...), depth first in the tree's order."""
    out = []
    for name, child in tree.items():
        if isinstance(child, dict) and child.get("_type") in ("dir", "path"):
            path = prefix + "/" + name
            out.append(path)
            out.extend(directories(child, path))
    return out


def extract(reference: str) -> dict[str, Any]:
    with open(os.path.join(reference, ARGUMENTS_TREE), encoding="utf-8") as handle:
        arguments_tree = json.load(handle)
    with open(os.path.join(reference, VALUES_TREE), encoding="utf-8") as handle:
        values_tree = json.load(handle)
    menus: dict[str, Any] = {}
    for path in MENUS:
        menu = node(arguments_tree, path)
        if menu is None:
            raise SystemExit("%s is not a menu of RouterOS 7.19" % path)
        commands = {cmd: children(menu[cmd], "arg") for cmd in children(menu, "cmd")}
        deep = node(values_tree, path) or {}
        values: dict[str, list[str]] = {}
        negated: set[str] = set()
        booleans: set[str] = set()
        for cmd in ("add", "set"):
            for arg in commands.get(cmd, ()):
                argument = deep.get(cmd, {}).get(arg)
                offered = offered_values(argument)
                if offered and arg not in values:
                    values[arg] = offered
                if negatable(argument):
                    negated.add(arg)
                if boolean(argument):
                    booleans.add(arg)
        menus[path] = {"commands": commands, "values": dict(sorted(values.items())), "negatable": sorted(negated),
                       "booleans": sorted(booleans)}
    tools = {}
    for path in TOOLS:
        command = node(arguments_tree, path)
        if command is None or command.get("_type") != "cmd":
            raise SystemExit("%s is not a command of RouterOS 7.19" % path)
        tools[path] = children(command, "arg")
    return {"arguments": "RouterOS 7.19 (%s)" % ARGUMENTS_TREE, "values": "RouterOS 7.22.3 (%s)" % VALUES_TREE,
            "directories": sorted(directories(arguments_tree)), "menus": menus, "tools": tools}


def render(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=1, sort_keys=False) + "\n"


def main(argv: list[str]) -> int:
    reference = argv[1] if len(argv) > 1 else DEFAULT_REFERENCE
    text = render(extract(reference))
    with open(OUTPUT, "w", encoding="utf-8") as handle:
        handle.write(text)
    print("wrote %s (%d menus)" % (os.path.relpath(OUTPUT, ROOT), len(MENUS)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
