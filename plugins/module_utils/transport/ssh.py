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

from ansible_collections.multiwan.routeros.plugins.module_utils.engine import cli as cli_mod
from ansible_collections.multiwan.routeros.plugins.module_utils.engine import schema as schema_mod
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.errors import (
    CommandError,
    TransportError,
)
from ansible_collections.multiwan.routeros.plugins.module_utils.transport.base import (
    Result,
    Transport,
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
    """The one script that reads every path (exported rows, their ids, connected routes)."""
    lines = []
    for path in paths:
        spec = schema_mod.get(path) if schema_mod.is_known(path) else None
        cli = schema_mod.cli_path(path)
        lines.append(':put "%spath %s"' % (MARK, path))
        lines.append("%s export terse" % cli)
        if spec is not None and not spec["singleton"]:
            lines.append(':put "%sids"' % MARK)
            lines.append(":put %s" % _find_visible(path))
        if path == "/ip/route":
            lines.append(':put "%sconnected"' % MARK)
            lines.append(':foreach i in=[/ip route find where connect] do={:put ([/ip route get $i dst-address] . " " . '
                         '[/ip route get $i gateway])}')
    lines.append(':put "%send"' % MARK)
    return "\n".join(lines) + "\n"


def parse_read_output(output, paths):
    """Split the read script's output per path -> ``{path: [row]}`` with ``.id`` on every row."""
    sections = {}
    current = None
    part = None
    for raw in output.replace("\r\n", "\n").split("\n"):
        line = raw.rstrip("\r")
        if line.startswith(MARK):
            word = line[len(MARK):]
            if word.startswith("path "):
                current = word[5:].strip()
                sections[current] = {"export": [], "ids": [], "connected": []}
                part = "export"
            elif word in ("ids", "connected"):
                part = word
            elif word == "end":
                current = None
            continue
        if current is None or not line.strip():
            continue
        sections[current][part].append(line)
    out = {}
    for path in paths:
        sec = sections.get(path)
        if sec is None:
            raise TransportError("reading %s over SSH failed: no output" % path)
        text = "\n".join(sec["export"])
        bad = [ln for ln in sec["export"] if not ln.startswith("#") and not ln.startswith("/") and looks_like_error(ln)]
        if bad:
            raise CommandError("reading %s failed: %s" % (path, bad[0].strip()), command=path)
        rows = cli_mod.parse_export(text).get(path, [])
        spec = schema_mod.get(path) if schema_mod.is_known(path) else None
        if spec is not None and not spec["singleton"]:
            ids = [i for i in ";".join(sec["ids"]).strip().split(";") if i.strip()]
            if len(ids) != len(rows):
                raise TransportError("reading %s over SSH: %d exported rows but %d ids; cannot address them safely"
                                     % (path, len(rows), len(ids)))
            for row, rid in zip(rows, ids):
                row[".id"] = rid.strip()
        elif spec is not None and spec["singleton"] and not rows:
            rows = [{}]
        for n, line in enumerate(sec["connected"]):
            parts = line.strip().split(" ", 1)
            if len(parts) == 2:
                rows.append({".id": "connected:%d" % n, "dst-address": parts[0], "gateway": parts[1],
                             "connect": "true", "dynamic": "true"})
        out[path] = rows
    return out


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
            raise TransportError("SSH host key of %s does not match the known key: %s" % (hostname, exc))
        except paramiko.SSHException as exc:
            raise TransportError("SSH to %s:%d failed: %s" % (hostname, self.port, exc))
        except (socket.error, socket.timeout, OSError) as exc:
            raise TransportError("cannot connect to %s:%d: %s" % (hostname, self.port, exc))
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
            raise TransportError("SSH connection to %s lost: %s" % (self.hostname, exc))
        self.stats["round_trips"] += 1
        return data.decode("utf-8", "replace")

    def read(self, paths, fields=None):
        output = self.run(read_script(paths))
        if MARK + "end" not in output:
            raise TransportError("SSH read of %s was cut short" % ", ".join(paths))
        self.stats["reads"] += len(paths)
        return parse_read_output(output, paths)

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
                                         % (self.hostname, len(results), len(commands)))
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
