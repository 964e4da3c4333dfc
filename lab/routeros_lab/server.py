"""API and API-SSL listeners: one reader and one sender thread per connection."""

from __future__ import annotations

import importlib
import queue
import socket
import ssl
import threading
import time
from typing import Any, Iterable

from .certs import service_context
from . import lockout
from .control import Control
from .menus import DIRECTORIES, MENUS
from .model import Router
from .query import compile_query
from .reply import Fault
from .verbs import READ_VERBS
from .protocol import ProtocolFault, encode_sentence, read_sentence

_CLOSE = object()
_CHUNK_ROWS = 200
_MAX_QUEUED_CHUNKS = 32


class _Connection:
    """One API session: requests are processed on arrival, replies leave at arrival + latency."""

    def __init__(self, server: "LabServer", router: Router, sock: socket.socket, tls: ssl.SSLContext | None) -> None:
        self.server = server
        self.router = router
        self.raw_sock = sock
        self.tls = tls
        self.sock: Any = sock
        self.out: queue.Queue = queue.Queue()
        self.closed = threading.Event()
        self.user: str | None = None
        self.running: dict[str, threading.Event] = {}
        self.running_lock = threading.Lock()
        self.workers: dict[threading.Event, threading.Thread] = {}

    # ---- output -------------------------------------------------------------------------------
    def _put(self, release: float, payload: Any) -> None:
        if not self.closed.is_set():
            self.out.put((release, payload))

    def _backpressure(self) -> None:
        """A long print waits for the sender to drain, so 100k rows are never buffered whole."""
        while self.out.qsize() > _MAX_QUEUED_CHUNKS and not self.closed.is_set():
            time.sleep(0.005)

    def send(self, release: float, sentences: Iterable[list[str]]) -> None:
        self._put(release, b"".join(encode_sentence(s) for s in sentences))

    def _sender(self) -> None:
        try:
            while True:
                try:
                    release, payload = self.out.get(timeout=0.5)
                except queue.Empty:
                    if self.closed.is_set():
                        return
                    continue
                delay = release - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                if payload is _CLOSE:
                    break
                self.sock.sendall(payload)
        except OSError:
            pass
        finally:
            self._shutdown()

    def _shutdown(self) -> None:
        self.closed.set()
        with self.running_lock:
            for event in self.running.values():
                event.set()
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        try:
            self.sock.close()
        except OSError:
            pass

    # ---- input --------------------------------------------------------------------------------
    def serve(self) -> None:
        try:
            if self.tls is not None:
                self.raw_sock.settimeout(10)
                self.sock = self.tls.wrap_socket(self.raw_sock, server_side=True)
                self.sock.settimeout(None)
        except (OSError, ssl.SSLError):
            self._shutdown()
            return
        sender = threading.Thread(target=self._sender, daemon=True, name="api-send")
        sender.start()
        reader = self.sock.makefile("rb", buffering=65536)
        try:
            while not self.closed.is_set():
                words = read_sentence(reader.read)
                if not words:
                    continue
                arrival = time.monotonic()
                if not self.handle(words, arrival):
                    break
        except (EOFError, OSError, ProtocolFault, ValueError):
            pass
        finally:
            self.closed.set()
            with self.running_lock:
                for event in self.running.values():
                    event.set()
            sender.join(timeout=5)
            self._shutdown()
            try:
                reader.close()
            except OSError:
                pass
            self.server._forget(self)

    def _release(self, arrival: float) -> float:
        latency = self.router.faults.get("latency_ms") or 0
        return arrival + latency / 1000.0

    def handle(self, words: list[str], arrival: float) -> bool:
        if lockout.cut_off(self.router):
            # The controller's packets no longer come back: the session is gone, without a reply.
            return False
        command = words[0]
        attrs: dict[str, str] = {}
        queries: list[str] = []
        tag: str | None = None
        for word in words[1:]:
            if word.startswith("="):
                name, dummy, value = word[1:].partition("=")
                attrs[name] = value
            elif word.startswith(".tag="):
                tag = word[5:]
            elif word.startswith("?"):
                queries.append(word)
            elif word.startswith("."):
                name, dummy, value = word.partition("=")
                attrs[name] = value
        release = self._release(arrival)
        tagw = [".tag=" + tag] if tag is not None else []
        if command == "/quit":
            self.send(release, [["!fatal", "session terminated on request"]])
            self._put(release, _CLOSE)
            return False
        if command == "/login":
            users = self.server.users
            name = attrs.get("name", "")
            secret = users.get(name)
            password = self.router.login_password(name, secret[0] if isinstance(secret, (tuple, list)) else secret)
            if password is not None and attrs.get("password") == password:
                self.user = name
                self.send(release, [["!done"] + tagw])
            else:
                self.send(release, [["!trap"] + tagw + ["=message=invalid user name or password (6)"], ["!done"] + tagw])
            return True
        if self.user is None:
            self.send(release, [["!fatal", "not logged in"]])
            self._put(release, _CLOSE)
            return False
        if command == "/cancel":
            self._cancel(attrs.get("tag"), tagw, release)
            return True
        verb = command.rpartition("/")[2]
        if verb in READ_VERBS and ("follow" in attrs or "follow-only" in attrs):
            self._start_listen(command, attrs, queries, tag, initial="follow" in attrs)
            return True
        if verb in READ_VERBS and "interval" in attrs:
            self._start_repeat(command, attrs, queries, tag)
            return True
        if verb == "listen":
            self._start_listen(command, attrs, queries, tag, initial=False)
            return True
        try:
            return self._run(command, attrs, queries, tagw, release)
        except Exception as exc:  # a lab bug must show up as a trap, not as a hung client
            self.send(release, [["!trap"] + tagw + ["=category=4", "=message=lab internal error: %s: %s" % (type(exc).__name__, exc)],
                                ["!done"] + tagw])
            return True

    def _run(self, command: str, attrs: dict[str, str], queries: list[str], tagw: list[str], release: float) -> bool:
        router = self.router
        verb = command.rpartition("/")[2]
        proplist = None
        if ".proplist" in attrs:
            proplist = [p for p in attrs.pop(".proplist").split(",") if p]
        with router.lock:
            reply = router.execute(command, attrs, queries, proplist, user=self.user or "", stream=True)
            if reply.drop:
                self._put(release, _CLOSE)
                return False
            if reply.fatal is not None:
                self.send(release, [["!fatal", reply.fatal]])
                self._put(release, _CLOSE)
                return False
            if reply.trap is not None:
                trap = ["!trap"] + tagw
                if reply.trap.category is not None:
                    trap.append("=category=%d" % reply.trap.category)
                trap.append("=message=" + reply.trap.message)
                self.send(release, [trap, ["!done"] + tagw])
                return True
            try:
                count = self._stream_rows(reply.rows, tagw, release)
            except Fault as exc:
                self.send(release, [["!trap"] + tagw + ["=message=" + exc.message], ["!done"] + tagw])
                return True
        tail: list[list[str]] = []
        if count == 0 and verb in READ_VERBS and reply.ret is None and router.version_at_least("7.18"):
            tail.append(["!empty"] + tagw)
        done = ["!done"] + tagw
        if reply.ret is not None:
            done.append("=ret=" + reply.ret)
        tail.append(done)
        self.send(release, tail)
        return True

    def _stream_rows(self, rows: Iterable[dict[str, str]], tagw: list[str], release: float) -> int:
        count = 0
        batch: list[bytes] = []
        for row in rows:
            words = ["!re"] + tagw + ["=%s=%s" % (k, v) for k, v in row.items()]
            batch.append(encode_sentence(words))
            count += 1
            if len(batch) >= _CHUNK_ROWS:
                self._put(release, b"".join(batch))
                batch = []
                self._backpressure()
                if self.closed.is_set():
                    break
        if batch:
            self._put(release, b"".join(batch))
        return count

    # ---- long-running commands ----------------------------------------------------------------
    def _register(self, tag: str | None) -> threading.Event:
        event = threading.Event()
        with self.running_lock:
            self.running[tag if tag is not None else ""] = event
        return event

    def _finish(self, tag: str | None, event: threading.Event | None = None) -> None:
        key = tag if tag is not None else ""
        with self.running_lock:
            if event is None or self.running.get(key) is event:
                self.running.pop(key, None)
            if event is not None:
                self.workers.pop(event, None)

    def _spawn(self, event: threading.Event, target: Any, name: str) -> None:
        worker = threading.Thread(target=target, daemon=True, name=name)
        with self.running_lock:
            self.workers[event] = worker
        worker.start()

    def _cancel(self, target: str | None, tagw: list[str], release: float) -> None:
        with self.running_lock:
            if target is None:
                victims = list(self.running.items())
            else:
                victims = [(target, self.running[target])] if target in self.running else []
            for key, event in victims:
                event.set()
                self.running.pop(key, None)
            stopping = [self.workers.get(event) for dummy, event in victims]
        # the interrupted command sends nothing after its !trap: let its worker finish first
        for worker in stopping:
            if worker is not None and worker is not threading.current_thread():
                worker.join(timeout=5)
        sentences: list[list[str]] = []
        for key, dummy in victims:
            vtag = [".tag=" + key] if key else []
            sentences.append(["!trap"] + vtag + ["=category=2", "=message=interrupted"])
        sentences.append(["!done"] + tagw)
        for key, dummy in victims:
            vtag = [".tag=" + key] if key else []
            sentences.append(["!done"] + vtag)
        self.send(release, sentences)

    def _start_repeat(self, command: str, attrs: dict[str, str], queries: list[str], tag: str | None) -> None:
        interval_text = attrs.pop("interval", "") or "1s"
        from .values import duration_seconds
        try:
            interval = max(0.1, duration_seconds(interval_text))
        except ValueError:
            interval = 1.0
        event = self._register(tag)
        tagw = [".tag=" + tag] if tag is not None else []

        def loop() -> None:
            while not event.is_set() and not self.closed.is_set():
                proplist = [p for p in attrs.get(".proplist", "").split(",") if p] or None
                clean = {k: v for k, v in attrs.items() if k != ".proplist"}
                with self.router.lock:
                    reply = self.router.execute(command, clean, queries, proplist, user=self.user or "")
                if event.is_set():
                    break
                self._stream_rows(reply.rows, tagw, self._release(time.monotonic()))
                event.wait(interval)
            self._finish(tag, event)

        self._spawn(event, loop, "api-repeat")

    def _start_listen(self, command: str, attrs: dict[str, str], queries: list[str], tag: str | None, initial: bool) -> None:
        """``listen`` and ``print =follow=``/``=follow-only=``: rows as they change, removed ones with ``.dead=true``."""
        path = command.rpartition("/")[0]
        event = self._register(tag)
        tagw = [".tag=" + tag] if tag is not None else []

        spec = MENUS.get(path)
        matcher = compile_query(queries, spec["fields"]) if spec is not None and queries else None

        def snapshot() -> dict[str, dict[str, str]]:
            rows = [row for row in self.router.rows(path) if matcher is None or matcher(row)]
            return {row.get(".id", str(i)): row for i, row in enumerate(rows)}

        def loop() -> None:
            with self.router.lock:
                previous = snapshot()
                if initial:
                    self._stream_rows(list(previous.values()), tagw, self._release(time.monotonic()))
            while not event.wait(0.2) and not self.closed.is_set():
                current = snapshot()
                rows = [row for key, row in current.items() if previous.get(key) != row]
                rows += [{".id": key, ".dead": "true"} for key in previous if key not in current]
                if rows:
                    self._stream_rows(rows, tagw, self._release(time.monotonic()))
                previous = current
            self._finish(tag, event)

        if spec is None or "print" not in spec["verbs"]:
            self._finish(tag)
            message = "no such command" if spec is not None or path in DIRECTORIES else "no such command prefix"
            self.send(self._release(time.monotonic()), [["!trap"] + tagw + ["=category=0", "=message=" + message], ["!done"] + tagw])
            return
        if command.endswith("/print"):
            counts = self.router.counters["reads"]
            counts[path] = counts.get(path, 0) + 1
        self._spawn(event, loop, "api-listen")


class _Listener:
    def __init__(self, server: "LabServer", router: Router, host: str, port: int, tls: ssl.SSLContext | None) -> None:
        self.server = server
        self.router = router
        self.tls = tls
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((host, port))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._accept, daemon=True, name="api-accept")

    def start(self) -> None:
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, dummy = self.sock.accept()
            except OSError:
                return
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            tls = service_context(self.router, self.tls) if self.tls is not None else None
            session = _Connection(self.server, self.router, conn, tls)
            self.server._remember(session)
            threading.Thread(target=session.serve, daemon=True, name="api-conn").start()

    def stop(self) -> None:
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()
        self.thread.join(timeout=5)


class LabServer:
    """Serves one or more routers. Port arguments apply to the first router; ``ports`` maps
    further routers' names to ``{"api": P, "api_ssl": P, "ssh": P}`` (missing: API on a free port)."""

    def __init__(self, routers: list[Router], host: str = "127.0.0.1", api_port: int | None = 0,
                 api_ssl_port: int | None = None, ssh_port: int | None = None, users: dict[str, Any] | None = None,
                 latency_ms: int = 0, certfile: str | None = None, keyfile: str | None = None,
                 ports: dict[str, dict[str, int | None]] | None = None, tick_interval: float = 1.0) -> None:
        self.routers = list(routers)
        names = [router.name for router in self.routers]
        if len(set(names)) != len(names):
            raise ValueError("router names must be unique: %s" % ", ".join(names))
        self.host = host
        self.users: dict[str, Any] = dict(users or {"admin": ""})
        self.latency_ms = latency_ms
        self.certfile = certfile
        self.keyfile = keyfile
        self.tick_interval = tick_interval
        self.port_plan: dict[str, dict[str, int | None]] = {}
        for index, router in enumerate(self.routers):
            if index == 0:
                plan = {"api": api_port, "api_ssl": api_ssl_port, "ssh": ssh_port}
            else:
                plan = {"api": 0, "api_ssl": None, "ssh": None}
            plan.update((ports or {}).get(router.name, {}))
            self.port_plan[router.name] = plan
        self.endpoints: dict[str, dict[str, int | None]] = {}
        self._listeners: list[Any] = []
        self._sessions: set[_Connection] = set()
        self._sessions_lock = threading.Lock()
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None
        self._tls: ssl.SSLContext | None = None
        self.control = Control(self)

    # ---- lifecycle ----------------------------------------------------------------------------
    def start(self) -> "LabServer":
        for router in self.routers:
            for user, secret in self.users.items():
                group = secret[1] if isinstance(secret, (tuple, list)) and len(secret) > 1 else "full"
                router.user_groups[user] = group
                router.add_account(user, group)
            if self.latency_ms:
                router.set_faults(latency_ms=self.latency_ms)
            plan = self.port_plan[router.name]
            endpoint: dict[str, int | None] = {"api": None, "api_ssl": None, "ssh": None}
            if plan.get("api") is not None:
                listener = _Listener(self, router, self.host, int(plan["api"] or 0), None)
                listener.start()
                self._listeners.append(listener)
                endpoint["api"] = listener.port
            if plan.get("api_ssl") is not None:
                listener = _Listener(self, router, self.host, int(plan["api_ssl"] or 0), self._tls_context())
                listener.start()
                self._listeners.append(listener)
                endpoint["api_ssl"] = listener.port
            if plan.get("ssh") is not None:
                ssh_module = importlib.import_module("routeros_lab.ssh")
                plain_users = {u: (s[0] if isinstance(s, (tuple, list)) else s) for u, s in self.users.items()}
                ssh = ssh_module.SshListener(router, self.host, int(plan["ssh"] or 0), plain_users)
                ssh.start()
                self._listeners.append(ssh)
                endpoint["ssh"] = ssh.port
            self.endpoints[router.name] = endpoint
        self._ticker = threading.Thread(target=self._tick_loop, daemon=True, name="lab-tick")
        self._ticker.start()
        return self

    def _tick_loop(self) -> None:
        while not self._stop.wait(self.tick_interval):
            for router in self.routers:
                try:
                    router.tick()
                except Exception:  # a failing scheduler script must not stop the clock
                    continue

    def _tls_context(self) -> ssl.SSLContext:
        if self._tls is None:
            from .certs import ensure_certificate
            certfile, keyfile = ensure_certificate(self.certfile, self.keyfile)
            self.certfile, self.keyfile = certfile, keyfile
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(certfile, keyfile)
            self._tls = context
        return self._tls

    def stop(self) -> None:
        self._stop.set()
        for listener in self._listeners:
            listener.stop()
        self._listeners = []
        with self._sessions_lock:
            sessions = list(self._sessions)
        for session in sessions:
            session._shutdown()
        if self._ticker is not None:
            self._ticker.join(timeout=5)

    def __enter__(self) -> "LabServer":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def _remember(self, session: _Connection) -> None:
        with self._sessions_lock:
            self._sessions.add(session)

    def _forget(self, session: _Connection) -> None:
        with self._sessions_lock:
            self._sessions.discard(session)

    # ---- lookups ------------------------------------------------------------------------------
    def router(self, name: str | None = None) -> Router:
        if name is None:
            return self.routers[0]
        for router in self.routers:
            if router.name == name:
                return router
        raise KeyError("no router named %s" % name)

    @property
    def api_port(self) -> int | None:
        return self.endpoints[self.routers[0].name]["api"]

    @property
    def api_ssl_port(self) -> int | None:
        return self.endpoints[self.routers[0].name]["api_ssl"]

    @property
    def ssh_port(self) -> int | None:
        return self.endpoints[self.routers[0].name]["ssh"]

    def ready_lines(self) -> list[str]:
        lines = []
        for router in self.routers:
            endpoint = self.endpoints[router.name]
            parts = ["router %s" % router.name]
            for key, label in (("api", "api"), ("api_ssl", "api-ssl"), ("ssh", "ssh")):
                if endpoint.get(key) is not None:
                    parts.append("%s=%s:%d" % (label, self.host, endpoint[key]))
            parts.append("ready")
            lines.append(" ".join(parts))
        return lines
