"""The lab router's SSH server (paramiko): RouterOS's console over ``exec`` and ``shell`` channels.

- log in with a password or a public key; ``admin+cet512w`` (RouterOS console options after
  ``+``) logs in as ``admin``;
- ``exec``: one command (or script) per request, its output, exit status 0 even on errors;
- ``shell``: the prompt ``[admin@MikroTik] > ``, line editing, ``/quit``;
- the ``latency_ms`` fault delays each command's answer as the API's sender does.

One thread per session, a bounded number of sessions; listens where it is told (127.0.0.1 in
tests), port 0 picks a free port.
"""

import base64
import hashlib
import os
import socket
import threading
import time
from typing import Any, Dict, Iterable, List, Optional

import paramiko

from . import lockout
from .cli.interpreter import DropSession, Interpreter, QuitSession, identity_of

MAX_SESSIONS = 32
# A connection that opens no channel this long after the handshake is dropped.
AUTH_TIMEOUT = 20.0
# A logged-in connection idle this long (no command in a shell, no new exec request) is dropped; a client may think
# for minutes between two exec requests on one connection (planning 100,000 entries), as RouterOS allows.
IDLE_TIMEOUT = 600.0
MAX_LINE = 65536
_KEY_CACHE: Dict[str, paramiko.PKey] = {}
_KEY_LOCK = threading.Lock()


def console_user(login: str) -> str:
    """``admin+cet512w`` -> ``admin`` (everything after ``+`` is console options)."""
    return login.split("+", 1)[0]


def _generated_key() -> paramiko.PKey:
    with _KEY_LOCK:
        key = _KEY_CACHE.get("rsa")
        if key is None:
            key = paramiko.RSAKey.generate(2048)
            _KEY_CACHE["rsa"] = key
        return key


def load_host_key(path: str) -> paramiko.PKey:
    for cls in (paramiko.Ed25519Key, paramiko.ECDSAKey, paramiko.RSAKey):
        try:
            return cls.from_private_key_file(path)
        except (paramiko.SSHException, ValueError):
            continue
    raise paramiko.SSHException("cannot load host key %s" % path)


def _key_blob(key: Any) -> Optional[bytes]:
    if isinstance(key, paramiko.PKey):
        return key.asbytes()
    if isinstance(key, str):
        parts = key.split()
        if len(parts) >= 2:
            try:
                return base64.b64decode(parts[1])
            except (ValueError, TypeError):
                return None
    return None


class _Server(paramiko.ServerInterface):
    def __init__(self, listener: "SshListener"):
        self.listener = listener
        self.user: Optional[str] = None
        self.event = threading.Event()
        self.mode: Optional[str] = None
        self.command: Optional[str] = None

    def get_allowed_auths(self, username: str) -> str:
        return "password,publickey"

    def check_auth_password(self, username: str, password: str) -> int:
        user = console_user(username)
        expected = self.listener.router.login_password(user, self.listener.users.get(user))
        if expected is not None and expected == password:
            self.user = user
            return paramiko.AUTH_SUCCESSFUL
        return paramiko.AUTH_FAILED

    def check_auth_publickey(self, username: str, key: paramiko.PKey) -> int:
        user = console_user(username)
        blob = key.asbytes()
        for allowed in self.listener.authorized_keys.get(user, []):
            if _key_blob(allowed) == blob:
                self.user = user
                return paramiko.AUTH_SUCCESSFUL
        return paramiko.AUTH_FAILED

    def check_channel_request(self, kind: str, chanid: int) -> int:
        if kind == "session":
            return paramiko.OPEN_SUCCEEDED
        return paramiko.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED

    def check_channel_pty_request(self, channel, term, width, height, pixelwidth, pixelheight, modes) -> bool:
        return True

    def check_channel_window_change_request(self, channel, width, height, pixelwidth, pixelheight) -> bool:
        return True

    def check_channel_shell_request(self, channel) -> bool:
        self.mode = "shell"
        self.event.set()
        return True

    def check_channel_exec_request(self, channel, command) -> bool:
        self.mode = "exec"
        self.command = command.decode("utf-8", errors="replace") if isinstance(command, bytes) else str(command)
        self.event.set()
        return True

    def check_channel_env_request(self, channel, name, value) -> bool:
        return True


class SshListener:
    """An SSH endpoint for one router. ``users``: name -> password."""

    def __init__(self, router: Any, host: str = "127.0.0.1", port: int = 0, users: Optional[Dict[str, str]] = None,
                 host_key: Any = None, authorized_keys: Optional[Dict[str, Iterable[Any]]] = None,
                 max_sessions: int = MAX_SESSIONS):
        self.router = router
        self.host = host
        self.requested_port = port
        self.users: Dict[str, Optional[str]] = dict(users or {"admin": ""})
        self.authorized_keys: Dict[str, List[Any]] = {k: list(v) for k, v in (authorized_keys or {}).items()}
        if isinstance(host_key, str):
            self.host_key = load_host_key(host_key)
        elif isinstance(host_key, paramiko.PKey):
            self.host_key = host_key
        elif default_host_key_path():
            self.host_key = load_host_key(default_host_key_path())
        else:
            self.host_key = _generated_key()
        self.max_sessions = max_sessions
        self.port = 0
        self._sock: Optional[socket.socket] = None
        self._thread: Optional[threading.Thread] = None
        self._stop = threading.Event()
        self._sessions: List[threading.Thread] = []
        self._transports: List[paramiko.Transport] = []
        self._lock = threading.Lock()

    # -- host key as clients see it -----------------------------------------------------------------
    @property
    def fingerprint(self) -> str:
        """``SHA256:...`` as ``ssh-keygen -l`` prints it."""
        digest = hashlib.sha256(self.host_key.asbytes()).digest()
        return "SHA256:" + base64.b64encode(digest).decode().rstrip("=")

    def known_hosts_line(self) -> str:
        host = self.host if self.port == 22 else "[%s]:%d" % (self.host, self.port)
        return "%s %s %s" % (host, self.host_key.get_name(), self.host_key.get_base64())

    def add_to_host_keys(self, host_keys: paramiko.HostKeys) -> None:
        """Trust this listener in a paramiko ``HostKeys`` (client-side host-key checking)."""
        host = self.host if self.port == 22 else "[%s]:%d" % (self.host, self.port)
        host_keys.add(host, self.host_key.get_name(), self.host_key)

    def add_authorized_key(self, user: str, key: Any) -> None:
        self.authorized_keys.setdefault(user, []).append(key)

    # -- lifecycle --------------------------------------------------------------------------------
    def start(self) -> "SshListener":
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.requested_port))
        sock.listen(16)
        self._sock = sock
        self.port = sock.getsockname()[1]
        self._thread = threading.Thread(target=self._accept_loop, daemon=True, name="lab-ssh-%d" % self.port)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._sock is not None:
            # shutdown wakes the accept() blocked in the accept thread at once (close alone does not)
            try:
                self._sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            try:
                self._sock.close()
            except OSError:
                pass
        with self._lock:
            transports = list(self._transports)
        for transport in transports:
            try:
                transport.close()
            except (OSError, EOFError, paramiko.SSHException):
                continue
        if self._thread is not None:
            self._thread.join(timeout=5)
        for thread in list(self._sessions):
            thread.join(timeout=2)

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            try:
                conn = self._sock.accept()[0]
            except OSError:
                return
            if self._stop.is_set():
                conn.close()
                return
            with self._lock:
                self._sessions = [t for t in self._sessions if t.is_alive()]
                if len(self._sessions) >= self.max_sessions:
                    conn.close()
                    continue
                thread = threading.Thread(target=self._session, args=(conn,), daemon=True, name="lab-ssh-session")
                self._sessions.append(thread)
            thread.start()

    # -- one session -------------------------------------------------------------------------------
    def _session(self, conn: socket.socket) -> None:
        if lockout.cut_off(self.router):
            _close_quietly(conn)
            return
        transport = paramiko.Transport(conn)
        with self._lock:
            self._transports.append(transport)
        try:
            transport.add_server_key(self.host_key)
            server = _Server(self)
            try:
                transport.start_server(server=server)
            except (paramiko.SSHException, EOFError, OSError):
                return
            deadline = time.monotonic() + AUTH_TIMEOUT
            while not self._stop.is_set() and transport.is_active():
                channel = transport.accept(timeout=0.25)
                if channel is None:
                    if time.monotonic() > deadline:
                        return
                    continue
                if not server.event.wait(AUTH_TIMEOUT):
                    channel.close()
                    return
                server.event.clear()
                if server.mode == "exec":
                    self._run_exec(channel, server.user or "admin", server.command or "")
                    deadline = time.monotonic() + IDLE_TIMEOUT
                    continue
                self._run_shell(channel, server.user or "admin")
                return
        finally:
            with self._lock:
                if transport in self._transports:
                    self._transports.remove(transport)
            try:
                transport.close()
            except (OSError, EOFError, paramiko.SSHException):
                pass

    def _hold_until_release(self, arrival: float) -> None:
        """The ``latency_ms`` fault: an answer leaves that long after its command arrived, as over the API."""
        latency = self.router.faults.get("latency_ms") or 0
        delay = arrival + latency / 1000.0 - time.monotonic()
        if delay > 0:
            self._stop.wait(delay)

    def _run_exec(self, channel: paramiko.Channel, user: str, command: str) -> None:
        arrival = time.monotonic()
        if lockout.cut_off(self.router):
            self._drop(channel)
            return
        interp = Interpreter(self.router, user)
        try:
            output = interp.run(command, stop_on_error=True)
        except QuitSession:
            output = ""
        except DropSession:
            self._hold_until_release(arrival)
            self._drop(channel)
            return
        self._hold_until_release(arrival)
        try:
            if output:
                channel.sendall(_crlf(output).encode("utf-8"))
            channel.send_exit_status(0)
        except (OSError, EOFError, paramiko.SSHException):
            pass
        finally:
            channel.close()

    def _run_shell(self, channel: paramiko.Channel, user: str) -> None:
        channel.settimeout(IDLE_TIMEOUT)
        interp = Interpreter(self.router, user)
        try:
            channel.sendall(b"\r\n\r\n" + interp.prompt().encode("utf-8"))
            pending = ""
            buffer = ""
            last_cr = False
            while not self._stop.is_set():
                data = channel.recv(4096)
                if not data:
                    break
                text = data.decode("utf-8", errors="replace")
                for ch in text:
                    if ch in ("\r", "\n"):
                        if ch == "\n" and buffer == "" and pending == "" and last_cr:
                            last_cr = False
                            continue
                        last_cr = ch == "\r"
                        channel.sendall(b"\r\n")
                        if buffer.endswith("\\"):
                            pending += buffer[:-1]
                            buffer = ""
                            continue
                        line = pending + buffer
                        pending = buffer = ""
                        if not self._execute_line(channel, interp, line):
                            return
                        channel.sendall(interp.prompt().encode("utf-8"))
                    elif ch in ("\x7f", "\x08"):
                        if buffer:
                            buffer = buffer[:-1]
                            channel.sendall(b"\x08 \x08")
                    elif ch == "\x03":
                        buffer = pending = ""
                        channel.sendall(b"\r\n" + interp.prompt().encode("utf-8"))
                    elif ch == "\x04":
                        if not buffer and not pending:
                            return
                    elif ch == "\x1b" or ord(ch) < 0x20 and ch != "\t":
                        continue
                    else:
                        if len(buffer) < MAX_LINE:
                            buffer += ch
                            channel.sendall(ch.encode("utf-8"))
        except (socket.timeout, OSError, EOFError, paramiko.SSHException):
            return
        finally:
            try:
                channel.send_exit_status(0)
                channel.close()
            except (OSError, EOFError, paramiko.SSHException):
                pass

    @staticmethod
    def _drop(channel: paramiko.Channel) -> None:
        """Close the whole connection under the session, without output or exit status."""
        transport = channel.get_transport()
        _close_quietly(channel)
        if transport is not None:
            _close_quietly(transport)

    def _execute_line(self, channel: paramiko.Channel, interp: Interpreter, line: str) -> bool:
        arrival = time.monotonic()
        if lockout.cut_off(self.router):
            self._drop(channel)
            return False
        if line.strip() in ("/quit", "quit"):
            self._hold_until_release(arrival)
            channel.sendall(b"interrupted\r\n")
            return False
        try:
            output = interp.run(line, stop_on_error=True)
        except QuitSession:
            self._hold_until_release(arrival)
            channel.sendall(b"interrupted\r\n")
            return False
        except DropSession:
            self._hold_until_release(arrival)
            self._drop(channel)
            return False
        self._hold_until_release(arrival)
        if output:
            channel.sendall(_crlf(output).encode("utf-8"))
        return True


def _close_quietly(closable: Any) -> None:
    try:
        closable.close()
    except (OSError, EOFError, paramiko.SSHException):
        pass


def _crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def default_host_key_path() -> Optional[str]:
    """``ROUTEROS_LAB_SSH_HOST_KEY``: a private key file to use instead of a generated key."""
    return os.environ.get("ROUTEROS_LAB_SSH_HOST_KEY")


__all__ = ["SshListener", "console_user", "load_host_key", "identity_of"]
