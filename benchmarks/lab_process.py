"""One lab router in a process of its own, as a real router is: the benchmark's process only measures.

The router serves the plain API and SSH on free ports of 127.0.0.1; faults and counters go through its control port
(``python -m routeros_lab serve --control-port``), the way ``python -m routeros_lab ctl`` reaches them.
"""

import os
import re
import subprocess
import sys
import time

from routeros_lab.control import request

START_TIMEOUT = 120
USERNAME = "admin"
PASSWORD = "bench-secret"


def stop(proc):
    """Stop a lab process: asked first, killed when it does not go within 30 s."""
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class LabProcess:
    """``with LabProcess(max_lifetime=s) as lab:`` a fresh router; ``lab.api_port``, ``lab.ssh_port``, ``lab.control()``."""

    host = "127.0.0.1"
    username = USERNAME
    password = PASSWORD

    def __init__(self, max_lifetime):
        self.max_lifetime = max_lifetime
        self.proc = None
        self.api_port = self.ssh_port = self.control_port = None

    def __enter__(self):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "routeros_lab", "serve", "--api-port", "0", "--ssh-port", "0", "--control-port", "0",
             "--user", USERNAME, "--password", PASSWORD, "--max-lifetime", str(self.max_lifetime)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=dict(os.environ))
        deadline = time.monotonic() + START_TIMEOUT
        while self.control_port is None and time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            ready = re.match(r"router \S+ api=[\d.]+:(\d+) ssh=[\d.]+:(\d+) ready", line)
            if ready:
                self.api_port, self.ssh_port = int(ready.group(1)), int(ready.group(2))
            control = re.match(r"control=[\d.]+:(\d+) ready", line)
            if control:
                self.control_port = int(control.group(1))
        if self.control_port is None or self.api_port is None:
            self.__exit__(None, None, None)
            raise SystemExit("the lab router did not start")
        return self

    def __exit__(self, *exc):
        stop(self.proc)
        self.proc.stdout.close()

    def control(self, op, **args):
        """One control-port operation (``counters``, ``reset_counters``, ``set_faults``...): its result."""
        reply = request(self.control_port, dict(args, op=op), host=self.host, timeout=600)
        if not reply.get("ok"):
            raise SystemExit("lab control %s failed: %s" % (op, reply.get("error")))
        return reply.get("result")
