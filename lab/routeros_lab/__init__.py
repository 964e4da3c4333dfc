"""routeros_lab: a RouterOS v7 emulator (binary API, API-SSL, SSH CLI) for tests and rehearsals."""

from .model import Fault, Item, Menu, Reply, Router, Trap
from .server import LabServer

__all__ = ["Fault", "Item", "LabServer", "Menu", "Reply", "Router", "Trap"]
