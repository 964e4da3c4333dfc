"""The latency fault delays the answers of every protocol: API, API-SSL, SSH exec and SSH shell.

Only lower bounds are asserted: a loaded machine may answer later, never earlier.
"""

import socket
import time

from cli_helpers import ssh_client, ssh_exec

LATENCY_MS = 400
AT_LEAST = 0.9 * LATENCY_MS / 1000.0


def _timed(call):
    start = time.monotonic()
    result = call()
    return result, time.monotonic() - start


def _read_until(channel, marker, timeout=10.0):
    data = b""
    deadline = time.monotonic() + timeout
    channel.settimeout(0.1)
    while marker not in data and time.monotonic() < deadline:
        try:
            chunk = channel.recv(4096)
        except socket.timeout:
            continue
        if not chunk:
            break
        data += chunk
    return data


def test_latency_applies_to_ssh_exec_and_shell_commands(lab_router):
    # the lab serves one channel at a time per SSH connection: the shell gets a connection of its own
    client, console = ssh_client(lab_router), ssh_client(lab_router)
    try:
        shell = console.invoke_shell()
        assert b"] > " in _read_until(shell, b"] > ")
        lab_router.control.set_faults(latency_ms=LATENCY_MS)
        (out, status), elapsed = _timed(lambda: ssh_exec(client, ":put [/system identity get name]"))
        assert (out, status) == ("MikroTik\n", 0)
        assert elapsed >= AT_LEAST
        shell.sendall(b":put latency\r")
        data, elapsed = _timed(lambda: _read_until(shell, b"\r\nlatency\r\n"))
        assert b"\r\nlatency\r\n" in data
        assert elapsed >= AT_LEAST
        lab_router.control.set_faults(latency_ms=0)
        assert ssh_exec(client, ":put cleared") == ("cleared\n", 0)
    finally:
        client.close()
        console.close()


def test_latency_applies_to_api_and_api_ssl(lab_router):
    plain, tls = lab_router.api(), lab_router.api_ssl()
    try:
        lab_router.control.set_faults(latency_ms=LATENCY_MS)
        for api in (plain, tls):
            rows, elapsed = _timed(lambda: list(api.path("system", "identity")))
            assert rows == [{"name": "MikroTik"}]
            assert elapsed >= AT_LEAST
    finally:
        plain.close()
        tls.close()
