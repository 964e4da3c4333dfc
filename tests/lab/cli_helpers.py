"""Helpers for the CLI, export, SSH and scripting tests: real paramiko and librouteros clients."""

import time

import paramiko


def ssh_client(lab, username=None, password=None):
    """A paramiko client that checks the lab router's host key (trusted explicitly)."""
    client = paramiko.SSHClient()
    listener = ssh_listener(lab)
    listener.add_to_host_keys(client.get_host_keys())
    client.set_missing_host_key_policy(paramiko.RejectPolicy())
    client.connect(lab.host, port=lab.ssh_port, username=username or lab.username + "+cet512w",
                   password=lab.password if password is None else password, look_for_keys=False,
                   allow_agent=False, timeout=10)
    return client


def ssh_listener(lab):
    for listener in lab.server._listeners:
        if getattr(listener, "port", None) == lab.ssh_port and hasattr(listener, "host_key"):
            return listener
    raise AssertionError("no SSH listener on port %s" % lab.ssh_port)


def ssh_exec(client, command):
    """Run one exec request; return (output with CRLF turned into LF, exit status)."""
    stdout = client.exec_command(command, timeout=20)[1]
    data = stdout.read().decode("utf-8")
    status = stdout.channel.recv_exit_status()
    return data.replace("\r\n", "\n"), status


def wait_for(predicate, timeout=10.0, step=0.1):
    """Poll a condition, bounded in time; returns its last value."""
    deadline = time.monotonic() + timeout
    value = predicate()
    while not value and time.monotonic() < deadline:
        time.sleep(step)
        value = predicate()
    return value


def body(export_text):
    """An export without its header comment lines (the timestamp changes)."""
    return "\n".join(line for line in export_text.splitlines() if not line.startswith("#"))
