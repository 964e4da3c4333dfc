# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every ``multiwan_*`` variable name the collection knows, so a misspelt one is refused.

A typo such as ``multiwan_site`` would otherwise be silently ignored: the site policy would be
computed from no sites and, on a configured router, remove every site rule. The validator
therefore refuses any ``multiwan_*`` variable of the host that is not in this table. Names that
playbooks set themselves (set_fact, register, task vars) are visible to the validation task too,
so they are listed; a unit test checks that every ``multiwan_*`` name used in the repository is.
"""

import difflib
from typing import Optional

from ansible_collections.multiwan.routeros.plugins.module_utils.intent import schema

# Whether a name is offered as "did you mean ...": the playbooks' own working names never are.
SUGGEST = "suggest"
INTERNAL = "internal"

# The intent variables (schema.py: docs/intent.md's "Core variables" and "Edge variables"), and the
# names the intent contract reserves for later additions.
KNOWN_VARIABLES = dict((name, SUGGEST) for name in [var.name for var in schema.VARIABLES] + list(schema.RESERVED))
KNOWN_VARIABLES.update({
    # Connection settings (docs/intent.md, "Connection variables"; the phase playbooks' SSH options).
    "multiwan_transport": SUGGEST,
    "multiwan_api_port": SUGGEST,
    "multiwan_api_tls": SUGGEST,
    "multiwan_validate_certs": SUGGEST,
    "multiwan_ca_path": SUGGEST,
    "multiwan_host_key_checking": SUGGEST,
    "multiwan_known_hosts": SUGGEST,
    "multiwan_tls_known_hosts": SUGGEST,
    "multiwan_tls_fingerprint": SUGGEST,
    "multiwan_validate_cert_hostname": SUGGEST,
    # playbooks/bootstrap_tls.yml settings (docs/engine.md).
    "multiwan_tls_hosts": SUGGEST,
    "multiwan_tls_certificate": SUGGEST,
    "multiwan_tls_common_name": SUGGEST,
    "multiwan_tls_subject_alt_name": SUGGEST,
    "multiwan_tls_days_valid": SUGGEST,
    "multiwan_tls_key_size": SUGGEST,
    # Run control, usually extra vars (docs/playbooks.md).
    "multiwan_backup_hosts": SUGGEST,
    "multiwan_validation_hosts": SUGGEST,
    "multiwan_summary_dir": SUGGEST,
    "multiwan_render_dir": SUGGEST,
    # The run lock (playbooks/tasks/lock.yml): its timeout, and the run id to continue as a run that failed.
    "multiwan_lock_timeout": SUGGEST,
    "multiwan_lock_run_id": SUGGEST,
    # Commit-confirm (armed and disarmed with the run lock, playbooks/tasks/lock.yml and unlock.yml): whether this run armed it.
    "multiwan_confirm_armed": INTERNAL,
    # playbooks/rollback.yml: the backup to go back to (docs/playbooks.md), and its working names.
    "multiwan_rollback_backup": SUGGEST,
    "multiwan_rollback_file": INTERNAL,
    "multiwan_rollback_found": INTERNAL,
    "multiwan_rollback_text": INTERNAL,
    "multiwan_rollback_roles": INTERNAL,
    "multiwan_rollback_results": INTERNAL,
    # playbooks/failover_drill.yml: the WANs to drill and how long a table may take (docs/playbooks.md), its results.
    "multiwan_drill_wans": SUGGEST,
    "multiwan_drill_timeout": SUGGEST,
    "multiwan_drill_plan": INTERNAL,
    "multiwan_drill_result": INTERNAL,
    # The lab inventory and the Molecule scenario's lab routers.
    "multiwan_lab_control_port": SUGGEST,
    "multiwan_lab_dir": INTERNAL,
    "multiwan_lab_kill": INTERNAL,
    "multiwan_lab_lifetime": INTERNAL,
    "multiwan_lab_pid": INTERNAL,
    "multiwan_lab_python": INTERNAL,
    "multiwan_lab_repo": INTERNAL,
    "multiwan_lab_routers": INTERNAL,
    "multiwan_lab_topology": INTERNAL,
    # awx/configure.yml's settings and working names (a play on localhost, never a router's intent).
    "multiwan_awx_credential": INTERNAL,
    "multiwan_awx_credential_type": INTERNAL,
    "multiwan_awx_ee_image": INTERNAL,
    "multiwan_awx_execution_environment": INTERNAL,
    "multiwan_awx_failure_node": INTERNAL,
    "multiwan_awx_inventory": INTERNAL,
    "multiwan_awx_inventory_path": INTERNAL,
    "multiwan_awx_inventory_source": INTERNAL,
    "multiwan_awx_job_templates": INTERNAL,
    "multiwan_awx_notification": INTERNAL,
    "multiwan_awx_notification_url": INTERNAL,
    "multiwan_awx_organization": INTERNAL,
    "multiwan_awx_project": INTERNAL,
    "multiwan_awx_questions": INTERNAL,
    "multiwan_awx_scm_branch": INTERNAL,
    "multiwan_awx_scm_url": INTERNAL,
    "multiwan_awx_workflow": INTERNAL,
    "multiwan_awx_workflow_nodes": INTERNAL,
    # playbooks/phase.yml: the phase a numbered phase playbook runs, and its registry entry.
    "multiwan_phase": INTERNAL,
    "multiwan_phase_spec": INTERNAL,
    # playbooks/tasks/intent.yml (its own task vars are in scope while it validates).
    "multiwan_intent_errors": INTERNAL,
    # The gates of the phases (the config action's gate option, plugins/plugin_utils/gate.py): the plans carried
    # between phases.
    "multiwan_pending_plan": INTERNAL,
    # The phase summary (the gates), and the statistics AWX hands to the next job of a workflow as extra vars (the
    # gates' multiwan_summary, the backup's multiwan_backups).
    "multiwan_phase_summary": INTERNAL,
    "multiwan_summary": INTERNAL,
    "multiwan_backups": INTERNAL,
    # playbooks/tasks/failover.yml.
    "multiwan_failover_desired": INTERNAL,
    "multiwan_compiled": INTERNAL,
    "multiwan_intent": INTERNAL,
    "multiwan_verified": INTERNAL,
    "multiwan_validate_edge": INTERNAL,
    "multiwan_validate_kind_roles": INTERNAL,
    "multiwan_validate_problems": INTERNAL,
    "multiwan_failover_read": INTERNAL,
    "multiwan_failover_routes": INTERNAL,
    "multiwan_failover_wrong": INTERNAL,
    "multiwan_failover_chains": INTERNAL,
    # playbooks/tasks/validate.yml.
    "multiwan_validate_drift": INTERNAL,
    "multiwan_validate_offenders": INTERNAL,
    "multiwan_validate_read": INTERNAL,
    # playbooks/bootstrap_tls.yml.
    "multiwan_tls_address": INTERNAL,
    "multiwan_tls_cert_name": INTERNAL,
    "multiwan_tls_endpoint": INTERNAL,
    "multiwan_tls_fingerprint_pinned": INTERNAL,
    "multiwan_tls_fingerprint_seen": INTERNAL,
    "multiwan_tls_pin_file": INTERNAL,
    "multiwan_tls_plan": INTERNAL,
    "multiwan_tls_read": INTERNAL,
    "multiwan_tls_san": INTERNAL,
    "multiwan_tls_state": INTERNAL,
    # playbooks/tasks/lock.yml and unlock.yml.
    "multiwan_lock_held": INTERNAL,
    # playbooks/tasks/cleanup.yml (phase 75): the loop's role, and the fact of the roles it runs again.
    "multiwan_cleanup_role": INTERNAL,
    "multiwan_cleanup_roles": INTERNAL,
    # playbooks/render.yml.
    "multiwan_render_phases": INTERNAL,
    "multiwan_render_results": INTERNAL,
    "multiwan_render_folder": INTERNAL,
    # Task vars of the examples in docs/intent.md and the filters' documentation.
    "multiwan_problems": INTERNAL,
})

PREFIX = "multiwan_"
# difflib's ratio on the part after the prefix: high enough that "zzz" suggests nothing,
# low enough that "loadbalancing" finds "load_balancing".
_CUTOFF = 0.6


def is_known(name: str) -> bool:
    return name in KNOWN_VARIABLES


def closest(name: str) -> Optional[str]:
    """The known user-facing name a misspelt ``name`` most likely meant, or None."""
    suffixes = dict((known[len(PREFIX):], known) for known, use in KNOWN_VARIABLES.items() if use == SUGGEST)
    matches = difflib.get_close_matches(name[len(PREFIX):], list(suffixes), n=1, cutoff=_CUTOFF)
    return suffixes[matches[0]] if matches else None
