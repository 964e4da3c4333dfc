"""RouterOS CHR VMs for the Molecule ``chr`` scenario: boot, wait, provision, stop.

    python chr_vm.py start --image chr-7.19.img --dir DIR --name core --api-port 18928 --api-ssl-port 18948 \\
        --ssh-port 18222 --nics 9
    MULTIWAN_CHR_PASSWORD=... python chr_vm.py provision --dir DIR --name core --api-port 18928 --ssh-port 18222 \\
        --interfaces ether1,sfp-sfpplus1,... --init inventory/lab/init/core.rsc
    python chr_vm.py stop --dir DIR --name core

``start`` runs qemu in the background (its pid in ``DIR/<name>.pid``): KVM when ``/dev/kvm`` is usable, TCG
otherwise; the image is opened in snapshot mode, so it is never written; the first NIC is user-mode networking
with the API, API-SSL and SSH ports forwarded from 127.0.0.1 only. ``provision`` waits until the API logs in,
sets the admin password of a fresh CHR (empty until then), names the NICs like the lab router's interfaces and
loads the lab's brownfield start over SSH. ``stop`` ends the VM of a pid file. Every wait is bounded.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

PASSWORD_ENV = "MULTIWAN_CHR_PASSWORD"
# The CHR's services, on the guest side of the forwards.
GUEST_API, GUEST_API_SSL, GUEST_SSH = 8728, 8729, 22
# RouterOS console options after the user name: no colours, no terminal detection, 512 columns.
CONSOLE_USER_SUFFIX = "+cet512w"
# One SSH exec request must fit in one packet; the brownfield script is sent in chunks below this size.
MAX_SCRIPT_BYTES = 16000
DONE_MARK = "#chr-chunk-done"


@dataclass(frozen=True)
class Platform:
    """One CHR VM: its name and the 127.0.0.1 ports forwarded to its services."""

    name: str
    api_port: int
    api_ssl_port: int
    ssh_port: int
    nics: int = 1


def accelerator(kvm_device: str = "/dev/kvm") -> str:
    """``kvm`` when this user can open the KVM device, else ``tcg`` (a device only root may open does not count)."""
    if os.path.exists(kvm_device) and os.access(kvm_device, os.R_OK | os.W_OK):
        return "kvm"
    return "tcg"


def qemu_command(image: str, platform: Platform, workdir: str, accel: str, memory_mb: int = 256,
                 qemu: str = "qemu-system-x86_64") -> list[str]:
    """The qemu argv of one CHR VM, daemonized with a pid file and a serial console log in ``workdir``."""
    if accel not in ("kvm", "tcg"):
        raise ValueError("accel must be kvm or tcg, not %r" % accel)
    if platform.nics < 1:
        raise ValueError("%s: a CHR needs at least one NIC (nics=%d)" % (platform.name, platform.nics))
    forwards = ",".join(
        "hostfwd=tcp:127.0.0.1:%d-:%d" % (host, guest)
        for host, guest in ((platform.api_port, GUEST_API), (platform.api_ssl_port, GUEST_API_SSL),
                            (platform.ssh_port, GUEST_SSH)))
    argv = [
        qemu, "-name", platform.name,
        "-machine", "pc,accel=%s" % accel,
        # KVM runs the host CPU; TCG emulates one qemu knows every instruction of.
        "-cpu", "host" if accel == "kvm" else "max",
        "-smp", "1", "-m", str(memory_mb),
        # snapshot=on: the guest's writes go to a temporary overlay, the user's image stays as downloaded.
        "-drive", "file=%s,format=raw,if=virtio,snapshot=on" % image,
        "-display", "none", "-monitor", "none",
        "-serial", "file:%s" % os.path.join(workdir, platform.name + ".console.log"),
        "-daemonize", "-pidfile", pid_file(workdir, platform.name),
        # ether1: the management NIC, DHCP from qemu's user-mode network (a fresh CHR runs a DHCP client on it).
        "-netdev", "user,id=mgmt,%s" % forwards,
        "-device", "virtio-net-pci,netdev=mgmt",
    ]
    # ether2..: the other interfaces the lab router's brownfield start names, isolated (restrict=on).
    for index in range(2, platform.nics + 1):
        argv += ["-netdev", "user,id=nic%d,restrict=on" % index, "-device", "virtio-net-pci,netdev=nic%d" % index]
    return argv


def pid_file(workdir: str, name: str) -> str:
    return os.path.join(workdir, name + ".pid")


def wait_ready(login: Callable[[str], bool], passwords: Sequence[str], timeout: float, interval: float = 2.0,
               clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> str:
    """The first of ``passwords`` ``login`` accepts, retried until ``timeout`` seconds have passed.

    A TCP connect is no readiness test: qemu's user-mode network accepts a forwarded connection before the guest
    listens, then closes it. ``login`` must speak the protocol: True logged in, False refused, an ``OSError`` not
    answering yet.
    """
    deadline = clock() + timeout
    attempts = 0
    while True:
        attempts += 1
        for password in passwords:
            try:
                if login(password):
                    return password
            except OSError:
                break
        if clock() + interval > deadline:
            raise TimeoutError("no API login after %d attempts in %.0f s" % (attempts, timeout))
        sleep(interval)


def api_login(host: str, port: int, username: str = "admin", timeout: float = 10.0) -> Callable[[str], bool]:
    """A ``login`` for ``wait_ready``: a librouteros login to ``host:port``."""
    import librouteros
    from librouteros.exceptions import LibRouterosError

    def login(password: str) -> bool:
        try:
            api = librouteros.connect(host=host, username=username, password=password, port=port, timeout=timeout)
        except (LibRouterosError, OSError) as exc:
            # A refused login is an answer; a lost or reset connection means the guest is not up yet.
            if isinstance(exc, OSError) or "invalid user name or password" not in str(exc):
                raise OSError(str(exc)) from exc
            return False
        api.close()
        return True

    return login


def set_admin_password(host: str, port: int, password: str, username: str = "admin") -> None:
    """Set the password of a fresh CHR's ``admin`` (logged in with the empty one) over the API."""
    import librouteros

    api = librouteros.connect(host=host, username=username, password="", port=port, timeout=10.0)
    try:
        users = api.path("user")
        user_id = next(row[".id"] for row in users.select(".id", "name") if row["name"] == username)
        users.update(**{".id": user_id, "password": password})
    finally:
        api.close()


def rename_lines(interfaces: Sequence[str]) -> list[str]:
    """CLI lines naming the VM's NICs (``ether1``, ``ether2``, ... in PCI order) like the lab router's interfaces."""
    return ["/interface ethernet set [find default-name=ether%d] name=%s" % (index, name)
            for index, name in enumerate(interfaces, start=1) if name != "ether%d" % index]


def script_chunks(lines: Iterable[str], limit: int = MAX_SCRIPT_BYTES) -> list[str]:
    """The script in chunks of at most ``limit`` bytes, each starting with the menu its lines run in.

    A line that starts with ``/`` opens a block (a menu, or a command with its full path); a block too large for one
    chunk is cut between its lines, its menu line repeated at the start of each piece.
    """
    blocks: list[list[str]] = []
    for line in lines:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.startswith("/") or not blocks:
            blocks.append([])
        blocks[-1].append(line)
    pieces: list[str] = []
    for block in blocks:
        menu, body = block[0], block[1:]
        piece = menu + "\n"
        for line in body:
            if len(piece) + len(line) + 1 > limit:
                pieces.append(piece)
                piece = menu + "\n"
            piece += line + "\n"
        if len(piece) > limit:
            raise ValueError("a line of %d bytes does not fit in one SSH request (%d)" % (len(piece), limit))
        pieces.append(piece)
    chunks: list[str] = []
    current = ""
    for piece in pieces:
        if current and len(current) + len(piece) > limit:
            chunks.append(current)
            current = ""
        current += piece
    if current:
        chunks.append(current)
    return chunks


def run_script(host: str, port: int, username: str, password: str, chunks: Sequence[str], known_hosts: str,
               timeout: float = 60.0) -> None:
    """Run each chunk as one SSH exec request; RouterOS stops a script at its first error, so a chunk whose
    closing ``:put`` marker never printed failed, and its output says why."""
    import paramiko

    client = paramiko.SSHClient()
    if os.path.exists(known_hosts):
        client.load_host_keys(known_hosts)
    # The VM's host key is new at every boot (snapshot mode): trust it on first use, keep it for this VM's life.
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    client.connect(host, port=port, username=username + CONSOLE_USER_SUFFIX, password=password, timeout=timeout,
                   allow_agent=False, look_for_keys=False)
    try:
        client.save_host_keys(known_hosts)
        for number, chunk in enumerate(chunks, start=1):
            _stdin, stdout, _stderr = client.exec_command(chunk + ':put "%s"\n' % DONE_MARK, timeout=timeout)
            output = stdout.read().decode("utf-8", "replace")
            if DONE_MARK not in output:
                raise RuntimeError("script chunk %d of %d failed: %s" % (number, len(chunks), output.strip()[-500:]))
    finally:
        client.close()


def provision(host: str, platform: Platform, password: str, interfaces: Sequence[str], init_script: str,
              known_hosts: str, timeout: float, username: str = "admin",
              sleep: Callable[[float], None] = time.sleep) -> str:
    """Make a booted CHR the lab scenario's router: password, interface names, brownfield start.

    Returns ``fresh`` when the admin password was empty (a first boot) and is now set, ``password-set`` when the
    router already took ``password``.
    """
    login = api_login(host, platform.api_port, username)
    used = wait_ready(login, ["", password], timeout, sleep=sleep)
    state = "password-set"
    if used == "":
        set_admin_password(host, platform.api_port, password, username)
        # The new password must log in before anything else uses it.
        wait_ready(login, [password], 30.0, sleep=sleep)
        state = "fresh"
    with open(init_script, encoding="utf-8") as handle:
        lines = rename_lines(interfaces) + handle.read().splitlines()
    run_script(host, platform.ssh_port, username, password, script_chunks(lines), known_hosts)
    return state


def start(image: str, platform: Platform, workdir: str, accel: str, qemu: str = "qemu-system-x86_64",
          timeout: float = 60.0) -> int:
    """Boot the VM in the background; the pid qemu wrote."""
    if not os.path.isfile(image):
        raise FileNotFoundError("MULTIWAN_CHR_IMAGE %s is not a file" % image)
    for port in (platform.api_port, platform.api_ssl_port, platform.ssh_port):
        _check_free(port)
    subprocess.run(qemu_command(os.path.abspath(image), platform, workdir, accel, qemu=qemu), check=True, timeout=timeout)
    with open(pid_file(workdir, platform.name), encoding="ascii") as handle:
        return int(handle.read().strip())


def _check_free(port: int) -> None:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as exc:
            raise OSError("port %d on 127.0.0.1 is taken: %s" % (port, exc)) from exc


def stop(workdir: str, name: str, timeout: float = 30.0) -> bool:
    """SIGTERM to the VM of the pid file (qemu shuts down), bounded wait, pid file removed. False: nothing ran."""
    path = pid_file(workdir, name)
    try:
        with open(path, encoding="ascii") as handle:
            pid = int(handle.read().strip())
    except (FileNotFoundError, ValueError):
        return False
    try:
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while os.path.exists("/proc/%d" % pid):
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                break
            time.sleep(0.2)
    except ProcessLookupError:
        pass
    os.remove(path)
    return True


def _platform(args: argparse.Namespace) -> Platform:
    return Platform(args.name, args.api_port, getattr(args, "api_ssl_port", 0) or 0, args.ssh_port,
                    getattr(args, "nics", 1) or 1)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    commands = parser.add_subparsers(dest="command", required=True)
    start_cmd = commands.add_parser("start", help="boot a CHR VM in the background")
    start_cmd.add_argument("--image", required=True, help="the CHR raw image (chr-7.19.img); never written")
    start_cmd.add_argument("--qemu", default="qemu-system-x86_64", help="the qemu binary")
    start_cmd.add_argument("--nics", type=int, default=1, help="NICs (ether1..etherN)")
    start_cmd.add_argument("--api-ssl-port", type=int, required=True, help="127.0.0.1 port forwarded to 8729")
    provision_cmd = commands.add_parser("provision", help="password, interface names, brownfield start")
    provision_cmd.add_argument("--interfaces", required=True, help="the lab router's interface names, in order")
    provision_cmd.add_argument("--init", required=True, help="the brownfield script (inventory/lab/init/<name>.rsc)")
    provision_cmd.add_argument("--timeout", type=float, default=600.0, help="seconds to wait for the API")
    stop_cmd = commands.add_parser("stop", help="stop the VM of DIR/<name>.pid")
    for command in (start_cmd, provision_cmd, stop_cmd):
        command.add_argument("--dir", required=True, help="the scenario's folder (pid, console log, known hosts)")
        command.add_argument("--name", required=True, help="the platform's name")
    for command in (start_cmd, provision_cmd):
        command.add_argument("--api-port", type=int, required=True, help="127.0.0.1 port forwarded to 8728")
        command.add_argument("--ssh-port", type=int, required=True, help="127.0.0.1 port forwarded to 22")
    args = parser.parse_args(argv)
    if args.command == "start":
        accel = accelerator()
        pid = start(args.image, _platform(args), args.dir, accel, qemu=args.qemu)
        print("chr %s started (pid %d, %s)" % (args.name, pid, accel))
    elif args.command == "provision":
        password = os.environ.get(PASSWORD_ENV, "")
        if not password:
            parser.error("%s must hold the admin password to set" % PASSWORD_ENV)
        state = provision("127.0.0.1", _platform(args), password, args.interfaces.split(","), args.init,
                          os.path.join(args.dir, "known_hosts"), args.timeout)
        # The marker create's `creates:` checks: a re-run of create leaves a provisioned VM alone.
        with open(os.path.join(args.dir, args.name + ".provisioned"), "w", encoding="ascii") as handle:
            handle.write(state + "\n")
        print("chr %s provisioned (%s)" % (args.name, state))
    else:
        print("chr %s %s" % (args.name, "stopped" if stop(args.dir, args.name) else "was not running"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
