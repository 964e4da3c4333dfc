"""RouterOS API word and sentence encoding."""

from __future__ import annotations

from typing import Iterable


class ProtocolFault(Exception):
    """The peer sent bytes that are not an API sentence."""


def encode_length(length: int) -> bytes:
    if length < 0x80:
        return bytes((length,))
    if length < 0x4000:
        return (length | 0x8000).to_bytes(2, "big")
    if length < 0x200000:
        return (length | 0xC00000).to_bytes(3, "big")
    if length < 0x10000000:
        return (length | 0xE0000000).to_bytes(4, "big")
    return b"\xf0" + length.to_bytes(4, "big")


def encode_word(word: str) -> bytes:
    data = word.encode("utf-8", errors="surrogateescape")
    return encode_length(len(data)) + data


def encode_sentence(words: Iterable[str]) -> bytes:
    out = bytearray()
    for word in words:
        data = word.encode("utf-8", errors="surrogateescape")
        size = len(data)
        if size < 0x80:
            out.append(size)
        else:
            out += encode_length(size)
        out += data
    out.append(0)
    return bytes(out)


def _read_exact(read, count: int) -> bytes:
    data = bytearray()
    while len(data) < count:
        chunk = read(count - len(data))
        if not chunk:
            raise EOFError("connection closed")
        data += chunk
    return bytes(data)


def read_length(read) -> int:
    first = _read_exact(read, 1)[0]
    if first < 0x80:
        return first
    if first < 0xC0:
        return ((first & 0x3F) << 8) | _read_exact(read, 1)[0]
    if first < 0xE0:
        rest = _read_exact(read, 2)
        return ((first & 0x1F) << 16) | int.from_bytes(rest, "big")
    if first < 0xF0:
        rest = _read_exact(read, 3)
        return ((first & 0x0F) << 24) | int.from_bytes(rest, "big")
    if first == 0xF0:
        return int.from_bytes(_read_exact(read, 4), "big")
    raise ProtocolFault("bad length byte 0x%02x" % first)


def read_sentence(read) -> list[str]:
    """Words of the next sentence; ``read(n)`` returns up to n bytes (b"" at end of stream)."""
    words = []
    while True:
        length = read_length(read)
        if length == 0:
            return words
        # RouterOS stores bytes: any byte sequence must come back unchanged
        words.append(_read_exact(read, length).decode("utf-8", errors="surrogateescape"))
