"""pytest fixtures: ``lab_router`` (a fresh router per test) and ``lab_router_factory``."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from typing import Any, Iterator

import pytest

from .certs import ensure_certificate
from .control import Control
from .model import Router
from .server import LabServer

DEFAULT_PASSWORD = "lab-secret"
_CERT: dict[str, str] = {}


def ssh_available() -> bool:
    """True once the SSH listener module exists (tests that need SSH must then really run)."""
    return importlib.util.find_spec("routeros_lab.ssh") is not None


def lab_certificate() -> tuple[str, str]:
    """One self-signed pair per test session (``certfile``, ``keyfile``)."""
    if not _CERT:
        certfile, keyfile = ensure_certificate(None, None)
        _CERT.update(certfile=certfile, keyfile=keyfile)
    return _CERT["certfile"], _CERT["keyfile"]


@dataclass
class LabRouter:
    """A running lab router as seen by a test."""

    router: Router
    server: LabServer
    host: str
    api_port: int
    api_ssl_port: int | None
    ssh_port: int | None
    username: str
    password: str
    certfile: str
    control: Control
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.router.name

    def api(self, **kwargs: Any) -> Any:
        """A logged-in librouteros connection."""
        import librouteros
        return librouteros.connect(host=self.host, username=self.username, password=self.password, port=self.api_port, **kwargs)

    def api_ssl(self, **kwargs: Any) -> Any:
        """A logged-in librouteros connection over API-SSL, validating the lab's certificate."""
        import ssl

        import librouteros
        context = ssl.create_default_context(cafile=self.certfile)
        return librouteros.connect(host=self.host, username=self.username, password=self.password, port=self.api_ssl_port,
                                   ssl_wrapper=lambda sock: context.wrap_socket(sock, server_hostname=self.host), **kwargs)


class LabFactory:
    def __init__(self) -> None:
        self.servers: list[LabServer] = []

    def __call__(self, identity: str = "MikroTik", version: str = "7.19", interfaces: list[str] | None = None,
                 init: str | None = None, name: str | None = None, username: str = "admin",
                 password: str = DEFAULT_PASSWORD, users: dict[str, Any] | None = None, latency_ms: int = 0,
                 ssh: bool | None = None, api_ssl: bool = True, state: dict[str, Any] | None = None) -> LabRouter:
        if state is not None:
            router = Router.from_json(state)
        else:
            router = Router(identity=identity, version=version, interfaces=interfaces, name=name)
        if init:
            from . import cli
            try:
                cli.run_script(router, init, check=True)
            except cli.ScriptError as exc:
                pytest.fail("lab router init script failed: %s" % exc.text, pytrace=False)
        all_users = {username: password}
        all_users.update(users or {})
        want_ssh = ssh_available() if ssh is None else ssh
        certfile, keyfile = lab_certificate()
        server = LabServer(routers=[router], host="127.0.0.1", api_port=0, api_ssl_port=0 if api_ssl else None,
                           ssh_port=0 if want_ssh else None, users=all_users, latency_ms=latency_ms,
                           certfile=certfile, keyfile=keyfile)
        server.start()
        self.servers.append(server)
        return LabRouter(router=router, server=server, host="127.0.0.1", api_port=server.api_port or 0,
                         api_ssl_port=server.api_ssl_port, ssh_port=server.ssh_port, username=username,
                         password=password, certfile=certfile, control=server.control)

    def close(self) -> None:
        for server in self.servers:
            server.stop()
        self.servers = []


@pytest.fixture
def lab_router_factory() -> Iterator[LabFactory]:
    factory = LabFactory()
    try:
        yield factory
    finally:
        factory.close()


@pytest.fixture
def lab_router(lab_router_factory: LabFactory) -> LabRouter:
    return lab_router_factory()
