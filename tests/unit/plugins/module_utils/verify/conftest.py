# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Make the shared intent samples (tests/unit/plugins/module_utils/compile/multiwan_samples.py) importable."""

import os
import sys

_SAMPLES = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "../compile"))
if _SAMPLES not in sys.path:
    sys.path.insert(0, _SAMPLES)
