"""What the console needs to know about the menu tree, read from the router's model.

The model (``router.menu(path)``) describes the menus that hold data; the console also needs RouterOS's
directories (``/ip``, ``/ip firewall``, ``menus.DIRECTORIES``) to tell a path word from a command word.
"""

from typing import Any, Dict, List, Optional

from ..menus import DIRECTORIES, TOOLS, TREE

TABLE_COMMANDS = ("add", "set", "remove", "move", "unset", "enable", "disable", "print", "export", "find", "get",
                  "edit", "comment", "reset-counters", "reset-counters-all")
SINGLETON_COMMANDS = ("set", "print", "export", "get", "unset", "edit")
DIRECTORY_COMMANDS = ("export",)


def _cache(router: Any) -> Dict[Any, Any]:
    """Menu metadata does not change while a router runs: remember answers per router."""
    cache = getattr(router, "_cli_menu_cache", None)
    if cache is None:
        cache = {}
        try:
            setattr(router, "_cli_menu_cache", cache)
        except AttributeError:
            pass
    return cache


def _cached(func):
    def wrapper(router: Any, path: str) -> Any:
        cache = _cache(router)
        key = (func.__name__, path)
        if key not in cache:
            cache[key] = func(router, path)
        return cache[key]
    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper


@_cached
def menu_meta(router: Any, path: str) -> Optional[Any]:
    """The model's menu object for a data menu, or None."""
    getter = getattr(router, "menu", None)
    if getter is None:
        return None
    try:
        return getter(path)
    except (KeyError, LookupError, ValueError):
        return None


def _attr(meta: Any, names: tuple, default: Any = None) -> Any:
    for name in names:
        if isinstance(meta, dict) and name in meta:
            return meta[name]
        if hasattr(meta, name):
            return getattr(meta, name)
    return default


@_cached
def is_menu(router: Any, path: str) -> bool:
    """Whether ``path`` (``/ip/firewall``) is a menu path word rather than a command (``menus.DIRECTORIES``)."""
    return path in DIRECTORIES or menu_meta(router, path) is not None


@_cached
def is_singleton(router: Any, path: str) -> bool:
    meta = menu_meta(router, path)
    if meta is None:
        return False
    value = _attr(meta, ("singleton", "is_singleton"))
    if value is not None:
        return bool(value)
    kind = _attr(meta, ("kind", "type"))
    return kind == "singleton"


@_cached
def is_ordered(router: Any, path: str) -> bool:
    meta = menu_meta(router, path)
    return bool(_attr(meta, ("ordered", "is_ordered"), False)) if meta is not None else False


@_cached
def name_key(router: Any, path: str) -> Optional[str]:
    meta = menu_meta(router, path)
    if meta is None:
        return None
    key = _attr(meta, ("name_field", "name_key", "name"))
    if key is True:
        return "name"
    if isinstance(key, str):
        return key
    return None


@_cached
def kind(router: Any, path: str) -> str:
    if menu_meta(router, path) is not None:
        return "singleton" if is_singleton(router, path) else "table"
    return "dir"


# Commands the console runs (``Interpreter.cmd_*``); a menu offers those its RouterOS tree has.
CLI_COMMANDS = ("add", "set", "remove", "move", "unset", "enable", "disable", "print", "export", "find", "get", "edit",
                "comment", "reset", "reset-counters", "reset-counters-all")


def tree_arguments(path: str, command: str) -> Optional[tuple]:
    """The arguments of ``command`` in RouterOS 7.19's tree, or None for menus the tree copy lacks."""
    tool = TOOLS.get(path + "/" + command)
    if tool is not None:
        return tuple(tool)
    tree = TREE.get(path)
    if tree is None or command not in tree["commands"]:
        return None
    return tuple(tree["commands"][command])


@_cached
def commands_of(router: Any, path: str) -> tuple:
    tree = TREE.get(path)
    if tree is not None:
        return tuple(c for c in CLI_COMMANDS if c in tree["commands"])
    k = kind(router, path)
    if k == "table":
        return TABLE_COMMANDS
    if k == "singleton":
        return SINGLETON_COMMANDS
    return DIRECTORY_COMMANDS


def rows(router: Any, path: str) -> List[Dict[str, str]]:
    return list(router.rows(path))


@_cached
def field_specs(router: Any, path: str) -> Dict[str, Dict[str, Any]]:
    meta = menu_meta(router, path)
    fields = _attr(meta, ("fields",), None) if meta is not None else None
    if isinstance(fields, dict):
        return {k: (v if isinstance(v, dict) else {}) for k, v in fields.items()}
    return {}


def clearable(router: Any, path: str, name: str) -> bool:
    """Whether ``!name`` may unset this property in ``set`` (the model's ``clear`` flag; RouterOS's
    console answers ``syntax error`` otherwise, first-hand for ``!routing-table`` on 7.21.4)."""
    return bool(field_specs(router, path).get(name, {}).get("clear"))
