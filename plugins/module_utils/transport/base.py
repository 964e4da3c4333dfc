# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The transport interface: the only code of the collection that talks to a router."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import socket


def socket_error_reason(exc):
    """``connection refused`` rather than ``[Errno 111] Connection refused`` (for "cannot connect to ...")."""
    # paramiko's NoValidConnectionsError wraps one socket error per address tried
    errors = getattr(exc, "errors", None)
    if isinstance(errors, dict) and errors:
        exc = next(iter(errors.values()))
    if isinstance(exc, socket.timeout):
        return "timed out"
    text = getattr(exc, "strerror", None) or str(exc) or exc.__class__.__name__
    return text[0].lower() + text[1:]


class Command(object):
    """One write, in both forms: API words (built by the API transport) and the CLI line."""

    __slots__ = ("path", "verb", "id", "fields", "place_before", "destination", "cli")

    def __init__(self, path, verb, id=None, fields=None, place_before=None, destination=None, cli=None):
        self.path = path
        self.verb = verb
        self.id = id
        self.fields = fields or {}
        self.place_before = place_before
        self.destination = destination
        self.cli = cli

    def __repr__(self):
        return "Command(%r)" % (self.cli or (self.path, self.verb, self.id, self.fields))


class Result(object):
    """Outcome of one command: ``ok``, the id an ``add`` returned, RouterOS's error message."""

    __slots__ = ("ok", "ret", "message")

    def __init__(self, ok, ret=None, message=None):
        self.ok = ok
        self.ret = ret
        self.message = message

    def __repr__(self):
        return "Result(ok=%r, ret=%r, message=%r)" % (self.ok, self.ret, self.message)


class Transport(object):
    """Interface implemented by the API and SSH transports.

    - ``read(paths, fields)``: ``{path: [row]}``, every row of each path (dynamic ones included)
      in table order, values as RouterOS text; one print per path.
    - ``execute(commands)``: run writes in order; returns one Result per command sent. A
      transport may stop after the first failure (the results list is then shorter) or run all
      of them (pipelined); either way every successful write has an ``ok`` result.
    - ``check(commands)``: ``[(index, problem)]`` for commands that cannot be sent at all (a
      value outside the session's encoding); called before the first write.
    - ``identity()``, ``version()``, ``export(terse)``, ``export_read_only(terse)``, ``close()``.
    - ``stats``: ``{"round_trips": n, "reads": n, "writes": n}`` as seen by the client.
    """

    name = "base"
    ids_known = True
    # True when ``read`` returns every field of a row whatever ``fields`` asks for (an export).
    reads_full_rows = False

    def __init__(self):
        self.stats = {"round_trips": 0, "reads": 0, "writes": 0}

    def read(self, paths, fields=None):
        raise NotImplementedError

    def execute(self, commands):
        raise NotImplementedError

    def check(self, commands):
        return []

    def identity(self):
        raise NotImplementedError

    def version(self):
        raise NotImplementedError

    def export(self, terse=True):
        raise NotImplementedError

    def export_read_only(self, terse=True):
        """``export`` without any write on the router, for check mode. Transports whose ``export`` only
        prints (SSH) keep this; the API transport overrides it, its ``export`` writes a temporary file."""
        return self.export(terse=terse)

    def close(self):
        raise NotImplementedError

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False
