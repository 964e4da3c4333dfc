"""routeros_lab: a RouterOS v7 emulator (binary API, API-SSL, SSH CLI) for tests and rehearsals."""

from .model import Menu, Router
from .reply import Fault, Reply, Trap
from .storage import Item
from .server import LabServer

__all__ = ["Fault", "Item", "LabServer", "Menu", "Reply", "Router", "Trap"]
