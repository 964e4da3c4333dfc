"""Command line: ``python -m routeros_lab serve ...`` and ``python -m routeros_lab ctl ...``."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import time
from typing import Any

from .control import ControlServer, request
from .model import Router
from .server import LabServer


def _load_state(path: str | None) -> dict[str, Any] | None:
    if path and os.path.exists(path):
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    return None


def _save_state(router: Router, path: str) -> None:
    data = router.to_json()
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(data, handle)
    os.replace(tmp, path)


def _run_init(router: Router, init: str | None, base: str = ".") -> None:
    if not init:
        return
    path = init if os.path.isabs(init) else os.path.join(base, init)
    if os.path.exists(path):
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    elif "\n" in init or init.lstrip().startswith("/"):
        text = init
    else:
        raise SystemExit("init script not found: %s" % init)
    from . import cli
    try:
        output = cli.run_script(router, text, check=True)
    except cli.ScriptError as exc:
        # the script's output up to its first error, as RouterOS's /import would show them, then stop
        for line in str(exc.output or "").splitlines():
            print("init %s: %s" % (router.name, line), file=sys.stderr, flush=True)
        raise SystemExit("init %s failed: %s" % (router.name, exc.text)) from None
    if output:
        for line in str(output).splitlines():
            print("init %s: %s" % (router.name, line), file=sys.stderr, flush=True)


def _build_router(spec: dict[str, Any], base: str) -> tuple[Router, str | None]:
    state_path = spec.get("state")
    if state_path and not os.path.isabs(state_path):
        state_path = os.path.join(base, state_path)
    saved = _load_state(state_path)
    interfaces = spec.get("interfaces")
    if isinstance(interfaces, str):
        interfaces = [i.strip() for i in interfaces.split(",") if i.strip()]
    if saved is not None:
        router = Router.from_json(saved)
        router.name = spec.get("name") or router.name
    else:
        router = Router(identity=spec.get("identity") or spec.get("name") or "MikroTik", version=str(spec.get("version") or "7.19"),
                        interfaces=interfaces, name=spec.get("name"))
        _run_init(router, spec.get("init"), base)
    faults = {k: spec.get(k) for k in ("latency_ms", "fail_write_after", "drop_after_writes") if spec.get(k) is not None}
    if faults:
        router.set_faults(**faults)
    return router, state_path


def _topology(args: argparse.Namespace) -> tuple[list[dict[str, Any]], str]:
    if args.topology:
        import yaml
        with open(args.topology, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
        if isinstance(data, dict):
            data = data.get("routers", [])
        base = os.path.dirname(os.path.abspath(args.topology))
        specs = []
        for entry in data or []:
            ports = entry.get("ports") or {}
            spec = dict(entry)
            spec["api_port"] = ports.get("api", entry.get("api_port"))
            spec["api_ssl_port"] = ports.get("api-ssl", ports.get("api_ssl", entry.get("api_ssl_port")))
            spec["ssh_port"] = ports.get("ssh", entry.get("ssh_port"))
            specs.append(spec)
        return specs, base
    spec = {
        "name": args.identity or "MikroTik", "identity": args.identity or "MikroTik", "version": args.version,
        "interfaces": args.interfaces, "init": args.init, "state": args.state,
        "api_port": 8728 if args.api_port is None else args.api_port, "api_ssl_port": args.api_ssl_port,
        "ssh_port": args.ssh_port, "latency_ms": args.latency_ms, "fail_write_after": args.fail_write_after,
        "drop_after_writes": args.drop_after_writes,
    }
    return [spec], os.getcwd()


def serve(args: argparse.Namespace) -> int:
    specs, base = _topology(args)
    if not specs:
        print("no routers to serve", file=sys.stderr)
        return 2
    built = [_build_router(spec, base) for spec in specs]
    routers = [router for router, dummy in built]
    ports = {}
    for spec, router in zip(specs, routers):
        ports[router.name] = {"api": spec.get("api_port"), "api_ssl": spec.get("api_ssl_port"), "ssh": spec.get("ssh_port")}
    first = ports[routers[0].name]
    server = LabServer(routers=routers, host=args.host, api_port=first["api"], api_ssl_port=first["api_ssl"],
                       ssh_port=first["ssh"], users={args.user: args.password}, certfile=args.cert, keyfile=args.key,
                       ports=ports)
    stop = threading.Event()

    def on_signal(signum: int, frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    server.start()
    control = None
    if args.control_port is not None:
        control = ControlServer(server.control, args.host, args.control_port).start()
    for line in server.ready_lines():
        print(line, flush=True)
    if control is not None:
        print("control=%s:%d ready" % (args.host, control.port), flush=True)
    started = time.monotonic()
    marks = {router.name: None for router in routers}
    try:
        while not stop.wait(0.5):
            for router, state_path in built:
                if state_path:
                    mark = router.good_writes, sum(router.counters["writes"].values())
                    if mark != marks[router.name]:
                        marks[router.name] = mark
                        _save_state(router, state_path)
            if args.max_lifetime and time.monotonic() - started > args.max_lifetime:
                break
    finally:
        server.stop()
        if control is not None:
            control.stop()
        for router, state_path in built:
            if state_path:
                _save_state(router, state_path)
    return 0


def _coerce(text: str) -> Any:
    lowered = text.lower()
    if lowered in ("true", "yes"):
        return True
    if lowered in ("false", "no"):
        return False
    try:
        return json.loads(text)
    except ValueError:
        return text


def ctl(args: argparse.Namespace) -> int:
    payload: dict[str, Any] = {"op": args.op.replace("-", "_")}
    if args.router:
        payload["router"] = args.router
    for item in args.args:
        key, sep, value = item.partition("=")
        if not sep:
            print("arguments are KEY=VALUE, got %r" % item, file=sys.stderr)
            return 2
        payload[key.replace("-", "_")] = _coerce(value)
    reply = request(args.control_port, payload, host=args.host)
    print(json.dumps(reply, indent=2, sort_keys=True))
    return 0 if reply.get("ok") else 1


def build_parser() -> argparse.ArgumentParser:
    """The ``serve`` and ``ctl`` command lines (every option has a help text; a test checks it)."""
    parser = argparse.ArgumentParser(prog="python -m routeros_lab", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, help="serve: run lab routers; ctl: talk to a running lab")
    srv = sub.add_parser("serve", help="run lab routers")
    srv.add_argument("--host", default="127.0.0.1", help="address every port listens on (default 127.0.0.1)")
    srv.add_argument("--api-port", type=int, help="binary API port (default 8728; 0 picks a free port, printed in the ready line)")
    srv.add_argument("--api-ssl-port", type=int, help="API over TLS port (none unless given; 0 picks a free port)")
    srv.add_argument("--ssh-port", type=int, help="SSH CLI port (none unless given; 0 picks a free port)")
    srv.add_argument("--control-port", type=int, help="control interface port, JSON lines (none unless given; 0 picks a free port)")
    srv.add_argument("--user", default="admin", help="the one account's name, on every router (default admin)")
    srv.add_argument("--password", default="", help="the account's password (default empty)")
    srv.add_argument("--version", default="7.19", help="RouterOS version to emulate (default 7.19)")
    srv.add_argument("--identity", help="/system identity name, also the router's name in the ready line and the control port")
    srv.add_argument("--interfaces", help="comma-separated ethernet interfaces (default ether1..ether8)")
    srv.add_argument("--init", help="RouterOS script (.rsc) run at first start; a failing script stops the command")
    srv.add_argument("--state", help="JSON file the configuration is loaded from (then --init is skipped) and saved to")
    srv.add_argument("--latency-ms", type=int, help="fault: every answer (API, API-SSL, SSH) leaves N ms after its request arrived")
    srv.add_argument("--fail-write-after", type=int, help="fault: after N successful writes the next write fails once")
    srv.add_argument("--drop-after-writes", type=int, help="fault: after N successful writes the next write's connection is closed once")
    srv.add_argument("--max-lifetime", type=float, help="stop after this many seconds (a bound for test processes)")
    srv.add_argument("--topology", help="YAML list of routers: name, identity, version, interfaces, init, state, ports")
    srv.add_argument("--cert", help="PEM certificate for API-SSL (default: self-signed, generated at start)")
    srv.add_argument("--key", help="PEM private key for --cert")
    srv.set_defaults(func=serve)
    client = sub.add_parser("ctl", help="talk to a running lab's control port")
    client.add_argument("--host", default="127.0.0.1", help="address of the control port (default 127.0.0.1)")
    client.add_argument("--control-port", type=int, required=True, help="the control port given to serve")
    client.add_argument("--router", help="the router the operation applies to (default: the first)")
    client.add_argument("op", help="counters, reset_counters, set_reachable, set_faults, dump, tick, cli, routers, endpoints")
    client.add_argument("args", nargs="*", help="KEY=VALUE arguments, e.g. address=10.0.0.1 reachable=false")
    client.set_defaults(func=ctl)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
