"""The real RouterOS command trees (``../shared/reference/routeros-inspect/`` beside the checkout) and
what they say about a menu, a command and an argument.

The trees are the ``/console/inspect`` crawls of real RouterOS published by tikoci/restraml: every
menu, command and argument of RouterOS 7.19 (the oldest version the collection supports) and of
7.22.3 (the newest checked). Only the 7.22.3 crawl carries the values an enumerated argument takes
(``_completion``); the 7.19 one names arguments only, so values are checked against the 7.22.3
lists. A missing trees folder fails the tests that need it: they are the reason these tests exist.
"""

import functools
import json
import os
import re

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TREES_DIR = os.path.join(os.path.dirname(ROOT), "shared", "reference", "routeros-inspect")

OLDEST = "7.19"
NEWEST = "7.22.3"
_FILES = {OLDEST: "inspect-7.19.json", NEWEST: "deep-inspect-7.22.3.json"}
VALUES_FROM = NEWEST

# What RouterOS 7.22 no longer has, among the arguments the collection knows: (menu, argument).
# RouterOS 7.19 takes both; docs/engine.md ("Supported RouterOS versions") says what it means.
REMOVED_IN_NEWEST = frozenset([
    ("/ip/firewall/filter", "hw-offload"),
    ("/ip/route", "suppress-hw-offload"),
])

# A menu is a "dir"; a few top-level ones (/ip, /interface, /system, ...) are "path".
_MENU_TYPES = ("dir", "path")
# Completion entries that are syntax, not values: "!" (the value may be negated), "!," (tcp-flags).
_SYNTAX_STYLE = "syntax-meta"
NEGATION = "!"


@functools.lru_cache(maxsize=None)
def tree(version):
    path = os.path.join(TREES_DIR, _FILES[version])
    if not os.path.isfile(path):
        pytest.fail("RouterOS %s command tree not found at %s: these tests check the collection against it "
                    "(the shared/ folder must sit beside the checkout)" % (version, path), pytrace=False)
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def menu_words(path):
    """``/ip/firewall/mangle`` or ``/ip firewall mangle`` -> ``["ip", "firewall", "mangle"]``."""
    return [word for word in re.split(r"[/ ]+", path) if word]


def menu(version, path):
    """The menu node of ``path``, or None when RouterOS has no such menu."""
    node = tree(version)
    for word in menu_words(path):
        node = node.get(word) if isinstance(node, dict) else None
        if not isinstance(node, dict) or node.get("_type") not in _MENU_TYPES:
            return None
    return node


def command(version, path, verb):
    node = menu(version, path)
    found = node.get(verb) if node else None
    return found if isinstance(found, dict) and found.get("_type") == "cmd" else None


def arguments(version, path, verb):
    """Argument names of a command (empty when the command does not exist)."""
    node = command(version, path, verb) or {}
    return frozenset(name for name, arg in node.items() if isinstance(arg, dict) and arg.get("_type") == "arg")


def completion(path, verb, argument):
    """``(values, negatable)`` RouterOS offers for an argument (7.22.3): ``values`` is None when it
    offers none (a free-form argument, or one the newest tree lacks)."""
    node = (command(VALUES_FROM, path, verb) or {}).get(argument) or {}
    offered = node.get("_completion") or {}
    values = frozenset(value for value, info in offered.items() if info.get("style") != _SYNTAX_STYLE)
    return (values or None), NEGATION in offered
