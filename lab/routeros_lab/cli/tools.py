"""The console's ``/ping`` and ``/tool traceroute``: the API commands (``tools.py``), printed as tables.

``/ping 10.0.0.1 count=3 src-address=...``: the first bare word is the address, other bare words are
switches (``do-not-fragment``); the table ``SEQ HOST SIZE TTL TIME STATUS`` then the totals line
(``sent=3 received=3 packet-loss=0% min-rtt=... avg-rtt=... max-rtt=...``). In an expression
(``[/ping 10.0.0.1 count=3]``) the command's value is the number of replies, as scripts use it.
``/tool traceroute`` prints its last round (RouterOS redraws the table each round):
``# ADDRESS LOSS SENT LAST AVG BEST WORST STD-DEV STATUS``. Column widths follow RouterOS's layout
loosely; the console does not page or redraw.
"""

from typing import Any, Dict, List, Tuple

from .parser import Word
from .values import CliError, to_str

PING_COLUMNS = (("SEQ", 5, ">"), ("HOST", 40, "<"), ("SIZE", 4, ">"), ("TTL", 3, ">"), ("TIME", 10, "<"), ("STATUS", 0, "<"))
TRACE_COLUMNS = (("#", 2, ">"), ("ADDRESS", 16, "<"), ("LOSS", 4, ">"), ("SENT", 4, ">"), ("LAST", 9, ">"),
                 ("AVG", 5, ">"), ("BEST", 5, ">"), ("WORST", 5, ">"), ("STD-DEV", 7, ">"), ("STATUS", 0, "<"))


def _line(columns: Tuple[Tuple[str, int, str], ...], values: List[str]) -> str:
    cells = []
    for (dummy, width, align), value in zip(columns, values):
        cells.append(("{:%s%d}" % (align, width)).format(value) if width else value)
    return " ".join(cells).rstrip()


def _attrs(interp: Any, args: List[Word]) -> Tuple[Dict[str, str], Dict[str, Word]]:
    """``address`` from the first bare word, switches from the others, the named arguments as given."""
    plain, named = interp.split_args(args)
    attrs: Dict[str, str] = {}
    words: Dict[str, Word] = dict(named)
    for name, word in named:
        attrs[name] = to_str(interp.eval_word(word))
    for index, word in enumerate(plain):
        if index == 0 and "address" not in attrs:
            attrs["address"] = to_str(interp.eval_word(word))
            continue
        text = word.bare()
        if text is None:
            raise CliError("expected end of command (line %d column %d)" % (word.line, word.col))
        attrs[text] = ""
        words[text] = word
    return attrs, words


def ping(interp: Any, path: str, args: List[Word], word: Word) -> Any:
    attrs, words = _attrs(interp, args)
    reply = interp.call(path, "ping", attrs, words, word)
    interp.emit(_line(PING_COLUMNS, [name for name, dummy, dummy in PING_COLUMNS]))
    last: Dict[str, str] = {}
    for row in reply.rows:
        interp.emit(_line(PING_COLUMNS, [row.get("seq", ""), row.get("host", ""), row.get("size", ""), row.get("ttl", ""),
                                         row.get("time", ""), row.get("status", "")]))
        last = row
    totals = "sent=%s received=%s packet-loss=%s%%" % (last.get("sent", "0"), last.get("received", "0"),
                                                       last.get("packet-loss", "0"))
    if "min-rtt" in last:
        totals += " min-rtt=%s avg-rtt=%s max-rtt=%s" % (last["min-rtt"], last["avg-rtt"], last["max-rtt"])
    interp.emit("    " + totals)
    return int(last.get("received", "0"))


def traceroute(interp: Any, path: str, args: List[Word], word: Word) -> Any:
    attrs, words = _attrs(interp, args)
    reply = interp.call(path, "traceroute", attrs, words, word)
    final = reply.rows[-1].get(".section") if reply.rows else None
    interp.emit(_line(TRACE_COLUMNS, [name for name, dummy, dummy in TRACE_COLUMNS]))
    hop = 0
    for row in reply.rows:
        if row.get(".section") != final:
            continue
        hop += 1
        interp.emit(_line(TRACE_COLUMNS, [str(hop)] + [row.get(name.lower(), "") for name, dummy, dummy in TRACE_COLUMNS[1:]]))
    return None


COMMANDS = {("", "ping"): ping, ("/tool", "traceroute"): traceroute}
