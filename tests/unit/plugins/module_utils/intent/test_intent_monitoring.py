# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""multiwan_monitoring: a probe host per WAN, the default filled in, every mistake named by its path."""

from multiwan_samples import core

from ansible_collections.multiwan.routeros.plugins.module_utils.intent import schema
from ansible_collections.multiwan.routeros.plugins.module_utils.intent.validate import core_intent, intent_errors


def test_every_wan_gets_the_default_probe_host_when_monitoring_is_not_set():
    intent = core_intent(core())
    assert intent.monitoring.probe_hosts == {"1012": "1.1.1.1", "1000": "1.1.1.1", "1005": "1.1.1.1", "VVG": "1.1.1.1"}
    assert schema.DEFAULT_PROBE_HOST == "1.1.1.1"


def test_probe_hosts_replace_the_default_of_the_wans_they_name():
    intent = core_intent(core(multiwan_monitoring={"probe_hosts": {"1012": "9.9.9.9"}}))
    assert intent.monitoring.probe_host("1012") == "9.9.9.9"
    assert intent.monitoring.probe_host("1000") == "1.1.1.1"


def test_an_unknown_wan_a_bad_address_and_an_unknown_key_are_all_named_by_their_path():
    errors = intent_errors(core(multiwan_monitoring={"probe_hosts": {"isp9": "9.9.9.9", "1012": "9.9.9"},
                                                     "notify": {"log": True}}), "core")
    assert errors == [
        "multiwan_monitoring.notify: unknown setting; allowed: probe_hosts",
        "multiwan_monitoring.probe_hosts.1012: must be an IPv4 address like 10.10.2.1, got '9.9.9'",
        "multiwan_monitoring.probe_hosts.isp9: unknown WAN; the WANs are 1012, 1000, 1005, VVG",
    ]


def test_probe_hosts_must_be_a_mapping():
    errors = intent_errors(core(multiwan_monitoring={"probe_hosts": ["9.9.9.9"]}), "core")
    assert len(errors) == 1 and errors[0].startswith("multiwan_monitoring.probe_hosts: must be a mapping")
