"""Test control, off the RouterOS menus: in process (``server.control``) and as a JSON-lines port."""

from __future__ import annotations

import importlib
import json
import socket
import socketserver
import threading
from typing import Any

from . import lockout, tools


class Control:
    """Operations on the routers of a ``LabServer``; ``router`` names one (default: the first)."""

    def __init__(self, server: Any) -> None:
        self.server = server

    def routers(self) -> list[str]:
        return [router.name for router in self.server.routers]

    def endpoints(self) -> dict[str, Any]:
        return dict(self.server.endpoints)

    def counters(self, router: str | None = None) -> dict[str, dict[str, int]]:
        target = self.server.router(router)
        with target.lock:
            return {"reads": dict(target.counters["reads"]), "writes": dict(target.counters["writes"])}

    def reset_counters(self, router: str | None = None) -> None:
        self.server.router(router).reset_counters()

    def set_reachable(self, address: str, reachable: bool, router: str | None = None) -> None:
        self.server.router(router).set_reachable(address, bool(reachable))

    def set_dhcp_lease(self, interface: str, address: str = "", gateway: str = "", router: str | None = None) -> None:
        self.server.router(router).set_dhcp_lease(interface, address, gateway)

    def set_pppoe_session(self, name: str, up: bool, router: str | None = None) -> None:
        self.server.router(router).set_pppoe_session(name, bool(up))

    def set_faults(self, latency_ms: int | None = None, fail_write_after: int | None = None,
                   drop_after_writes: int | None = None, router: str | None = None) -> dict[str, Any]:
        target = self.server.router(router)
        target.set_faults(latency_ms=latency_ms, fail_write_after=fail_write_after, drop_after_writes=drop_after_writes)
        return dict(target.faults)

    def set_lockout(self, address: str | None = None, interface: str | None = None, router: str | None = None) -> dict[str, str] | None:
        """``lockout_when_route_to``: see lockout.py; no address switches it off."""
        target = self.server.router(router)
        lockout.set_lockout(target, address, interface)
        return lockout.lockout_setting(target)

    def set_clock_rate(self, rate: float, router: str | None = None) -> None:
        lockout.set_clock_rate(self.server.router(router), float(rate))

    def inject_flow(self, in_interface: str, src_address: str, dst_address: str, protocol: str = "tcp",
                    src_port: int | None = None, dst_port: int | None = None, reply: bool = True,
                    router: str | None = None) -> dict[str, Any]:
        """A new connection arriving on ``in_interface`` (see tools.inject_flow): its marks, route and NAT."""
        return tools.inject_flow(self.server.router(router), in_interface, src_address, dst_address, protocol,
                                 src_port, dst_port, reply)

    def clear_connections(self, router: str | None = None) -> int:
        return tools.clear_connections(self.server.router(router))

    def dump(self, router: str | None = None) -> dict[str, Any]:
        target = self.server.router(router)
        state = target.to_json()
        state["rows"] = {path: target.rows(path) for path in target.menus()}
        return state

    def tick(self, router: str | None = None) -> None:
        self.server.router(router).tick()

    def cli(self, line: str, router: str | None = None) -> str:
        target = self.server.router(router)
        cli = importlib.import_module("routeros_lab.cli")
        result = cli.run_script(target, line)
        if result is None:
            return ""
        if isinstance(result, str):
            return result
        if isinstance(result, (list, tuple)):
            return "\n".join(str(part) for part in result)
        return str(getattr(result, "output", result))

    def handle(self, request: dict[str, Any]) -> dict[str, Any]:
        """One control-port request ``{"op": ..., "router": ..., args}`` -> ``{"ok": ..., "result"|"error"}``."""
        op = request.get("op")
        args = {k: v for k, v in request.items() if k != "op"}
        operations = {
            "routers": self.routers, "endpoints": self.endpoints, "counters": self.counters,
            "reset_counters": self.reset_counters, "set_reachable": self.set_reachable,
            "set_dhcp_lease": self.set_dhcp_lease, "set_pppoe_session": self.set_pppoe_session,
            "set_faults": self.set_faults, "set_lockout": self.set_lockout,
            "set_clock_rate": self.set_clock_rate, "dump": self.dump, "tick": self.tick, "cli": self.cli,
            "inject_flow": self.inject_flow, "clear_connections": self.clear_connections,
        }
        if op not in operations:
            return {"ok": False, "error": "unknown op %r (known: %s)" % (op, ", ".join(sorted(operations)))}
        try:
            return {"ok": True, "result": operations[op](**args)}
        except (KeyError, TypeError, ValueError, ImportError) as exc:
            return {"ok": False, "error": "%s: %s" % (type(exc).__name__, exc)}


class _Handler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        for raw in self.rfile:
            line = raw.strip()
            if not line:
                continue
            try:
                request = json.loads(line)
                reply = self.server.control.handle(request) if isinstance(request, dict) else {"ok": False, "error": "not an object"}
            except ValueError as exc:
                reply = {"ok": False, "error": "bad json: %s" % exc}
            self.wfile.write((json.dumps(reply, sort_keys=True) + "\n").encode())
            self.wfile.flush()


class _TCPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class ControlServer:
    """JSON lines over TCP on 127.0.0.1."""

    def __init__(self, control: Control, host: str = "127.0.0.1", port: int = 0) -> None:
        self.tcp = _TCPServer((host, port), _Handler)
        self.tcp.control = control  # type: ignore[attr-defined]
        self.port = self.tcp.server_address[1]
        self.thread = threading.Thread(target=self.tcp.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)

    def start(self) -> "ControlServer":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.tcp.shutdown()
        self.tcp.server_close()


def request(port: int, payload: dict[str, Any], host: str = "127.0.0.1", timeout: float = 10.0) -> dict[str, Any]:
    """Client side: send one request, return the decoded reply."""
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.sendall((json.dumps(payload) + "\n").encode())
        data = b""
        while not data.endswith(b"\n"):
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    return json.loads(data.decode())
