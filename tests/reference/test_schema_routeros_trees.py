"""The engine's schema and the intent's value lists against the real RouterOS command trees: every menu,
command, argument and enumerated value the collection can write exists in RouterOS 7.19, the oldest
version it supports, and what differs in 7.22.3, the newest checked, is exactly what
``routeros_trees.REMOVED_IN_NEWEST`` lists."""

import pytest

import routeros_trees as trees

from ansible_collections.multiwan.routeros.plugins.module_utils.engine import schema
from ansible_collections.multiwan.routeros.plugins.module_utils.intent import validate

PATHS = sorted(schema.PATHS)
VERSIONS = (trees.OLDEST, trees.NEWEST)


def _writes(path):
    """The commands that write a path's fields: ``set`` on a singleton menu, ``add`` and ``set`` otherwise."""
    return ("set",) if schema.get(path).singleton else ("add", "set")


def _missing_fields(version, path):
    spec = schema.get(path)
    return sorted((verb, field) for verb in _writes(path) for field in spec.fields
                  if field not in trees.arguments(version, path, verb))


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("path", PATHS)
def test_every_menu_exists(path, version):
    assert trees.menu(version, path) is not None, "RouterOS %s has no menu %s" % (version, path)


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("path", PATHS)
def test_every_command_the_engine_renders_exists(path, version):
    """What cli.py and the API transport send: add (with place-before on ordered menus), set, remove,
    move (with destination), find where (the selector of set/remove/move), or set alone on a singleton."""
    spec = schema.get(path)
    if spec.singleton:
        assert trees.command(version, path, "set") is not None
        assert trees.command(version, path, "add") is None
        return
    for verb in ("add", "set", "remove", "find"):
        assert trees.command(version, path, verb) is not None, "RouterOS %s has no %s %s" % (version, path, verb)
    for verb in ("set", "remove"):
        assert "numbers" in trees.arguments(version, path, verb)
    assert "where" in trees.arguments(version, path, "find")
    if spec.ordered:
        assert "place-before" in trees.arguments(version, path, "add")
        assert {"numbers", "destination"} <= trees.arguments(version, path, "move")


@pytest.mark.parametrize("path", PATHS)
def test_every_field_is_an_argument_of_the_oldest_version(path):
    assert _missing_fields(trees.OLDEST, path) == []


@pytest.mark.parametrize("path", PATHS)
def test_the_newest_version_lacks_only_the_documented_fields(path):
    expected = sorted((verb, field) for verb in _writes(path) for (menu, field) in trees.REMOVED_IN_NEWEST
                      if menu == path and field in schema.get(path).fields)
    assert _missing_fields(trees.NEWEST, path) == expected


def test_every_documented_difference_is_real():
    """Each listed removal is an argument of 7.19 that 7.22.3 lacks, of a field the schema knows."""
    for path, field in sorted(trees.REMOVED_IN_NEWEST):
        assert field in schema.get(path).fields
        for verb in _writes(path):
            assert field in trees.arguments(trees.OLDEST, path, verb)
            assert field not in trees.arguments(trees.NEWEST, path, verb)


def _items(kind, value):
    return str(value).split(",") if kind == "set" else [str(value)]


def _offered(path, verb, field):
    values, _negatable = trees.completion(path, verb, field)
    assert values is not None, "RouterOS %s offers no values for %s %s %s" % (trees.VALUES_FROM, path, verb, field)
    return values


@pytest.mark.parametrize("path", PATHS)
def test_every_default_is_a_value_routeros_offers(path):
    """A default RouterOS offers as a value (``action=accept``, ``arp=enabled``, the policies) is one of
    its values; an empty default and one of a free-form argument have nothing to check."""
    spec = schema.get(path)
    verb = _writes(path)[0]
    for field, default in sorted(spec.defaults.items()):
        values, _negatable = trees.completion(path, verb, field)
        if values is None or default == "":
            continue
        for item in _items(spec.fields[field], default):
            assert item in values, "%s %s: default %s=%s is not one of %s" % (path, verb, field, item, sorted(values))


@pytest.mark.parametrize("path", PATHS)
def test_every_boolean_field_is_a_yes_no_argument(path):
    spec = schema.get(path)
    verb = _writes(path)[0]
    for field, kind in sorted(spec.fields.items()):
        values, _negatable = trees.completion(path, verb, field)
        if kind == "bool" and values is not None:
            assert values == {"yes", "no"}, "%s %s is no boolean on RouterOS: %s" % (path, field, sorted(values))


@pytest.mark.parametrize("path", PATHS)
def test_every_reference_names_a_field_and_a_key_of_a_known_menu(path):
    spec = schema.get(path)
    for field, (target, key_field) in sorted(spec.references.items()):
        assert field in spec.fields
        assert key_field in schema.get(target).fields


@pytest.mark.parametrize("menu, referrer, field", [
    ("/interface/list", "/interface/list/member", "list"),
    ("/routing/table", "/ip/route", "routing-table"),
])
def test_builtin_rows_are_the_names_routeros_offers(menu, referrer, field):
    """RouterOS offers the names of a menu's rows where another menu names one: on a fresh router
    those are the builtin rows the schema counts as always there."""
    assert set(schema.get(menu).builtin) == _offered(referrer, "add", field)


def test_intent_check_gateway_values():
    assert set(validate.CHECK_GATEWAY) <= _offered("/ip/route", "add", "check-gateway")


def test_intent_pcc_classifiers_are_exactly_routeros_classifiers():
    assert set(validate.PCC_CLASSIFIERS) == _offered("/ip/firewall/mangle", "add", "per-connection-classifier")


def test_intent_port_forward_protocols():
    assert set(validate.PROTOCOLS) <= _offered("/ip/firewall/nat", "add", "protocol")


@pytest.mark.parametrize("version", VERSIONS)
def test_intent_conntrack_settings(version):
    path = "/ip/firewall/connection/tracking"
    writable = trees.arguments(version, path, "set")
    for name, (kind, choices) in sorted(validate.CONNTRACK_SETTINGS.items()):
        field = name.replace("_", "-")
        assert field in writable and field in schema.get(path).fields
        if kind == "choice":
            assert set(choices) <= _offered(path, "set", field)
    for name in validate.CONNTRACK_READ_ONLY:
        assert name.replace("_", "-") not in writable


@pytest.mark.parametrize("path", ["/system/script", "/system/scheduler"])
def test_all_policies_are_routeros_policies(path):
    assert set(schema.ALL_POLICIES.split(",")) <= _offered(path, "add", "policy")
