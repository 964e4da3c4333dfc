"""Make the collection importable as ``ansible_collections.multiwan.routeros`` from the checkout, and
register the Hypothesis profiles of the property tests.

Profiles: ``ci`` (the default, and what ``make test`` selects) replays the same examples on every run, so
a failure in CI is a failure on every machine; ``explore`` (``make explore``) draws new random examples,
many more of them, to look for bugs the fixed set misses. A run without this file (``ansible-test units``
collects tests/unit on its own) uses Hypothesis's own defaults, and the property tests that need it set
``deadline=None`` themselves, so they still pass there.
"""

import os
import sys

from hypothesis import settings

_COLLECTIONS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "playbooks", "collections")
if _COLLECTIONS not in sys.path:
    sys.path.insert(0, _COLLECTIONS)

# print_blob: a failure prints the @reproduce_failure line that replays it anywhere.
settings.register_profile("ci", derandomize=True, database=None, max_examples=200, deadline=None, print_blob=True)
settings.register_profile("explore", derandomize=False, max_examples=2000, deadline=None, print_blob=True)
# HYPOTHESIS_PROFILE picks one without the pytest option (--hypothesis-profile wins when given).
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
