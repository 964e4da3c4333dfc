"""``/user set <name> password=...`` changes the login the router accepts, over API and SSH, at once."""

import librouteros
import paramiko
from librouteros.exceptions import TrapError

from cli_helpers import ssh_client, ssh_exec


def _api_login(lab, password, username=None):
    """True when the API takes the login; False when it refuses it."""
    try:
        connection = librouteros.connect(host=lab.host, username=username or lab.username, password=password,
                                         port=lab.api_port, timeout=10)
    except TrapError as exc:
        assert "invalid user name or password" in str(exc)
        return False
    connection.close()
    return True


def _ssh_login(lab, password, username=None):
    try:
        ssh_client(lab, username=username, password=password).close()
    except paramiko.AuthenticationException:
        return False
    return True


def test_a_password_set_over_the_api_replaces_the_old_one(lab_router):
    api = lab_router.api()
    try:
        users = api.path("/user")
        admin = next(row[".id"] for row in users if row["name"] == lab_router.username)
        users.update(**{".id": admin, "password": "changed-once"})
        # The session that changed it stays logged in, as on RouterOS.
        assert [row["name"] for row in api.path("/system/identity")] == ["MikroTik"]
    finally:
        api.close()
    assert _api_login(lab_router, "changed-once") and _ssh_login(lab_router, "changed-once")
    assert not _api_login(lab_router, lab_router.password) and not _ssh_login(lab_router, lab_router.password)


def test_a_password_set_on_the_console_replaces_the_old_one(lab_router):
    client = ssh_client(lab_router)
    try:
        assert ssh_exec(client, "/user set [find name=admin] password=changed-twice") == ("", 0)
    finally:
        client.close()
    assert _ssh_login(lab_router, "changed-twice") and _api_login(lab_router, "changed-twice")
    assert not _ssh_login(lab_router, lab_router.password) and not _api_login(lab_router, lab_router.password)
    # Never printed, never exported.
    client = ssh_client(lab_router, password="changed-twice")
    try:
        out, _status = ssh_exec(client, "/user print detail\n/export")
    finally:
        client.close()
    assert "changed-twice" not in out
