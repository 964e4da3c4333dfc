# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""RouterOS name limits and the checks the validator and the property tests share.

What could not be verified: MikroTik's manual documents no maximum length for routing table
names, address-list names, connection/routing mark names, interface(-list) names or comments,
and no first-hand error text for an over-long name was found in the reference material
available here. The limits below are therefore deliberately conservative (63 characters for
names, 255 for a comment including the owner tag, which is what RouterOS 7 exports were seen
to carry without trouble) and live only in this module, so a confirmed limit is a one-line
change. The character rules are ours, not RouterOS's: a name that needs quoting in the CLI, or
that contains ``@`` or ``,`` (the route ``gateway=IP@table`` syntax and comma lists), is
rejected because it is easy to get wrong in every later script and export.
"""

import re
from typing import Optional

from ansible_collections.multiwan.routeros.plugins.module_utils.engine.owner import append_tag, format_tag

MAX_NAME = 63
MAX_COMMENT = 255
MAX_WAN_NAME = 32
MAX_USER_COMMENT = 64

# Patterns end in \Z, not $: $ also matches before a final newline, which would let "1012\n" through.
WAN_NAME_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}\Z")
FORWARD_NAME_RE = re.compile(r"^[A-Za-z0-9_.-]{1,32}\Z")
# Generated names: routing tables, marks, address lists, interface lists.
GENERATED_NAME_RE = re.compile(r"^[A-Za-z0-9_.-]+\Z")
# Interface names may contain spaces on RouterOS ("VLAN3002 - 1012"), but never quotes,
# backslashes, commas, control characters or a leading/trailing blank.
INTERFACE_NAME_RE = re.compile(r"^[^\s\"\\,=\x00-\x1f\x7f](?:[^\"\\,=\x00-\x1f\x7f]*[^\s\"\\,=\x00-\x1f\x7f])?\Z")

# Names RouterOS has already: routing tables that exist on every router, builtin interface lists.
RESERVED_TABLES = frozenset(["main", "local", "unspec", "default"])
BUILTIN_INTERFACE_LISTS = frozenset(["all", "none", "dynamic", "static"])


def generated_name_problem(name: str) -> Optional[str]:
    """Why RouterOS (or this collection) would reject a generated name, or None when it is fine."""
    if not name:
        return "is empty"
    if len(name) > MAX_NAME:
        return "is %d characters long, more than the %d allowed" % (len(name), MAX_NAME)
    if not GENERATED_NAME_RE.match(name):
        return "may only contain letters, digits, '_', '.' and '-'"
    return None


def table_name_problem(name: str) -> Optional[str]:
    """Why a routing table name would be rejected, or None."""
    problem = generated_name_problem(name)
    if problem:
        return problem
    if name.lower() in RESERVED_TABLES:
        return "is a routing table RouterOS already has"
    if name.isdigit():
        # A purely numeric table name is ambiguous with the kernel's numeric table ids
        # (unverified on RouterOS 7; rejected to be safe).
        return "must not be only digits"
    return None


def interface_name_problem(name: str) -> Optional[str]:
    """Why an interface name is unusable, or None."""
    if not name:
        return "is empty"
    if len(name) > MAX_NAME:
        return "is %d characters long, more than the %d allowed" % (len(name), MAX_NAME)
    if not INTERFACE_NAME_RE.match(name):
        return "must not contain quotes, backslashes, commas, '=', control characters or leading/trailing blanks"
    if name.startswith("*"):
        # RouterOS reads an unquoted *1 as the internal id of an entry, not as a name.
        return "must not start with '*' (RouterOS reads *1 as an internal id)"
    return None


def tagged_comment(description: str, owner: str, key: str, rank: Optional[int] = None) -> str:
    """The comment as the engine writes it: the description plus the owner tag."""
    return append_tag(description, format_tag(owner, key, rank))


def comment_problem(description: str, owner: str, key: str, rank: Optional[int] = None) -> Optional[str]:
    """Why a description would be too long once the owner tag is appended, or None."""
    length = len(tagged_comment(description, owner, key, rank))
    if length > MAX_COMMENT:
        return "is %d characters long with its owner tag, more than the %d allowed" % (length, MAX_COMMENT)
    return None
