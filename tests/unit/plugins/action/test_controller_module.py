# -*- coding: utf-8 -*-
"""The connection options the action plugins take from inventory variables (task args + host vars -> params).

Runs through ansible-playbook against the lab router are in tests/functional/test_user_playbook.py.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.multiwan.routeros.plugins.module_utils.connection import connection_argument_spec
from ansible_collections.multiwan.routeros.plugins.module_utils.runs import config_spec, facts_spec
from ansible_collections.multiwan.routeros.plugins.plugin_utils.controller_module import (
    INVENTORY_VARIABLES,
    connection_args,
)

SPEC = connection_argument_spec()

INVENTORY = {
    "inventory_hostname": "core",
    "ansible_host": "192.0.2.1",
    "ansible_user": "netops",
    "ansible_password": "s3cret",
    "multiwan_transport": "ssh",
    "multiwan_api_port": 18728,
    "multiwan_api_tls": True,
    "multiwan_validate_certs": False,
    "multiwan_ca_path": "/etc/ca.pem",
    "ansible_port": 2222,
    "ansible_ssh_private_key_file": "~/.ssh/router",
    "multiwan_host_key_checking": False,
    "multiwan_known_hosts": "/etc/known_hosts",
    "multiwan_validate_cert_hostname": False,
    "multiwan_tls_fingerprint": "AB:CD",
    "multiwan_tls_known_hosts": "/etc/tls_known_hosts",
}


def as_is(name, value):
    return value


def test_every_connection_variable_fills_its_option():
    assert connection_args({"owner": "tables"}, INVENTORY, SPEC, as_is) == {
        "owner": "tables",
        "hostname": "192.0.2.1",
        "username": "netops",
        "password": "s3cret",
        "transport": "ssh",
        "port": 18728,
        "tls": True,
        "validate_certs": False,
        "ca_path": "/etc/ca.pem",
        "ssh_port": 2222,
        "private_key": "~/.ssh/router",
        "host_key_checking": False,
        "known_hosts": "/etc/known_hosts",
        "validate_cert_hostname": False,
        "tls_fingerprint": "AB:CD",
        "tls_known_hosts": "/etc/tls_known_hosts",
    }


def test_certificate_pins_default_to_the_file_the_tls_bootstrap_writes():
    params = connection_args({}, {"inventory_hostname": "core", "inventory_dir": "/srv/inv"}, SPEC, as_is)
    assert params["tls_known_hosts"] == "/srv/inv/tls_known_hosts"


def test_bare_inventory_gives_the_inventory_name_and_admin():
    # Every other option keeps the module's own default.
    assert connection_args({}, {"inventory_hostname": "core"}, SPEC, as_is) == {"hostname": "core", "username": "admin"}


def test_explicit_options_win():
    args = {"hostname": "10.0.0.1", "username": "ro", "port": 1, "validate_certs": True, "tls": False}
    params = connection_args(args, INVENTORY, SPEC, as_is)
    assert {k: params[k] for k in args} == args
    assert params["password"] == "s3cret"


def test_an_alias_counts_as_the_option():
    params = connection_args({"ssl": False}, INVENTORY, SPEC, as_is)
    assert "tls" not in params and params["ssl"] is False


def test_none_counts_as_unset():
    # An argument that templates to null does not hide the inventory value.
    assert connection_args({"password": None}, INVENTORY, SPEC, as_is)["password"] == "s3cret"
    assert connection_args({}, dict(INVENTORY, ansible_password=None), SPEC, as_is).get("password") is None


def test_only_the_variables_used_are_rendered():
    rendered = []

    def render(name, value):
        rendered.append(name)
        return "rendered-%s" % value

    params = connection_args({"password": "given", "hostname": "h"}, INVENTORY, SPEC, render)
    assert params["password"] == "given" and params["hostname"] == "h"
    assert params["username"] == "rendered-netops"
    assert "ansible_password" not in rendered and "ansible_host" not in rendered
    assert "inventory_hostname" not in rendered


def test_the_table_names_each_option_once_and_only_known_options():
    options = [row[0] for row in INVENTORY_VARIABLES]
    assert len(options) == len(set(options))
    assert set(options) <= set(SPEC)
    # Both modules share the connection options, so one table serves both action plugins.
    for spec, _constraints in (config_spec(), facts_spec()):
        assert set(options) <= set(spec)


def test_module_specs_keep_no_log_on_secrets():
    for spec, _constraints in (config_spec(), facts_spec()):
        assert spec["password"]["no_log"] is True
        assert spec["private_key_passphrase"]["no_log"] is True
