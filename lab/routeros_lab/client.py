"""A minimal raw API client for tests that need what librouteros cannot do (tags, pipelining,
``/cancel``, exact reply words)."""

from __future__ import annotations

import socket
import ssl
from typing import Iterable

from .protocol import encode_sentence, read_sentence


class RawApi:
    def __init__(self, host: str, port: int, timeout: float = 10.0, tls: ssl.SSLContext | None = None) -> None:
        sock = socket.create_connection((host, port), timeout=timeout)
        self.sock = tls.wrap_socket(sock, server_hostname=host) if tls is not None else sock
        self.reader = self.sock.makefile("rb", buffering=65536)

    def send(self, *words: str) -> None:
        self.sock.sendall(encode_sentence(words))

    def send_many(self, sentences: Iterable[Iterable[str]]) -> None:
        """Pipeline several sentences in one write."""
        self.sock.sendall(b"".join(encode_sentence(list(s)) for s in sentences))

    def read(self) -> list[str]:
        return read_sentence(self.reader.read)

    def read_until_done(self, tag: str | None = None) -> list[list[str]]:
        """Sentences up to and including the ``!done`` (with ``.tag=tag`` when given)."""
        out = []
        while True:
            sentence = self.read()
            out.append(sentence)
            if sentence and sentence[0] in ("!done", "!fatal"):
                if tag is None or (".tag=" + tag) in sentence or sentence[0] == "!fatal":
                    return out

    def call(self, *words: str) -> list[list[str]]:
        self.send(*words)
        return self.read_until_done()

    def login(self, username: str, password: str) -> list[list[str]]:
        return self.call("/login", "=name=" + username, "=password=" + password)

    def close(self) -> None:
        self.reader.close()
        self.sock.close()

    def __enter__(self) -> "RawApi":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
