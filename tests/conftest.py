"""Shared test configuration: the lab router fixtures (``lab_router``, ``lab_router_factory``)."""

import os
import sys

_LAB = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "lab")
if _LAB not in sys.path:
    sys.path.insert(0, _LAB)

pytest_plugins = ["routeros_lab.pytest_plugin"]
