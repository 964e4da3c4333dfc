# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The commit-confirm timer (``multiwan_commit_confirm``): a RouterOS duration, or an off switch. Pure.

Read by the intent validation (before any router is contacted) and by the ``confirm`` module.
"""

import re
from typing import Any, Optional, Tuple

DEFAULT = "5m"
# A run writes for minutes; a shorter timer would revert a healthy run before its last gate.
MINIMUM_SECONDS = 60
# Off switches (YAML false arrives as a bool).
OFF_WORDS = ("false", "off", "no")
_UNITS = (("w", 604800), ("d", 86400), ("h", 3600), ("m", 60), ("s", 1))
_DURATION = re.compile(r"^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?\Z")
_WANTED = "a duration such as 5m, 90s or 1h30m (at least %s), or false to run without a revert"


def format_duration(seconds: int) -> str:
    """``330`` -> ``5m30s``: RouterOS's duration form, which the scheduler's ``interval`` takes."""
    parts = []
    rest = int(seconds)
    for unit, size in _UNITS:
        if rest >= size:
            parts.append("%d%s" % (rest // size, unit))
            rest %= size
    return "".join(parts) or "0s"


def _seconds(value: Any) -> Optional[int]:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    text = str(value).strip().lower()
    if text.isdigit():
        return int(text)
    match = _DURATION.match(text)
    if not text or not match:
        return None
    return sum(int(part) * size for part, (_unit, size) in zip(match.groups(), _UNITS) if part)


def read_timeout(value: Any, minimum: int = MINIMUM_SECONDS) -> Tuple[Optional[int], Optional[str]]:
    """``(seconds or None when switched off, problem or None)`` of a commit-confirm timer value."""
    if value is False or (isinstance(value, str) and value.strip().lower() in OFF_WORDS):
        return None, None
    seconds = _seconds(value)
    if seconds is None:
        return None, "must be %s (got %r)" % (_WANTED % format_duration(minimum), value)
    if seconds < minimum:
        return None, ("is %s, shorter than %s: the router could revert a healthy run before its last gate; use %s"
                      % (format_duration(seconds), format_duration(minimum), _WANTED % format_duration(minimum)))
    return seconds, None
