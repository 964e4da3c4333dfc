# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""RouterOS API transport (librouteros): TLS on 8729 (API-SSL, the default) or plain 8728.

With TLS the router's certificate is checked against a CA and the host name, or, when a SHA-256
fingerprint is pinned, against that fingerprint alone (a self-signed router certificate, trusted on
first use like an SSH host key). The check happens before the login, so a password is never sent to
a router that failed it.

Reads and writes are tagged sentences kept in flight together (a sliding window), so N commands
cost about one round trip, not N. Values are kept as the text RouterOS sent (librouteros' own
reader turns ``"10"`` into ``10`` and ``"yes"`` into ``True``; the engine compares text).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import hmac
import os
import re
import socket
import ssl
import time
import uuid

try:
    import librouteros
    from librouteros.exceptions import LibRouterosError
    from librouteros.protocol import encode_sentence
    HAS_LIBROUTEROS = True
    LIBROUTEROS_IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - reported by the module
    HAS_LIBROUTEROS = False
    LIBROUTEROS_IMPORT_ERROR = exc
    LibRouterosError = Exception

from ansible_collections.multiwan.routeros.plugins.module_utils.engine import schema as schema_mod
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.operation import api_sentence
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.errors import (
    CommandError,
    TransportError,
)
from ansible_collections.multiwan.routeros.plugins.module_utils.transport.base import (
    Result,
    Transport,
    socket_error_reason,
)
from ansible_collections.multiwan.routeros.plugins.module_utils.transport.ssh import read_exported

# Sentences kept in flight; bounded so neither side's socket buffer can fill up and deadlock.
WINDOW = 512
# Bytes per /file/read; well under the largest chunk RouterOS serves.
FILE_READ_CHUNK = 32768


def _to_api(value):
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return "" if value is None else str(value)


def command_words(command):
    """A Command -> (API command word, attribute words): the operation's API sentence, with the ids resolved."""
    return api_sentence(command.path, command.verb, command.id, command.fields, command.place_before, command.destination)


def unencodable(commands, encoding):
    """``[(index, problem)]``: the commands a session in ``encoding`` cannot send."""
    try:
        "".encode(encoding)
    except LookupError:
        return [(0, "unknown encoding %r" % encoding)]
    problems = []
    for index, command in enumerate(commands):
        for name, value in sorted((command.fields or {}).items()):
            text = "%s=%s" % (name, _to_api(value))
            try:
                text.encode(encoding)
            except UnicodeError:
                bad = "".join(sorted(set(c for c in text if not c.encode(encoding, "ignore"))))
                problems.append((index, "%s=%r: %r cannot be sent in the API session's encoding %s "
                                        "(connection option encoding)" % (name, _to_api(value), bad, encoding)))
    return problems


API_PORT = 8728
API_SSL_PORT = 8729

_HEX_FINGERPRINT = re.compile(r"^[0-9a-f]{64}$")


def normalize_fingerprint(text):
    """A SHA-256 fingerprint as RouterOS prints it (64 lowercase hex digits).

    Accepts upper case, ``:`` or space separators and a ``sha256:`` prefix, the forms that
    ``openssl x509 -fingerprint -sha256`` and browsers show; raises ValueError otherwise.
    """
    value = str(text).strip().lower()
    if value.startswith("sha256:"):
        value = value[len("sha256:"):]
    value = value.replace(":", "").replace(" ", "")
    if not _HEX_FINGERPRINT.match(value):
        raise ValueError("tls_fingerprint must be the SHA-256 fingerprint of the router's certificate "
                         "(64 hex digits, as /certificate print shows it)")
    return value


def certificate_fingerprint(der):
    """SHA-256 of a DER certificate, in the form RouterOS prints (``/certificate print`` fingerprint)."""
    return hashlib.sha256(der).hexdigest()


def endpoint_key(hostname, port):
    """How a router's API-SSL endpoint is named in a tls_known_hosts file (``host:port``, IPv6 in brackets)."""
    return "[%s]:%d" % (hostname, port) if ":" in hostname else "%s:%d" % (hostname, port)


def known_fingerprint(path, hostname, port):
    """The fingerprint pinned for ``hostname:port`` in a tls_known_hosts file, or None.

    One ``<host>:<port> <sha256 fingerprint>`` per line, ``#`` comments; a missing file pins nothing
    (like SSH's known_hosts). A malformed line fails, naming the file and the line.
    """
    if not path or not os.path.exists(path):
        return None
    wanted = endpoint_key(hostname, port)
    with open(path) as handle:
        for number, line in enumerate(handle, 1):
            words = line.split("#", 1)[0].split()
            if not words:
                continue
            if len(words) != 2:
                raise ValueError("tls_known_hosts %s line %d: expected '<host>:<port> <sha256 fingerprint>'" % (path, number))
            if words[0] == wanted:
                try:
                    return normalize_fingerprint(words[1])
                except ValueError as exc:
                    raise ValueError("tls_known_hosts %s line %d: %s" % (path, number, exc))
    return None


def ssl_context(validate_certs=True, validate_cert_hostname=True, ca_path=None, pinned=False):
    """The client context. A pinned fingerprint replaces the CA and host-name checks (see _TlsWrapper)."""
    if validate_certs and not pinned:
        ctx = ssl.create_default_context(cafile=ca_path) if ca_path else ssl.create_default_context()
        ctx.check_hostname = bool(validate_cert_hostname)
        ctx.verify_mode = ssl.CERT_REQUIRED
    else:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    return ctx


class FingerprintMismatch(Exception):
    """The router's certificate is not the pinned one."""


class _SentenceReader(object):
    """Buffered reader of API sentences (librouteros reads one ``recv`` per word part)."""

    def __init__(self, sock, encoding):
        self.sock = sock
        self.encoding = encoding
        self.buf = b""
        self.pos = 0

    def _need(self, count):
        while len(self.buf) - self.pos < count:
            chunk = self.sock.recv(262144)
            if not chunk:
                raise EOFError("connection closed by the router")
            self.buf = self.buf[self.pos:] + chunk
            self.pos = 0

    def _byte(self):
        self._need(1)
        value = self.buf[self.pos]
        self.pos += 1
        return value

    def _length(self):
        first = self._byte()
        if first < 0x80:
            return first
        if first < 0xC0:
            return ((first & 0x3F) << 8) | self._byte()
        if first < 0xE0:
            return ((first & 0x1F) << 16) | (self._byte() << 8) | self._byte()
        if first < 0xF0:
            return ((first & 0x0F) << 24) | (self._byte() << 16) | (self._byte() << 8) | self._byte()
        if first == 0xF0:
            return (self._byte() << 24) | (self._byte() << 16) | (self._byte() << 8) | self._byte()
        raise TransportError("malformed API word length byte 0x%02x" % first)

    def sentence(self):
        words = []
        while True:
            length = self._length()
            if length == 0:
                if words:
                    return words[0], words[1:]
                continue
            self._need(length)
            words.append(self.buf[self.pos:self.pos + length].decode(self.encoding, "replace"))
            self.pos += length


class _TlsWrapper(object):
    """Wraps the connected socket; with a pinned fingerprint, compares it right after the handshake."""

    def __init__(self, ctx, hostname, fingerprint=None):
        self.ctx = ctx
        self.hostname = hostname
        self.fingerprint = fingerprint

    def __call__(self, sock):
        try:
            wrapped = self.ctx.wrap_socket(sock, server_hostname=self.hostname)
        except Exception:
            sock.close()
            raise
        if self.fingerprint is not None:
            seen = certificate_fingerprint(wrapped.getpeercert(binary_form=True) or b"")
            if not hmac.compare_digest(seen, self.fingerprint):
                wrapped.close()
                raise FingerprintMismatch(seen)
        return wrapped


class ApiTransport(Transport):
    name = "api"
    ids_known = True

    def __init__(self, hostname, username, password="", port=None, tls=True, validate_certs=True,
                 validate_cert_hostname=True, ca_path=None, timeout=10, encoding="UTF-8", tls_fingerprint=None,
                 tls_known_hosts=None):
        super(ApiTransport, self).__init__()
        if not HAS_LIBROUTEROS:
            raise TransportError("librouteros is required for the API transport")
        self.hostname = hostname
        self.port = int(port or (API_SSL_PORT if tls else API_PORT))
        self.timeout = timeout
        # Named in every error, so the user knows which endpoint and service failed (never a secret).
        self.endpoint = "%s:%d (%s)" % (hostname, self.port, "API-SSL" if tls else "API")
        wrapper = None
        if tls:
            try:
                if tls_fingerprint:
                    pinned, pin_source = normalize_fingerprint(tls_fingerprint), "tls_fingerprint"
                else:
                    pinned, pin_source = known_fingerprint(tls_known_hosts, hostname, self.port), "tls_known_hosts %s" % tls_known_hosts
            except ValueError as exc:
                raise TransportError(str(exc))
            ctx = ssl_context(validate_certs, validate_cert_hostname, ca_path, pinned=pinned is not None)
            wrapper = _TlsWrapper(ctx, hostname, pinned)

        try:
            self.api = librouteros.connect(
                host=hostname, username=username, password=password or "",
                port=self.port, timeout=timeout, encoding=encoding, ssl_wrapper=wrapper,
            )
        except FingerprintMismatch as exc:
            raise TransportError("TLS certificate of %s has SHA-256 fingerprint %s, not the pinned %s "
                                 "(%s): the certificate changed or another host answers; "
                                 "nothing was sent" % (self.endpoint, exc.args[0], wrapper.fingerprint, pin_source))
        except ssl.SSLCertVerificationError as exc:
            reason = exc.verify_message or str(exc)
            if "mismatch" in reason:
                hint = ("it was issued for another name: connect by a name it carries, reissue it, pin it with "
                        "tls_fingerprint, or accept it with validate_cert_hostname=false")
            else:
                hint = "give the CA with ca_path, or pin the router's certificate with tls_fingerprint"
            raise TransportError("TLS certificate of %s rejected: %s (%s)" % (self.endpoint, reason, hint))
        except ssl.SSLError as exc:
            raise TransportError("TLS handshake with %s failed: %s" % (self.endpoint, exc))
        except (socket.error, socket.timeout, OSError) as exc:
            raise TransportError("cannot connect to %s: %s" % (self.endpoint, socket_error_reason(exc)))
        except LibRouterosError as exc:
            raise TransportError("login to %s failed: %s" % (self.endpoint, exc))
        self.stats["round_trips"] += 1
        self._tag = 0
        self._encoding = encoding
        self._reader = _SentenceReader(self.api.protocol.transport.sock, encoding)

    # -- low level -------------------------------------------------------------------------

    def _next_tag(self):
        self._tag += 1
        return "m%d" % self._tag

    def pipeline(self, sentences):
        """Send ``[(command, [words])]`` tagged, a window at a time; return per sentence
        ``{"rows": [...], "trap": message or None, "ret": value or None}``."""
        results = [None] * len(sentences)
        if not sentences:
            return results
        tags = {}
        # Every sentence is encoded before the first is sent: a value the session's encoding
        # cannot carry fails here, with nothing of the batch on the wire.
        encoded = []
        for index, (cmd, words) in enumerate(sentences):
            tag = self._next_tag()
            tags[tag] = index
            encoded.append(encode_sentence(cmd, *(list(words) + [".tag=%s" % tag]), encoding=self._encoding))
        sock = self.api.protocol.transport.sock
        sent = 0
        done = 0
        inflight = 0
        try:
            while done < len(sentences):
                if inflight < WINDOW // 2 and sent < len(sentences):
                    chunk = []
                    while sent < len(sentences) and inflight < WINDOW:
                        results[sent] = {"rows": [], "trap": None, "ret": None}
                        chunk.append(encoded[sent])
                        sent += 1
                        inflight += 1
                    sock.sendall(b"".join(chunk))
                    self.stats["round_trips"] += 1
                reply, words = self._reader.sentence()
                if reply == "!fatal":
                    raise TransportError("router closed the session: %s" % " ".join(words))
                attrs = {}
                tag = None
                for word in words:
                    if word.startswith(".tag="):
                        tag = word[5:]
                    elif word.startswith("="):
                        _empty, key, value = word.split("=", 2)
                        attrs[key] = value
                if tag not in tags:
                    raise TransportError("unexpected reply %s %r (tag %r)" % (reply, words, tag))
                slot = results[tags[tag]]
                if reply == "!re":
                    slot["rows"].append(attrs)
                elif reply == "!trap":
                    if slot["trap"] is None:
                        slot["trap"] = attrs.get("message", "trap")
                elif reply == "!done":
                    if "ret" in attrs:
                        slot["ret"] = attrs["ret"]
                    done += 1
                    inflight -= 1
        except (socket.error, socket.timeout, OSError, EOFError) as exc:
            raise TransportError("connection to %s lost: %s" % (self.endpoint, socket_error_reason(exc)))
        except LibRouterosError as exc:
            raise TransportError("connection to %s failed: %s" % (self.endpoint, exc))
        return results

    def call(self, command, *words):
        res = self.pipeline([(command, list(words))])[0]
        if res["trap"] is not None:
            raise CommandError("%s: %s" % (command, res["trap"]), command=command)
        return res

    # -- interface -------------------------------------------------------------------------

    def read(self, paths, fields=None):
        fields = fields or {}
        sentences = []
        for path in paths:
            words = []
            if fields.get(path):
                words.append("=.proplist=%s" % ",".join(fields[path]))
            words.extend(schema_mod.get(path).api_query if schema_mod.is_known(path) else ())
            sentences.append((path.rstrip("/") + "/print", words))
        results = self.pipeline(sentences)
        self.stats["reads"] += len(paths)
        out = {}
        for path, res in zip(paths, results):
            if res["trap"] is not None:
                raise CommandError("reading %s failed: %s" % (path, res["trap"]), command=path)
            out[path] = res["rows"]
        return out

    def check(self, commands):
        """Commands with a word the session's ``encoding`` cannot carry, naming the field."""
        return unencodable(commands, self._encoding)

    def execute(self, commands):
        sentences = [command_words(c) for c in commands]
        results = self.pipeline(sentences)
        self.stats["writes"] += len(commands)
        return [Result(ok=res["trap"] is None, ret=res["ret"], message=res["trap"]) for res in results]

    def read_exported(self, paths):
        """Rows as ``export terse`` shows them (only the values that were written), with ids: the
        print fills in defaults, which an undo must not write. The SSH reader's script, run by ``/execute``."""
        rows = read_exported(self._run_script, paths, self.endpoint)
        self.stats["reads"] += len(paths)
        return rows

    def _run_script(self, script):
        return self.call("/execute", "=script=%s" % script, "=as-string=")["ret"] or ""

    def identity(self):
        rows = self.call("/system/identity/print")["rows"]
        return rows[0].get("name", "") if rows else ""

    def version(self):
        rows = self.call("/system/resource/print")["rows"]
        return rows[0].get("version", "") if rows else ""

    def export(self, terse=True):
        """``/export`` over the API can only write a file: write it, read it back, remove it."""
        name = "mwan-export-%s" % uuid.uuid4().hex[:12]
        words = ["=file=%s" % name]
        if terse:
            words.append("=terse=")
        self.call("/export", *words)
        filename = name + ".rsc"
        row = self._wait_for_file(filename)
        try:
            contents = row.get("contents")
            if contents is None:
                # RouterOS prints `contents` only for small files; larger ones need /file/read (7.13+).
                contents = self._read_file(filename)
        finally:
            self.call("/file/remove", "=.id=%s" % (row.get(".id") or filename))
        return contents

    def export_read_only(self, terse=True):
        """``/export`` run by ``/execute as-string`` (RouterOS 7): the text comes back in ``ret`` and nothing is
        stored on the router, so it needs neither a write permission nor free disk space (check mode)."""
        script = "/export%s" % (" terse" if terse else "")
        text = (self.call("/execute", "=script=%s" % script, "=as-string=")["ret"] or "").replace("\r\n", "\n")
        # A script that fails prints its error as the output instead of trapping; an export starts with its header.
        if not text.startswith("# "):
            first = text.strip().splitlines()[0] if text.strip() else "no output"
            raise CommandError("/execute %s returned no export: %s" % (script, first), command="/execute")
        return text if text.endswith("\n") else text + "\n"

    def _wait_for_file(self, filename):
        deadline = time.monotonic() + self.timeout
        while True:
            rows = self.call("/file/print", "?name=%s" % filename)["rows"]
            if rows:
                return rows[0]
            if time.monotonic() > deadline:
                raise CommandError("export file %s did not appear within %ss" % (filename, self.timeout))
            time.sleep(0.1)

    def _read_file(self, filename):
        chunks = []
        offset = 0
        while True:
            rows = self.call("/file/read", "=file=%s" % filename, "=offset=%d" % offset,
                             "=chunk-size=%d" % FILE_READ_CHUNK)["rows"]
            data = "".join(row.get("data", "") for row in rows)
            chunks.append(data)
            read = len(data.encode(self._encoding, "replace"))
            offset += read
            if read < FILE_READ_CHUNK:
                return "".join(chunks)

    def close(self):
        try:
            self.api.close()
        except Exception:  # noqa: BLE001 - closing a dead socket must not hide the real error
            pass
