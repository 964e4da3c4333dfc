# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""RouterOS CLI transport over SSH (paramiko), host-key checking on by default.

Reads run one script for all paths: per path ``export terse`` (parsed by the engine's tokenizer)
and the ids of the exported items, in the same table order. Writes are the plan's CLI lines,
sent as scripts (each line followed by a marker) over ``exec`` requests of one SSH connection;
RouterOS stops a script at the first error and prints its message, which the marker that never
came tells apart from the output of the lines that ran.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import os
import socket

try:
    import paramiko
    HAS_PARAMIKO = True
    PARAMIKO_IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - reported by the module
    HAS_PARAMIKO = False
    PARAMIKO_IMPORT_ERROR = exc

from ansible_collections.multiwan.routeros.plugins.module_utils.engine import schema as schema_mod
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.export import parse_export
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.errors import (
    CommandError,
    TransportError,
)
from ansible_collections.multiwan.routeros.plugins.module_utils.transport.base import (
    Result,
    Transport,
    socket_error_reason,
)

# RouterOS console options: no colours, no terminal detection, 512 columns.
CONSOLE_OPTIONS = "+cet512w"
# An SSH exec request must fit in one packet (RFC 4254 implementations use ~32 KiB).
MAX_SCRIPT_BYTES = 24000
MARK = "#mwan-"

# Texts RouterOS prints instead of failing the exec (exit status stays 0).
ERROR_MARKERS = (
    "bad command name", "expected end of command", "syntax error", "no such item", "failure:",
    "input does not match any value", "invalid value", "missing value", "ambiguous value",
    "out of range", "unknown parameter", "not enough permissions", "no such command",
    "expected command name", "invalid internal item number", "cannot ", "can not ",
    "already have", "invalid or unexpected", "value of ", "bad ",
)

# Menus whose items have no ``dynamic`` flag (their ``find`` takes no ``where``).
_NO_DYNAMIC = frozenset(["/system/script", "/system/scheduler"])
_BUILTIN = frozenset(["/interface/list"])


def looks_like_error(text):
    low = text.strip().lower()
    return any(m in low for m in ERROR_MARKERS)


def _find_visible(path):
    cli = schema_mod.cli_path(path)
    if path in _NO_DYNAMIC:
        return "[%s find]" % cli
    if path in _BUILTIN:
        return "[%s find where !dynamic and !builtin]" % cli
    return "[%s find where !dynamic]" % cli


def read_script(paths):
    """The one script that reads every path: its visible ids, its exported rows, its ids again.

    ``export terse`` gives rows and ``find`` gives ids, two commands: the ids are listed before
    and after the export so a table changed between them is seen (``parse_read_output``) instead
    of pairing a row with another row's id. Connected routes are printed for ``/ip/route``.
    """
    lines = []
    for path in paths:
        spec = schema_mod.get(path) if schema_mod.is_known(path) else None
        cli = schema_mod.cli_path(path)
        listed = spec is not None and not spec.singleton
        lines.append(':put "%spath %s"' % (MARK, path))
        if listed:
            lines.append(':put "%sids"' % MARK)
            lines.append(":put %s" % _find_visible(path))
        lines.append(':put "%sexport"' % MARK)
        lines.append("%s export terse" % cli)
        if listed:
            lines.append(':put "%sids-after"' % MARK)
            lines.append(":put %s" % _find_visible(path))
        if path == "/ip/route":
            lines.append(':put "%sconnected"' % MARK)
            lines.append(':foreach i in=[/ip route find where connect] do={:put ([/ip route get $i dst-address] . " " . '
                         '[/ip route get $i gateway])}')
    lines.append(':put "%send"' % MARK)
    return "\n".join(lines) + "\n"


class TableChangedError(TransportError):
    """A table's exported rows and listed ids do not pair up (most likely it changed while it was read)."""


def _ids(lines):
    return [i.strip() for i in ";".join(lines).strip().split(";") if i.strip()]


def _sections(output):
    sections = {}
    current = None
    part = None
    for raw in output.replace("\r\n", "\n").split("\n"):
        line = raw.rstrip("\r")
        if line.startswith(MARK):
            word = line[len(MARK):]
            if word.startswith("path "):
                current = word[5:].strip()
                sections[current] = {"ids": [], "export": [], "ids-after": [], "connected": []}
                part = "export"
            elif word in ("ids", "export", "ids-after", "connected"):
                part = word
            elif word == "end":
                current = None
            continue
        if current is None or not line.strip():
            continue
        sections[current][part].append(line)
    return sections


def parse_read_output(output, paths):
    """Split the read script's output per path -> ``{path: [row]}`` with ``.id`` on every row.

    Raises TableChangedError when a table's ids differ before and after its export, or do not
    match its exported rows in number.
    """
    sections = _sections(output)
    out = {}
    for path in paths:
        sec = sections.get(path)
        if sec is None:
            raise TransportError("reading %s failed: the read script printed nothing for it" % path)
        text = "\n".join(sec["export"])
        bad = [ln for ln in sec["export"] if not ln.startswith("#") and not ln.startswith("/") and looks_like_error(ln)]
        if bad:
            raise CommandError("reading %s failed: %s" % (path, bad[0].strip()), command=path)
        rows = parse_export(text).get(path, [])
        spec = schema_mod.get(path) if schema_mod.is_known(path) else None
        if spec is not None and not spec.singleton:
            ids = _ids(sec["ids"])
            if ids != _ids(sec["ids-after"]) or len(ids) != len(rows):
                raise TableChangedError(
                    "reading %s: %d ids before the export, %d exported rows, %d ids after (the table changed while "
                    "it was read, or its rows are not the listed ones): rows cannot be paired with their ids safely"
                    % (path, len(ids), len(rows), len(_ids(sec["ids-after"]))))
            for row, rid in zip(rows, ids):
                row[".id"] = rid
        elif spec is not None and spec.singleton and not rows:
            rows = [{}]
        for n, line in enumerate(sec["connected"]):
            parts = line.strip().split(" ", 1)
            if len(parts) == 2:
                rows.append({".id": "connected:%d" % n, "dst-address": parts[0], "gateway": parts[1],
                             "connect": "true", "dynamic": "true"})
        out[path] = rows
    return out


# A concurrent change makes a read retry; a table that keeps changing fails the read after this many.
READ_ATTEMPTS = 3


def read_exported(run, paths, where):
    """Rows as ``export terse`` shows them (written values only), with ids, through ``run(script) -> output``.

    Read again when a table changed during the read; ``where`` names the router in errors.
    """
    attempt = 1
    while True:
        output = run(read_script(paths))
        if MARK + "end" not in output:
            raise TransportError("reading %s from %s was cut short" % (", ".join(paths), where))
        try:
            return parse_read_output(output, paths)
        except TableChangedError as exc:
            if attempt >= READ_ATTEMPTS:
                raise TableChangedError("%s; %d reads from %s in a row saw a change: stop other writers and re-run"
                                        % (exc, READ_ATTEMPTS, where))
            attempt += 1


def split_scripts(lines, limit=MAX_SCRIPT_BYTES):
    """Group ``(index, line)`` pairs into scripts below ``limit`` bytes, each line followed by its marker."""
    batches = []
    current = []
    size = 0
    for index, line in lines:
        piece = '%s\n:put "%sok %d"\n' % (line, MARK, index)
        if current and size + len(piece) > limit:
            batches.append(current)
            current, size = [], 0
        current.append((index, piece))
        size += len(piece)
    if current:
        batches.append(current)
    return batches


def script_line(command):
    """The line a command runs as: an ``add`` prints the id RouterOS gave the new entry (undo needs it)."""
    if command.verb == "add":
        return ':put ("%sret " . [%s])' % (MARK, command.cli)
    return command.cli


class SshTransport(Transport):
    name = "ssh"
    ids_known = True
    reads_full_rows = True

    def __init__(self, hostname, username, password=None, port=22, private_key=None,
                 private_key_passphrase=None, host_key_checking=True, known_hosts=None, host_key=None,
                 timeout=10):
        super(SshTransport, self).__init__()
        if not HAS_PARAMIKO:
            raise TransportError("paramiko is required for the SSH transport")
        self.hostname = hostname
        self.port = int(port or 22)
        self.timeout = timeout
        self.endpoint = "%s:%d (SSH)" % (hostname, self.port)
        self.client = paramiko.SSHClient()
        if host_key_checking:
            self._load_host_keys(known_hosts, host_key)
            self.client.set_missing_host_key_policy(paramiko.RejectPolicy())
        else:
            self.client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
        try:
            self.client.connect(
                hostname, port=self.port, username=username + CONSOLE_OPTIONS, password=password,
                key_filename=private_key, passphrase=private_key_passphrase, timeout=timeout,
                banner_timeout=timeout, auth_timeout=timeout, look_for_keys=False, allow_agent=False,
            )
        except paramiko.BadHostKeyException as exc:
            raise TransportError("SSH host key of %s does not match the known key: %s" % (self.endpoint, exc))
        except paramiko.AuthenticationException as exc:
            raise TransportError("login to %s failed: %s" % (self.endpoint, exc))
        except paramiko.SSHException as exc:
            raise TransportError("connection to %s failed: %s" % (self.endpoint, exc))
        except (socket.error, socket.timeout, OSError) as exc:
            raise TransportError("cannot connect to %s: %s" % (self.endpoint, socket_error_reason(exc)))
        self.stats["round_trips"] += 1

    def _load_host_keys(self, known_hosts, host_key):
        path = known_hosts or os.path.expanduser("~/.ssh/known_hosts")
        if os.path.exists(path):
            self.client.load_host_keys(path)
        if host_key:
            parts = host_key.split()
            if len(parts) >= 3 and not parts[0].startswith("ssh-") and not parts[0].startswith("ecdsa-"):
                parts = parts[1:]
            if len(parts) < 2:
                raise TransportError("host_key must be '<type> <base64>' or a known_hosts line")
            try:
                key = paramiko.PKey.from_type_string(parts[0], base64.b64decode(parts[1]))
            except Exception as exc:  # noqa: BLE001 - any decoding problem is a configuration error
                raise TransportError("cannot use host_key: %s" % exc)
            keys = self.client.get_host_keys()
            for name in (self.hostname, "[%s]:%d" % (self.hostname, self.port)):
                keys.add(name, parts[0], key)

    def run(self, script):
        """Run a script with one exec request; return its output text."""
        try:
            _stdin, stdout, _stderr = self.client.exec_command(script, timeout=self.timeout)
            data = stdout.read()
        except (socket.error, socket.timeout, OSError, EOFError, paramiko.SSHException) as exc:
            raise TransportError("SSH connection to %s lost: %s" % (self.endpoint, exc))
        self.stats["round_trips"] += 1
        return data.decode("utf-8", "replace")

    def read(self, paths, fields=None):
        rows = read_exported(self.run, paths, self.endpoint)
        self.stats["reads"] += len(paths)
        return rows

    def check(self, commands):
        problems = []
        for index, command in enumerate(commands):
            try:
                (command.cli or "").encode("utf-8")
            except UnicodeError as exc:
                problems.append((index, "the CLI line cannot be sent over SSH: %s" % exc))
        return problems

    def execute(self, commands):
        results = []
        for batch in split_scripts([(i, script_line(c)) for i, c in enumerate(commands)]):
            script = "".join(piece for _i, piece in batch)
            output = self.run(script)
            done = {}
            error_lines = []
            ret = None
            for raw in output.replace("\r\n", "\n").split("\n"):
                line = raw.strip()
                if line.startswith(MARK + "ok "):
                    done[int(line[len(MARK) + 3:])] = ret
                    error_lines = []
                    ret = None
                elif line.startswith(MARK + "ret "):
                    ret = line[len(MARK) + 4:].strip() or None
                elif line:
                    error_lines.append(line)
            for index, _piece in batch:
                if index in done:
                    results.append(Result(ok=True, ret=done[index]))
                    continue
                if not error_lines or not self._active():
                    # The script stopped without an error message: the session died under it.
                    raise TransportError("SSH session to %s ended after %d of %d commands"
                                         % (self.endpoint, len(results), len(commands)))
                message = " ".join(error_lines)
                results.append(Result(ok=False, message=message))
                self.stats["writes"] += len(results)
                return results
        self.stats["writes"] += len(results)
        return results

    def _active(self):
        transport = self.client.get_transport()
        return transport is not None and transport.is_active()

    def _get(self, expression):
        return self.run(":put %s\n" % expression).strip()

    def identity(self):
        return self._get("[/system identity get name]")

    def version(self):
        return self._get("[/system resource get version]")

    def export(self, terse=True):
        return self.run("/export%s\n" % (" terse" if terse else ""))

    def close(self):
        try:
            self.client.close()
        except Exception:  # noqa: BLE001 - closing a dead connection must not hide the real error
            pass
