"""Transport security against the lab router, through the real modules and clients: API-SSL by default with the
host name checked, fingerprint pinning, the plain-API warning, connection errors naming the endpoint, and the
TLS bootstrap playbook over SSH (check-mode twin, first use, re-run, changed certificate)."""

from __future__ import annotations

import json
import os
import re
import socket
import ssl
import subprocess
import sys
import textwrap
import threading

import pytest

from engine_support import lab_host_key, run_module_file, writes

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FACTS = os.path.join(ROOT, "plugins", "modules", "facts.py")
BOOTSTRAP = os.path.join(ROOT, "playbooks", "bootstrap_tls.yml")


def run_facts(args):
    """The facts module as Ansible runs a module: a new Python process reading its arguments from a file."""
    return run_module_file(FACTS, dict(args, gather=["identity"]))


def warnings_of(result):
    """The warning texts of a module result (ansible-core 2.19 returns them as structured events)."""
    return [w if isinstance(w, str) else w["event"]["msg"] for w in result.get("warnings", [])]


def login(lab, **options):
    return dict({"hostname": lab.host, "username": lab.username, "password": lab.password, "timeout": 10}, **options)


class RecordingProxy:
    """A TCP relay on 127.0.0.1 that keeps every byte the client sent: what an observer on the path sees."""

    def __init__(self, port):
        self.target = port
        self.sent = bytearray()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.sock.settimeout(30)
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        try:
            client, _addr = self.sock.accept()
        except OSError:
            return
        server = socket.create_connection(("127.0.0.1", self.target), timeout=30)
        back = threading.Thread(target=self._pipe, args=(server, client, None), daemon=True)
        back.start()
        self._pipe(client, server, self.sent)
        back.join(timeout=30)

    @staticmethod
    def _pipe(src, dst, record):
        src.settimeout(30)
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                if record is not None:
                    record.extend(data)
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (src, dst):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self):
        self.sock.close()
        self.thread.join(timeout=30)


def test_api_ssl_is_the_default_and_the_password_never_crosses_in_clear(lab_router):
    secure = RecordingProxy(lab_router.api_ssl_port)
    try:
        # No tls option: the module's default is API-SSL, the certificate checked against the CA and the host name.
        result = run_facts(login(lab_router, port=secure.port, ca_path=lab_router.certfile))
    finally:
        secure.close()
    assert not result.get("failed"), result
    assert result["identity"] == "MikroTik"
    assert not result.get("warnings")
    assert lab_router.password.encode() not in bytes(secure.sent)
    assert b"/login" not in bytes(secure.sent)

    plain = RecordingProxy(lab_router.api_port)
    try:
        result = run_facts(login(lab_router, port=plain.port, tls=False))
    finally:
        plain.close()
    assert not result.get("failed"), result
    # What the warning is about: the observer reads the login.
    assert lab_router.password.encode() in bytes(plain.sent)
    [warning] = warnings_of(result)
    assert "127.0.0.1" in warning and "tls=false" in warning and "unencrypted" in warning
    assert lab_router.password not in warning and lab_router.password not in json.dumps(result)


def issue(lab, name, alt):
    """Have the lab router sign a certificate for ``alt`` and serve it on API-SSL (the console commands of RouterOS)."""
    lab.control.cli('/certificate add name=%s common-name=%s subject-alt-name=%s days-valid=30\n'
                    '/certificate sign %s\n/ip service set api-ssl certificate=%s disabled=no' % (name, name, alt, name, name))
    return [row for row in lab.control.dump()["rows"]["/certificate"] if row["name"] == name][0]["fingerprint"]


def test_a_certificate_for_another_name_is_refused_unless_the_user_opts_out(lab_router, tmp_path):
    issue(lab_router, "other", "DNS:other.example")
    ca = tmp_path / "other.pem"
    # The certificate as any TLS client receives it, trusted as its own CA: only its name is wrong.
    ca.write_text(ssl.get_server_certificate((lab_router.host, lab_router.api_ssl_port)))
    args = login(lab_router, port=lab_router.api_ssl_port, ca_path=str(ca))
    refused = run_facts(args)
    assert refused["failed"]
    assert "127.0.0.1:%d (API-SSL)" % lab_router.api_ssl_port in refused["msg"]
    assert "mismatch" in refused["msg"] and "validate_cert_hostname" in refused["msg"]
    accepted = run_facts(dict(args, validate_cert_hostname=False))
    assert not accepted.get("failed"), accepted
    assert accepted["identity"] == "MikroTik"
    assert any("validate_cert_hostname=false" in w for w in warnings_of(accepted))


def test_a_pinned_fingerprint_replaces_the_ca(lab_router, tmp_path):
    fingerprint = issue(lab_router, "self", "IP:127.0.0.1")
    args = login(lab_router, port=lab_router.api_ssl_port)
    # Self-signed and no CA given: refused, the error says how to trust it.
    unknown = run_facts(args)
    assert unknown["failed"] and "tls_fingerprint" in unknown["msg"]
    pinned = run_facts(dict(args, tls_fingerprint=":".join(fingerprint[i:i + 2] for i in range(0, 64, 2)).upper()))
    assert not pinned.get("failed"), pinned
    assert pinned["identity"] == "MikroTik"
    pins = tmp_path / "tls_known_hosts"
    pins.write_text("127.0.0.1:%d %s\n" % (lab_router.api_ssl_port, fingerprint))
    from_file = run_facts(dict(args, tls_known_hosts=str(pins)))
    assert not from_file.get("failed"), from_file
    # Another certificate at the same address: refused before the login, naming both fingerprints.
    replaced = issue(lab_router, "replaced", "IP:127.0.0.1")
    for changed in (run_facts(dict(args, tls_fingerprint=fingerprint)), run_facts(dict(args, tls_known_hosts=str(pins)))):
        assert changed["failed"]
        assert "127.0.0.1:%d (API-SSL)" % lab_router.api_ssl_port in changed["msg"]
        assert replaced in changed["msg"] and fingerprint in changed["msg"]
    bad = run_facts(dict(args, tls_fingerprint="not-a-fingerprint"))
    assert bad["failed"] and "tls_fingerprint must be" in bad["msg"]


def closed_port():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


@pytest.mark.parametrize("options, service", [
    ({}, "API-SSL"),
    ({"tls": False}, "API"),
    ({"transport": "ssh", "host_key_checking": False}, "SSH"),
])
def test_connection_errors_name_host_port_and_service(lab_router, options, service):
    port = closed_port()
    args = login(lab_router, **options)
    args["ssh_port" if service == "SSH" else "port"] = port
    result = run_facts(args)
    assert result["failed"]
    assert "cannot connect to 127.0.0.1:%d (%s): connection refused" % (port, service) in result["msg"]
    assert lab_router.password not in json.dumps(result)


def test_wrong_password_names_the_endpoint_without_the_secret(lab_router):
    result = run_facts(login(lab_router, port=lab_router.api_ssl_port, ca_path=lab_router.certfile, password="wrong-pw-123"))
    assert result["failed"]
    assert "login to 127.0.0.1:%d (API-SSL) failed" % lab_router.api_ssl_port in result["msg"]
    assert "wrong-pw-123" not in json.dumps(result)


# ---- the bootstrap playbook ----------------------------------------------------------------------

def run_bootstrap(tmp_path, lab, *extra):
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True, exist_ok=True)
    (home / ".ssh" / "known_hosts").write_text(lab_host_key(lab) + "\n")
    inventory = tmp_path / "inventory" / "hosts.yml"
    inventory.parent.mkdir(exist_ok=True)
    inventory.write_text(textwrap.dedent("""\
        ---
        all:
          children:
            multiwan_core:
              hosts:
                core:
                  ansible_host: 127.0.0.1
                  ansible_port: %d
                  ansible_user: %s
                  ansible_password: %s
                  ansible_connection: local
                  multiwan_api_port: %d
        """ % (lab.ssh_port, lab.username, lab.password, lab.api_ssl_port)))
    env = dict(os.environ, HOME=str(home), ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_NOCOLOR="1",
               ANSIBLE_FORCE_COLOR="0", ANSIBLE_HOST_KEY_CHECKING="1", ANSIBLE_RETRY_FILES_ENABLED="0",
               ANSIBLE_LOCAL_TEMP=str(tmp_path / "tmp"), ANSIBLE_PYTHON_INTERPRETER=sys.executable)
    playbook = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")
    proc = subprocess.run([playbook, "-i", str(inventory), BOOTSTRAP] + list(extra), cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    return proc, tmp_path / "inventory" / "tls_known_hosts"


def recap(proc):
    match = re.search(r"core\s*:\s*ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", proc.stdout)
    assert match, proc.stdout[-3000:] + proc.stderr[-2000:]
    return {"ok": int(match.group(1)), "changed": int(match.group(2)), "failed": int(match.group(4))}


def api_ssl(lab):
    return [row for row in lab.control.dump()["rows"]["/ip/service"] if row["name"] == "api-ssl"][0]


@pytest.mark.slow
def test_bootstrap_creates_pins_and_then_verifies(lab_router, tmp_path):
    lab_router.control.reset_counters()
    # Check mode: reads over SSH, reports the commands it would run, writes nothing on the router or the controller.
    proc, pins = run_bootstrap(tmp_path, lab_router, "--check")
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert recap(proc)["changed"] == 1 and recap(proc)["failed"] == 0
    assert '/certificate add name=\\"multiwan-api-ssl\\" common-name=\\"127.0.0.1\\" subject-alt-name=\\"IP:127.0.0.1\\"' in proc.stdout
    assert writes(lab_router) == 0 and not pins.exists()
    assert lab_router.control.dump()["rows"].get("/certificate", []) == []

    proc, pins = run_bootstrap(tmp_path, lab_router)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert recap(proc)["changed"] == 2  # the router (certificate, service) and the pin file
    [cert] = lab_router.control.dump()["rows"]["/certificate"]
    assert cert["name"] == "multiwan-api-ssl" and cert["subject-alt-name"] == "IP:127.0.0.1"
    assert api_ssl(lab_router)["certificate"] == "multiwan-api-ssl" and api_ssl(lab_router)["disabled"] == "false"
    assert pins.read_text() == "127.0.0.1:%d %s\n" % (lab_router.api_ssl_port, cert["fingerprint"])
    # API-SSL serves the signed certificate, and the modules verify it with the pin file alone.
    seen = ssl.DER_cert_to_PEM_cert(ssl.PEM_cert_to_DER_cert(ssl.get_server_certificate((lab_router.host, lab_router.api_ssl_port))))
    assert __import__("hashlib").sha256(ssl.PEM_cert_to_DER_cert(seen)).hexdigest() == cert["fingerprint"]
    result = run_facts(login(lab_router, port=lab_router.api_ssl_port, tls_known_hosts=str(pins)))
    assert not result.get("failed"), result
    assert lab_router.password not in proc.stdout + proc.stderr

    # Re-run and its check-mode twin: nothing to do, the pin verified by a TLS login.
    for extra in (["--check"], []):
        lab_router.control.reset_counters()
        proc, _pins = run_bootstrap(tmp_path, lab_router, *extra)
        assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
        assert recap(proc)["changed"] == 0
        assert writes(lab_router) == 0
        assert "Read the identity over API-SSL, verifying the pin" in proc.stdout
    assert pins.read_text() == "127.0.0.1:%d %s\n" % (lab_router.api_ssl_port, cert["fingerprint"])

    # Another certificate behind the same name: the run fails, naming the endpoint and both fingerprints.
    lab_router.control.cli('/certificate remove [find name=multiwan-api-ssl]\n'
                           '/certificate add name=multiwan-api-ssl common-name=127.0.0.1 subject-alt-name=IP:127.0.0.1\n'
                           '/certificate sign multiwan-api-ssl\n/ip service set api-ssl certificate=multiwan-api-ssl')
    [new] = lab_router.control.dump()["rows"]["/certificate"]
    proc, _pins = run_bootstrap(tmp_path, lab_router)
    assert proc.returncode != 0
    assert recap(proc)["failed"] == 1
    assert "127.0.0.1:%d" % lab_router.api_ssl_port in proc.stdout
    assert new["fingerprint"] in proc.stdout and cert["fingerprint"] in proc.stdout
    assert pins.read_text() == "127.0.0.1:%d %s\n" % (lab_router.api_ssl_port, cert["fingerprint"])


def test_bootstrap_rejects_bad_variables_before_connecting(lab_router, tmp_path):
    lab_router.control.reset_counters()
    proc, pins = run_bootstrap(tmp_path, lab_router, "-e", "multiwan_tls_certificate='bad name\"'")
    assert proc.returncode != 0
    assert "multiwan_tls_certificate" in proc.stdout and "no router was contacted" in proc.stdout
    assert lab_router.control.counters()["reads"] == {} and not pins.exists()
