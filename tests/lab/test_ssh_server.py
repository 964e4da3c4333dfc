"""The SSH server: host key, authentication, login suffixes, exec and interactive shell."""

import io
import socket
import threading
import time

import paramiko
import pytest

from cli_helpers import ssh_client, ssh_exec, ssh_listener, wait_for


def _read_until(channel, marker, timeout=10.0):
    data = b""
    deadline = time.monotonic() + timeout
    channel.settimeout(0.2)
    while marker.encode() not in data and time.monotonic() < deadline:
        try:
            chunk = channel.recv(4096)
        except socket.timeout:
            continue
        if not chunk:
            break
        data += chunk
    return data.decode("utf-8")


def test_host_key_checking_accepts_the_published_key_and_rejects_others(lab_router):
    client = ssh_client(lab_router)
    assert ssh_exec(client, ":put ok") == ("ok\n", 0)
    client.close()
    stranger = paramiko.SSHClient()
    stranger.set_missing_host_key_policy(paramiko.RejectPolicy())
    with pytest.raises(paramiko.SSHException):
        stranger.connect(lab_router.host, port=lab_router.ssh_port, username="admin", password=lab_router.password,
                         look_for_keys=False, allow_agent=False, timeout=10)
    stranger.close()
    listener = ssh_listener(lab_router)
    assert listener.fingerprint.startswith("SHA256:")
    assert listener.known_hosts_line().startswith("[127.0.0.1]:%d ssh-rsa " % lab_router.ssh_port)


def test_login_suffix_is_stripped_and_wrong_passwords_fail(lab_router):
    for login in ("admin", "admin+cet512w", "admin+t"):
        client = ssh_client(lab_router, username=login)
        out, status = ssh_exec(client, ":put [/system identity get name]")
        assert (out, status) == ("MikroTik\n", 0)
        client.close()
    with pytest.raises(paramiko.AuthenticationException):
        ssh_client(lab_router, password="wrong")


def test_public_key_authentication(lab_router):
    key = paramiko.RSAKey.generate(2048)
    listener = ssh_listener(lab_router)
    listener.add_authorized_key("admin", "ssh-rsa %s lab-test" % key.get_base64())
    client = paramiko.SSHClient()
    listener.add_to_host_keys(client.get_host_keys())
    client.set_missing_host_key_policy(paramiko.RejectPolicy())
    client.connect(lab_router.host, port=lab_router.ssh_port, username="admin+cet512w", pkey=key,
                   look_for_keys=False, allow_agent=False, timeout=10)
    assert ssh_exec(client, ":put key") == ("key\n", 0)
    client.close()
    other = paramiko.RSAKey.generate(2048)
    client = paramiko.SSHClient()
    listener.add_to_host_keys(client.get_host_keys())
    with pytest.raises(paramiko.AuthenticationException):
        client.connect(lab_router.host, port=lab_router.ssh_port, username="admin", pkey=other,
                       look_for_keys=False, allow_agent=False, timeout=10)
    client.close()


def test_exec_output_uses_crlf_and_exit_status_zero_on_errors(lab_router):
    client = ssh_client(lab_router)
    stdout = client.exec_command("/ip route add gateway=10.0.0.1 routing-mark=odd")[1]
    raw = stdout.read()
    assert raw == b"expected end of command (line 1 column 32)\r\n"
    assert stdout.channel.recv_exit_status() == 0
    client.close()


def test_interactive_shell_prompt_navigation_and_quit(lab_router):
    client = ssh_client(lab_router)
    channel = client.invoke_shell(width=512)
    assert _read_until(channel, "] > ").endswith("[admin@MikroTik] > ")
    channel.send("/ip firewall mangle\r")
    assert _read_until(channel, "mangle> ").endswith("[admin@MikroTik] /ip/firewall/mangle> ")
    channel.send("add chain=forward action=accept \\\r comment=shell\r")
    _read_until(channel, "mangle> ")
    channel.send("print\r")
    printed = _read_until(channel, "mangle> ")
    assert "comment" in printed or ";;; shell" in printed
    channel.send("bogus\r")
    assert "bad command name bogus (line 1 column 1)" in _read_until(channel, "mangle> ")
    channel.send("/quit\r")
    assert "interrupted" in _read_until(channel, "interrupted")
    assert wait_for(channel.exit_status_ready, timeout=5)
    client.close()
    rows = lab_router.router.rows("/ip/firewall/mangle")
    assert [r.get("comment") for r in rows] == ["shell"]


def test_parallel_sessions(lab_router):
    results = []

    def worker(number):
        client = ssh_client(lab_router)
        try:
            results.append(ssh_exec(client, "/ip firewall address-list add list=P address=10.0.%d.1\n:put done" % number))
        finally:
            client.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == [("done\n", 0)] * 4
    assert len(lab_router.router.rows("/ip/firewall/address-list")) == 4


def test_a_connection_idle_between_two_exec_requests_stays_open(lab_router, monkeypatch):
    """A client planning a large change keeps its connection between the read and the writes: only a connection that
    opens no channel at all is dropped after AUTH_TIMEOUT; once it ran a command, the idle limit is IDLE_TIMEOUT."""
    from routeros_lab import ssh

    monkeypatch.setattr(ssh, "AUTH_TIMEOUT", 0.5)
    monkeypatch.setattr(ssh, "IDLE_TIMEOUT", 30.0)
    client = ssh_client(lab_router)
    try:
        assert ssh_exec(client, ":put first") == ("first\n", 0)
        time.sleep(1.5)
        assert ssh_exec(client, ":put second") == ("second\n", 0)
    finally:
        client.close()
    silent = ssh_client(lab_router)
    try:
        transport = silent.get_transport()
        assert wait_for(lambda: not transport.is_active(), timeout=10)
    finally:
        silent.close()


def test_host_key_can_be_loaded_from_a_file(tmp_path):
    from routeros_lab import Router
    from routeros_lab.ssh import SshListener
    key = paramiko.RSAKey.generate(2048)
    buf = io.StringIO()
    key.write_private_key(buf)
    path = tmp_path / "host_key"
    path.write_text(buf.getvalue())
    listener = SshListener(Router(), "127.0.0.1", 0, {"admin": "pw"}, host_key=str(path)).start()
    try:
        client = paramiko.SSHClient()
        client.get_host_keys().add("[127.0.0.1]:%d" % listener.port, "ssh-rsa", key)
        client.set_missing_host_key_policy(paramiko.RejectPolicy())
        client.connect("127.0.0.1", port=listener.port, username="admin", password="pw", look_for_keys=False,
                       allow_agent=False, timeout=10)
        assert ssh_exec(client, ":put 1") == ("1\n", 0)
        client.close()
    finally:
        listener.stop()


def test_drop_after_writes_closes_the_ssh_connection(lab_router):
    client = ssh_client(lab_router)
    lab_router.control.set_faults(drop_after_writes=1)
    assert ssh_exec(client, "/routing table add name=A fib") == ("", 0)
    # the connection closes under the exec request: no output, no exit status
    assert ssh_exec(client, "/routing table add name=B fib\n/routing table add name=C fib") == ("", -1)
    assert wait_for(lambda: not client.get_transport().is_active(), timeout=5)
    client.close()
    assert [r["name"] for r in lab_router.router.rows("/routing/table")] == ["main", "A"]
