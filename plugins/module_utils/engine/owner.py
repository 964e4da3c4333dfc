# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Owner tags: ``<description> [mwan:<owner>:<key>]`` or ``... [mwan:<owner>:<key>@<rank>]``.

The tag is plain text at the end of ``comment``, so it survives ``/export`` and re-import; the
syntax is a contract (see docs/architecture.md). This module is its one definition: the intent
checks (comment lengths, key alphabet) and the compiler (key building) import it from here.
"""

import re
from typing import Any, Iterable, Optional, Tuple

# The characters of an owner and of a key.
OWNER_CHARS = "a-z0-9_"
KEY_CHARS = "A-Za-z0-9_.:/-"

OWNER_RE = re.compile(r"^[%s]+\Z" % OWNER_CHARS)
KEY_RE = re.compile(r"^[%s]+\Z" % KEY_CHARS)
# One character outside the key alphabet.
KEY_UNSAFE_CHAR = re.compile(r"[^%s]" % KEY_CHARS)
TAG_RE = re.compile(r"(?:^|\s)\[mwan:([%s]+):([%s]+?)(?:@(-?\d+))?\]\s*$" % (OWNER_CHARS, KEY_CHARS))
_KEY_UNSAFE_RUN = re.compile(r"[^%s]+" % KEY_CHARS)

# ``(owner, key, rank)``; rank is ``None`` on unordered paths.
Tag = Tuple[str, str, Optional[int]]


class OwnerTagError(ValueError):
    pass


def check_owner(owner: Any) -> str:
    if not isinstance(owner, str) or not OWNER_RE.match(owner):
        raise OwnerTagError("owner %r must match [a-z0-9_]+" % (owner,))
    return owner


def check_key(key: Any) -> str:
    if not isinstance(key, str) or not KEY_RE.match(key):
        raise OwnerTagError("key %r must match [A-Za-z0-9_.:/-]+" % (key,))
    return key


def key_from_values(values: Iterable[Any]) -> str:
    """A tag key derived from natural key values (``SITES_USE_1012`` + ``10.1.0.0/24``)."""
    parts = [_KEY_UNSAFE_RUN.sub("_", str(v)).strip("_") or "_" for v in values]
    return ":".join(parts)


def format_tag(owner: str, key: str, rank: Optional[int] = None) -> str:
    """The tag text, unchecked (callers that measure a comment before its parts are valid use it)."""
    if rank is None:
        return "[mwan:%s:%s]" % (owner, key)
    return "[mwan:%s:%s@%d]" % (owner, key, int(rank))


def tag(owner: str, key: str, rank: Optional[int] = None) -> str:
    check_owner(owner)
    check_key(key)
    return format_tag(owner, key, rank)


def append_tag(description: str, tag_text: str) -> str:
    """A comment: the description, a space and the tag; the tag alone without a description."""
    return "%s %s" % (description, tag_text) if description else tag_text


def compose(description: Optional[str], owner: str, key: str, rank: Optional[int] = None) -> str:
    """The full comment: the human description (without any old tag) plus the tag."""
    return append_tag(strip(description or ""), tag(owner, key, rank))


def parse(comment: Any) -> Optional[Tag]:
    """Return ``(owner, key, rank)`` from a comment, or ``None`` when it carries no tag."""
    if not comment:
        return None
    match = TAG_RE.search(str(comment))
    if not match:
        return None
    owner, key, rank = match.groups()
    return owner, key, (int(rank) if rank is not None else None)


def strip(comment: Any) -> str:
    """The description part of a comment (the comment without its tag)."""
    if not comment:
        return ""
    return TAG_RE.sub("", str(comment)).rstrip()
