# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Owner tags: ``<description> [mwan:<owner>:<key>]`` or ``... [mwan:<owner>:<key>@<rank>]``.

The tag is plain text at the end of ``comment``, so it survives ``/export`` and re-import; the
syntax is a contract (see docs/architecture.md).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

OWNER_RE = re.compile(r"^[a-z0-9_]+$")
KEY_RE = re.compile(r"^[A-Za-z0-9_.:/-]+$")
TAG_RE = re.compile(r"(?:^|\s)\[mwan:([a-z0-9_]+):([A-Za-z0-9_.:/-]+?)(?:@(-?\d+))?\]\s*$")
_KEY_UNSAFE = re.compile(r"[^A-Za-z0-9_.:/-]+")


class OwnerTagError(ValueError):
    pass


def check_owner(owner):
    if not isinstance(owner, str) or not OWNER_RE.match(owner):
        raise OwnerTagError("owner %r must match [a-z0-9_]+" % (owner,))
    return owner


def check_key(key):
    if not isinstance(key, str) or not KEY_RE.match(key):
        raise OwnerTagError("key %r must match [A-Za-z0-9_.:/-]+" % (key,))
    return key


def key_from_values(values):
    """A tag key derived from natural key values (``SITES_USE_1012`` + ``10.1.0.0/24``)."""
    parts = [_KEY_UNSAFE.sub("_", str(v)).strip("_") or "_" for v in values]
    return ":".join(parts)


def tag(owner, key, rank=None):
    check_owner(owner)
    check_key(key)
    if rank is None:
        return "[mwan:%s:%s]" % (owner, key)
    return "[mwan:%s:%s@%d]" % (owner, key, int(rank))


def compose(description, owner, key, rank=None):
    """The full comment: the human description (without any old tag) plus the tag."""
    desc = strip(description or "")
    suffix = tag(owner, key, rank)
    return "%s %s" % (desc, suffix) if desc else suffix


def parse(comment):
    """Return ``(owner, key, rank)`` from a comment, or ``None`` when it carries no tag."""
    if not comment:
        return None
    match = TAG_RE.search(str(comment))
    if not match:
        return None
    owner, key, rank = match.groups()
    return owner, key, (int(rank) if rank is not None else None)


def strip(comment):
    """The description part of a comment (the comment without its tag)."""
    if not comment:
        return ""
    return TAG_RE.sub("", str(comment)).rstrip()
