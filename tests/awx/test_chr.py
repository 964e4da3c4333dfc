"""The Molecule ``chr`` scenario's testable parts (extensions/molecule/chr): the qemu command lines its helper
builds, the readiness loop, and the provisioning against a lab router standing in for a CHR VM's forwarded
ports; the scenario's skip without an image. Booting a CHR needs the image, which does not ship here."""

import os
import re
import socket
import subprocess
import sys
import threading
import time

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCENARIO = os.path.join(ROOT, "extensions", "molecule", "chr")
LAB_INVENTORY = os.path.join(ROOT, "inventory", "lab")
BIN = os.path.dirname(sys.executable)
sys.path.insert(0, SCENARIO)

import chr_vm  # noqa: E402

sys.path.insert(0, os.path.join(ROOT, "tests", "functional"))
from rollout_lab import (all_writes, assert_rerun_changes_nothing, recap, rows, run_playbook,  # noqa: E402
                         write_inventory, writes)

PLATFORM = chr_vm.Platform("edge-1005", api_port=18931, api_ssl_port=18951, ssh_port=18225, nics=18)


def _topology(name):
    with open(os.path.join(LAB_INVENTORY, "topology.yml"), encoding="utf-8") as handle:
        return next(router for router in yaml.safe_load(handle) if router["name"] == name)


def _options(argv, flag):
    return [argv[index + 1] for index, value in enumerate(argv) if value == flag]


# ---- the qemu command line --------------------------------------------------------------------------------


@pytest.mark.parametrize("accel, cpu", [("kvm", "host"), ("tcg", "max")])
def test_qemu_command_accelerator(tmp_path, accel, cpu):
    argv = chr_vm.qemu_command("/images/chr-7.19.img", PLATFORM, str(tmp_path), accel)
    assert argv[0] == "qemu-system-x86_64"
    assert _options(argv, "-machine") == ["pc,accel=%s" % accel]
    assert _options(argv, "-cpu") == [cpu]


def test_qemu_command_never_writes_the_image(tmp_path):
    argv = chr_vm.qemu_command("/images/chr-7.19.img", PLATFORM, str(tmp_path), "tcg")
    assert _options(argv, "-drive") == ["file=/images/chr-7.19.img,format=raw,if=virtio,snapshot=on"]


def test_qemu_command_forwards_api_ssl_and_ssh_from_localhost_only(tmp_path):
    argv = chr_vm.qemu_command("/images/chr-7.19.img", PLATFORM, str(tmp_path), "tcg")
    netdevs = _options(argv, "-netdev")
    assert netdevs[0] == ("user,id=mgmt,hostfwd=tcp:127.0.0.1:18931-:8728,hostfwd=tcp:127.0.0.1:18951-:8729,"
                          "hostfwd=tcp:127.0.0.1:18225-:22")
    # ether2.. exist for the brownfield start's interfaces, isolated and without forwards.
    assert netdevs[1:] == ["user,id=nic%d,restrict=on" % index for index in range(2, 19)]
    assert _options(argv, "-device") == ["virtio-net-pci,netdev=mgmt"] + [
        "virtio-net-pci,netdev=nic%d" % index for index in range(2, 19)]


def test_qemu_command_runs_in_the_background_with_a_pid_file(tmp_path):
    argv = chr_vm.qemu_command("/images/chr-7.19.img", PLATFORM, str(tmp_path), "kvm", memory_mb=512,
                               qemu="/opt/qemu/bin/qemu-system-x86_64")
    assert argv[0] == "/opt/qemu/bin/qemu-system-x86_64"
    assert "-daemonize" in argv
    assert _options(argv, "-pidfile") == [str(tmp_path / "edge-1005.pid")]
    assert _options(argv, "-serial") == ["file:%s" % (tmp_path / "edge-1005.console.log")]
    assert _options(argv, "-display") == ["none"]
    assert _options(argv, "-m") == ["512"]


def test_qemu_command_refuses_bad_input(tmp_path):
    with pytest.raises(ValueError, match="accel must be kvm or tcg"):
        chr_vm.qemu_command("chr.img", PLATFORM, str(tmp_path), "hvf")
    with pytest.raises(ValueError, match="core: a CHR needs at least one NIC"):
        chr_vm.qemu_command("chr.img", chr_vm.Platform("core", 1, 2, 3, nics=0), str(tmp_path), "tcg")


def test_accelerator_is_kvm_only_when_the_device_opens(tmp_path):
    device = tmp_path / "kvm"
    assert chr_vm.accelerator(str(device)) == "tcg"
    device.write_text("")
    device.chmod(0o600)
    assert chr_vm.accelerator(str(device)) == "kvm"
    if os.geteuid() != 0:
        # What this machine has: /dev/kvm that only root may open.
        device.chmod(0o000)
        assert chr_vm.accelerator(str(device)) == "tcg"


def test_start_refuses_a_missing_image(tmp_path):
    with pytest.raises(FileNotFoundError, match="MULTIWAN_CHR_IMAGE .*chr-7.19.img is not a file"):
        chr_vm.start(str(tmp_path / "chr-7.19.img"), PLATFORM, str(tmp_path), "tcg")


# ---- the readiness loop ---------------------------------------------------------------------------------


class FakeClock:
    """Time that passes only when the loop sleeps."""

    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def test_wait_ready_retries_until_the_guest_answers():
    clock = FakeClock()
    answers = iter([OSError("reset"), OSError("reset"), True])

    def login(password):
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    assert chr_vm.wait_ready(login, ["", "new"], timeout=60, interval=2, clock=clock, sleep=clock.sleep) == ""
    assert clock.sleeps == [2, 2]


def test_wait_ready_returns_the_password_the_router_takes():
    clock = FakeClock()
    tried = []

    def login(password):
        tried.append(password)
        return password == "new"

    assert chr_vm.wait_ready(login, ["", "new"], timeout=60, clock=clock, sleep=clock.sleep) == "new"
    assert tried == ["", "new"]


def test_wait_ready_is_bounded():
    clock = FakeClock()

    def login(password):
        raise OSError("connection reset")

    with pytest.raises(TimeoutError, match=r"no API login after 31 attempts in 60 s"):
        chr_vm.wait_ready(login, ["", "new"], timeout=60, interval=2, clock=clock, sleep=clock.sleep)
    assert clock.now <= 60


def test_api_login_against_a_lab_router(lab_router_factory):
    fresh = lab_router_factory(password="")
    set_up = lab_router_factory(password="lab-secret")
    assert chr_vm.wait_ready(chr_vm.api_login(fresh.host, fresh.api_port), ["", "lab-secret"], timeout=10) == ""
    assert chr_vm.wait_ready(chr_vm.api_login(set_up.host, set_up.api_port), ["", "lab-secret"],
                             timeout=10) == "lab-secret"


def _accept_and_close(listener, stop):
    """What qemu's user-mode network does on a forwarded port while the guest boots: accept, then close."""
    listener.settimeout(0.2)
    while not stop.is_set():
        try:
            connection, _address = listener.accept()
        except socket.timeout:
            continue
        connection.close()


def test_api_login_is_not_fooled_by_an_accepting_port():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    stop = threading.Event()
    thread = threading.Thread(target=_accept_and_close, args=(listener, stop), daemon=True)
    thread.start()
    started = time.monotonic()
    try:
        with pytest.raises(TimeoutError, match="no API login"):
            chr_vm.wait_ready(chr_vm.api_login("127.0.0.1", listener.getsockname()[1], timeout=2), [""],
                              timeout=1.5, interval=0.3)
    finally:
        stop.set()
        thread.join(5)
        listener.close()
    assert time.monotonic() - started < 10


# ---- provisioning against a lab router in place of the VM's forwarded ports ---------------------------------


def _ssh_login(router, password):
    """True when the router's SSH takes ``admin`` with ``password`` (as chr_vm.run_script logs in)."""
    import paramiko

    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    try:
        client.connect(router.host, port=router.ssh_port, username="admin" + chr_vm.CONSOLE_USER_SUFFIX,
                       password=password, timeout=10, allow_agent=False, look_for_keys=False)
    except paramiko.AuthenticationException:
        return False
    finally:
        client.close()
    return True


def test_set_admin_password_of_a_fresh_router(lab_router_factory):
    fresh = lab_router_factory(password="")
    login = chr_vm.api_login(fresh.host, fresh.api_port)
    assert login("") and _ssh_login(fresh, "")
    chr_vm.set_admin_password(fresh.host, fresh.api_port, "lab-secret")
    # The new password logs in over API and SSH; the empty one of a first boot no longer does.
    assert login("lab-secret") and _ssh_login(fresh, "lab-secret")
    assert not login("") and not _ssh_login(fresh, "")


def test_rename_lines_leave_matching_names_alone():
    assert chr_vm.rename_lines(["ether1", "sfp-sfpplus1", "ether3", "sfp2"]) == [
        "/interface ethernet set [find default-name=ether2] name=sfp-sfpplus1",
        "/interface ethernet set [find default-name=ether4] name=sfp2",
    ]


def test_script_chunks_keep_each_menu_with_its_lines():
    with open(os.path.join(LAB_INVENTORY, "init", "core.rsc"), encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    kept = [line for line in lines if line.strip() and not line.startswith("#")]
    assert chr_vm.script_chunks(lines, limit=100000) == ["\n".join(kept) + "\n"]
    chunks = chr_vm.script_chunks(lines, limit=2000)
    assert len(chunks) > 1
    assert all(chunk.startswith("/") and len(chunk) <= 2000 for chunk in chunks)
    # The lines in order, a menu line repeated where a large block was cut.
    assert [line for line in "".join(chunks).splitlines() if not line.startswith("/")] == [
        line for line in kept if not line.startswith("/")]
    assert chunks[1].startswith("/interface vlan\nadd ")
    with pytest.raises(ValueError, match="does not fit in one SSH request"):
        chr_vm.script_chunks(lines, limit=60)


def _chr_like(lab_router_factory, name):
    """A lab router shaped like a CHR with as many NICs as the lab router ``name`` has interfaces."""
    count = len(_topology(name)["interfaces"])
    return lab_router_factory(interfaces=["ether%d" % index for index in range(1, count + 1)], password="lab-secret")


def _provision(router, name, tmp_path, init=None):
    platform = chr_vm.Platform(name, router.api_port, 0, router.ssh_port)
    return chr_vm.provision(router.host, platform, "lab-secret", _topology(name)["interfaces"],
                            init or os.path.join(LAB_INVENTORY, _topology(name)["init"]),
                            str(tmp_path / "known_hosts"), timeout=10)


@pytest.mark.parametrize("name", ["core", "edge-1005"])
def test_provision_names_the_interfaces_and_loads_the_brownfield_start(lab_router_factory, tmp_path, name):
    router = _chr_like(lab_router_factory, name)
    assert _provision(router, name, tmp_path) == "password-set"
    api = router.api()
    try:
        assert [row["name"] for row in api.path("interface", "ethernet")] == _topology(name)["interfaces"]
        identity = next(iter(api.path("system", "identity")))["name"]
        with open(os.path.join(LAB_INVENTORY, _topology(name)["init"]), encoding="utf-8") as handle:
            script = handle.read()
        assert identity == re.search(r"^/system identity set name=(\S+)$", script, re.M).group(1)
        addresses = sorted(row["address"] for row in api.path("ip", "address"))
        assert addresses == sorted(re.findall(r"add address=(\S+) interface=", script))
        vlans = [row["name"] for row in api.path("interface", "vlan")]
        assert len(vlans) == len(re.findall(r"^add interface=\S+ name=VLAN", script, re.M))
    finally:
        api.close()
    # The VM's host key is kept for its life: a later connection checks it.
    assert "[127.0.0.1]:%d" % router.ssh_port in (tmp_path / "known_hosts").read_text()


def test_provision_of_a_first_boot_as_create_runs_it_then_the_scenario_converges(lab_router_factory, tmp_path):
    """A fresh CHR (admin with the empty password) through create's provision command line, then what the
    scenario runs next with the inventory's login: converge (its check twin first) and idempotence."""
    count = len(_topology("edge-1005")["interfaces"])
    router = lab_router_factory(interfaces=["ether%d" % index for index in range(1, count + 1)], password="",
                                name="edge-1005")
    with open(os.path.join(LAB_INVENTORY, "group_vars", "all.yml"), encoding="utf-8") as handle:
        password = yaml.safe_load(handle)["ansible_password"]
    command = [sys.executable, os.path.join(SCENARIO, "chr_vm.py"), "provision", "--dir", str(tmp_path),
               "--name", "edge-1005", "--api-port", str(router.api_port), "--ssh-port", str(router.ssh_port),
               "--interfaces", ",".join(_topology("edge-1005")["interfaces"]),
               "--init", os.path.join(LAB_INVENTORY, _topology("edge-1005")["init"]), "--timeout", "30"]
    done = subprocess.run(command, env=dict(os.environ, **{chr_vm.PASSWORD_ENV: password}), capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == "chr edge-1005 provisioned (fresh)"
    assert password not in done.stdout + done.stderr
    assert (tmp_path / "edge-1005.provisioned").read_text() == "fresh\n"
    login = chr_vm.api_login(router.host, router.api_port)
    assert login(password) and _ssh_login(router, password)
    assert not login("") and not _ssh_login(router, "")
    assert [row["name"] for row in rows(router, "/system/identity")] == [_topology("edge-1005")["identity"]]

    # The scenario's inventory: the lab intent, the VM's forwarded ports, the password create set.
    inventory = write_inventory(str(tmp_path / "inventory"), {"edge-1005": router})
    extra_vars = {"backup_dir": str(tmp_path / "backups")}
    router.control.reset_counters(router.name)
    code, out = run_playbook(os.path.join(ROOT, "playbooks", "edge.yml"), inventory, "--check", extra_vars=extra_vars)
    assert code == 0, out
    assert recap(out)["edge-1005"]["changed"] > 0, out
    assert sum(all_writes(router).values()) == 0, all_writes(router)
    code, out = run_playbook(os.path.join(ROOT, "playbooks", "edge.yml"), inventory, extra_vars=extra_vars)
    assert code == 0, out
    assert recap(out)["edge-1005"]["changed"] > 0 and writes(router) > 0, out
    assert [row for row in rows(router, "/ip/firewall/nat") if row.get("action") == "dst-nat"]
    assert_rerun_changes_nothing(router, os.path.join(ROOT, "playbooks", "edge.yml"), inventory, extra_vars)


def test_provision_stops_at_a_failing_line(lab_router_factory, tmp_path):
    router = _chr_like(lab_router_factory, "edge-1005")
    init = tmp_path / "broken.rsc"
    init.write_text("/ip address\nadd address=192.0.2.1/24 interface=ether1\nadd address=192.0.2.2/24 interface=nope\n"
                    "/system identity set name=NEVER\n")
    with pytest.raises(RuntimeError, match=r"script chunk 1 of 1 failed: .*(input does not match|no such item)"):
        _provision(router, "edge-1005", tmp_path, init=str(init))
    assert next(iter(router.api().path("system", "identity")))["name"] != "NEVER"


def test_provision_waits_a_bounded_time_for_a_router_that_never_answers(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    platform = chr_vm.Platform("core", port, 0, port)
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        chr_vm.provision("127.0.0.1", platform, "lab-secret", ["ether1"], os.devnull, str(tmp_path / "known_hosts"),
                         timeout=1)
    assert time.monotonic() - started < 10


# ---- stop and the scenario's skip -------------------------------------------------------------------------


def test_stop_ends_the_process_of_the_pid_file(tmp_path):
    # A detached process, as a daemonized qemu is (not a child of the test, so no zombie stays behind).
    subprocess.run(["sh", "-c", "sleep 120 >/dev/null 2>&1 & echo $! > %s" % (tmp_path / "core.pid")], check=True,
                   timeout=10)
    pid = int((tmp_path / "core.pid").read_text())
    assert os.path.exists("/proc/%d" % pid)
    assert chr_vm.stop(str(tmp_path), "core", timeout=10) is True
    assert not os.path.exists("/proc/%d" % pid)
    assert not (tmp_path / "core.pid").exists()
    assert chr_vm.stop(str(tmp_path), "core") is False


def _create(tmp_path, image, qemu=None):
    env = dict(os.environ, MOLECULE_EPHEMERAL_DIRECTORY=str(tmp_path), ANSIBLE_NOCOLOR="1")
    env.pop("MULTIWAN_CHR_IMAGE", None)
    if image is not None:
        env["MULTIWAN_CHR_IMAGE"] = image
    if qemu is not None:
        env["MULTIWAN_CHR_QEMU"] = qemu
    return subprocess.run([os.path.join(BIN, "ansible-playbook"), os.path.join(SCENARIO, "create.yml")], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300, check=False)


def test_create_without_an_image_skips_with_one_line_and_no_host(tmp_path):
    result = _create(tmp_path, None)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("SKIPPED: the chr scenario needs MULTIWAN_CHR_IMAGE") == 1
    with open(tmp_path / "chr-inventory" / "hosts.yml", encoding="utf-8") as handle:
        assert yaml.safe_load(handle) == {"all": {"children": {"multiwan_core": {}, "multiwan_edge": {}}}}
    assert not list(tmp_path.glob("*.pid"))


def test_create_refuses_an_image_that_is_not_there(tmp_path):
    result = _create(tmp_path, str(tmp_path / "chr-7.19.img"))
    assert result.returncode != 0
    assert "MULTIWAN_CHR_IMAGE=%s must be a RouterOS CHR raw image" % (tmp_path / "chr-7.19.img") in result.stdout
    assert not list(tmp_path.glob("*.pid"))


def test_create_writes_the_inventory_of_the_vms_before_it_boots_them(tmp_path):
    image = tmp_path / "chr-7.19.img"
    image.write_bytes(b"")
    result = _create(tmp_path, str(image), qemu=str(tmp_path / "no-qemu"))
    assert result.returncode != 0
    assert "%s is not installed" % (tmp_path / "no-qemu") in result.stdout
    assert not list(tmp_path.glob("*.pid"))
    listing = subprocess.run([os.path.join(BIN, "ansible-inventory"), "-i", str(tmp_path / "chr-inventory" / "hosts.yml"),
                              "--list", "--export"], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True)
    inventory = yaml.safe_load(listing.stdout)
    assert inventory["multiwan_core"]["hosts"] == ["core"]
    assert sorted(inventory["multiwan_edge"]["hosts"]) == ["edge-1000", "edge-1005", "edge-1012"]
    hostvars = inventory["_meta"]["hostvars"]
    ports = {name: (hostvars[name]["multiwan_api_port"], hostvars[name]["ansible_port"]) for name in hostvars}
    assert ports == {"core": (18928, 18222), "edge-1000": (18929, 18223), "edge-1012": (18930, 18224),
                     "edge-1005": (18931, 18225)}
    # The lab inventory's intent comes along (host_vars, group_vars).
    assert hostvars["edge-1005"]["multiwan_edge"]["transit_interface"] == "sfp1"
