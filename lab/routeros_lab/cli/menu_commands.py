"""The console's menu commands (``add``, ``set``, ``print``, ``export``...): each one becomes API calls
on the router (``router.execute``), whose traps come back in the console's words."""

import re
from typing import Any, Dict, List, Optional, Tuple

from . import menus
from .conditions import compile_condition
from .parser import Word
from .printing import display_row, format_singleton, format_table
from .values import CliError, DropSession, api_path, norm_value, to_str, typed


class MenuCommands:
    """The ``cmd_*`` methods of ``Interpreter`` (one per console command) and their helpers."""

    def _check_arguments(self, path: str, command: str, args: List[Word]) -> None:
        """``name=value`` words must be arguments of the command in RouterOS's tree (``find`` takes
        ``property=value`` conditions, ``print``/``export`` after ``where``); print's bare words are its flags."""
        allowed = menus.tree_arguments(path, command)
        if allowed is None or command == "find":
            return
        for w in args:
            if w.bare() == "where":
                return  # the rest is a condition (print, export)
            if command == "print":
                text = w.bare()
                if text is not None and not text[:1].isdigit() and text not in allowed:
                    raise CliError("expected end of command (line %d column %d)" % (w.line, w.col))
                continue
            if w.name is not None and w.name not in allowed:
                raise CliError("expected end of command (line %d column %d)" % (w.line, w.name_col or w.col))

    def call(self, path: str, command: str, attrs: Dict[str, str], words: Optional[Dict[str, Word]] = None,
             anchor: Optional[Word] = None) -> Any:
        reply = self.router.execute(api_path(path).rstrip("/") + "/" + command, attrs, user=self.user)
        if getattr(reply, "drop", False):
            # fault injection: the connection carrying this write goes away, nothing is applied
            raise DropSession()
        trap = getattr(reply, "trap", None)
        if trap is not None:
            raise CliError(self.translate(getattr(trap, "message", str(trap)), words or {}, anchor))
        fatal = getattr(reply, "fatal", None)
        if fatal:
            raise CliError(fatal)
        return reply

    def translate(self, message: str, words: Dict[str, Word], anchor: Optional[Word]) -> str:
        match = re.match(r"unknown parameter (\S+)", message)
        if match:
            word = words.get(match.group(1))
            if word is not None:
                return "expected end of command (line %d column %d)" % (word.line, word.name_col or word.col)
            if anchor is not None:
                return "expected end of command (line %d column %d)" % (anchor.line, anchor.col)
        if message in ("no such command", "no such command prefix") and anchor is not None:
            return "bad command name %s (line %d column %d)" % (self._word_text(anchor), anchor.line, anchor.col)
        return message

    def split_args(self, args: List[Word]) -> Tuple[List[Word], List[Tuple[str, Word]]]:
        plain = [w for w in args if w.name is None]
        named = [(w.name, w) for w in args if w.name is not None]
        return plain, named

    def _rows(self, path: str) -> List[Dict[str, str]]:
        return menus.rows(self.router, path)

    def resolve_refs(self, path: str, value: Any, anchor: Optional[Word]) -> List[str]:
        """Item references (numbers from the last print, *ids, names, find results) -> ids."""
        if isinstance(value, list):
            out: List[str] = []
            for item in value:
                out.extend(self.resolve_refs(path, item, anchor))
            return out
        text = to_str(value).strip()
        if text == "":
            return []
        ids: List[str] = []
        rows = None
        for ref in text.split(","):
            ref = ref.strip()
            if ref.startswith("*"):
                ids.append(ref.upper() if re.fullmatch(r"\*[0-9a-fA-F]+", ref) else ref)
                continue
            if re.fullmatch(r"\d+", ref):
                numbering = self.numbering.get(path)
                if numbering is None:
                    rows = rows if rows is not None else self._rows(path)
                    numbering = [r.get(".id", "") for r in rows]
                idx = int(ref)
                if idx >= len(numbering):
                    raise CliError("no such item")
                ids.append(numbering[idx])
                continue
            key = menus.name_key(self.router, path) or "name"
            rows = rows if rows is not None else self._rows(path)
            hits = [r.get(".id", "") for r in rows if r.get(key) == ref]
            if not hits:
                raise CliError("no such item")
            ids.extend(hits)
        return ids

    def collect_attrs(self, path: str, named: List[Tuple[str, Word]], skip: Tuple[str, ...] = ()) -> Dict[str, str]:
        attrs: Dict[str, str] = {}
        for name, word in named:
            if name in skip:
                continue
            value = self.eval_word(word)
            if name == "place-before":
                refs = self.resolve_refs(path, value, word)
                attrs[name] = refs[0] if refs else to_str(value)
                continue
            attrs[name] = to_str(value)
        return attrs

    def cmd_add(self, path: str, args: List[Word], word: Word) -> Any:
        plain, named = self.split_args(args)
        attrs = self.collect_attrs(path, named)
        words = dict(named)
        for w in plain:
            text = w.bare()
            if text is None:
                raise CliError("expected end of command (line %d column %d)" % (w.line, w.col))
            if text.startswith("!"):
                continue
            attrs[text] = ""
            words[text] = w
        reply = self.call(path, "add", attrs, words, word)
        return getattr(reply, "ret", None)

    def _refs_and_rest(self, path: str, args: List[Word]) -> Tuple[Optional[List[str]], List[Word], List[Tuple[str, Word]]]:
        plain, named = self.split_args(args)
        refs = None
        rest = []
        for name, w in named:
            if name == "numbers":
                refs = self.resolve_refs(path, self.eval_word(w), w)
        if refs is None and plain and not menus.is_singleton(self.router, path):
            refs = self.resolve_refs(path, self.eval_word(plain[0]), plain[0])
            plain = plain[1:]
        rest = [(n, w) for n, w in named if n != "numbers"]
        return refs, plain, rest

    def cmd_set(self, path: str, args: List[Word], word: Word) -> Any:
        refs, plain, named = self._refs_and_rest(path, args)
        attrs = self.collect_attrs(path, named)
        words = dict(named)
        unset = []
        for w in plain:
            text = w.bare()
            if text is None:
                raise CliError("expected end of command (line %d column %d)" % (w.line, w.col))
            if text.startswith("!"):
                unset.append(text[1:])
                words[text[1:]] = w
            else:
                attrs[text] = ""
                words[text] = w
        for name in unset:
            attrs["!" + name] = ""
        if menus.is_singleton(self.router, path):
            self.call(path, "set", attrs, words, word)
            return None
        if refs is None:
            raise CliError("missing value(s) of argument(s) numbers")
        if refs:
            # one command for all the items, as the console does: all or nothing
            self.call(path, "set", dict(attrs, **{".id": ",".join(refs)}), words, word)
        return None

    def _simple(self, path: str, args: List[Word], word: Word, command: str) -> Any:
        refs, plain, named = self._refs_and_rest(path, args)
        if refs is None:
            raise CliError("missing value(s) of argument(s) numbers")
        if named:
            n, w = named[0]
            raise CliError("expected end of command (line %d column %d)" % (w.line, w.name_col or w.col))
        if refs:
            self.call(path, command, {".id": ",".join(refs)}, {}, word)
        return None

    def cmd_remove(self, path: str, args: List[Word], word: Word) -> Any:
        refs, plain, named = self._refs_and_rest(path, args)
        if refs is None:
            raise CliError("missing value(s) of argument(s) numbers")
        if refs:
            self.call(path, "remove", {".id": ",".join(refs)}, {}, word)
        return None

    def cmd_enable(self, path: str, args: List[Word], word: Word) -> Any:
        return self._simple(path, args, word, "enable")

    def cmd_disable(self, path: str, args: List[Word], word: Word) -> Any:
        return self._simple(path, args, word, "disable")

    def cmd_unset(self, path: str, args: List[Word], word: Word) -> Any:
        refs, plain, named = self._refs_and_rest(path, args)
        names = [to_str(self.eval_word(w)) for n, w in named if n == "value-name"]
        names += [w.bare() or to_str(self.eval_word(w)) for w in plain]
        if not names:
            raise CliError("missing value(s) of argument(s) value-name")
        singleton = menus.is_singleton(self.router, path)
        if refs is None and not singleton:
            raise CliError("missing value(s) of argument(s) numbers")
        if not singleton and not refs:
            return None
        for value_name in names:
            attrs = {"value-name": value_name}
            if not singleton:
                attrs[".id"] = ",".join(refs)
            self.call(path, "unset", attrs, {}, word)
        return None

    def cmd_move(self, path: str, args: List[Word], word: Word) -> Any:
        plain, named = self.split_args(args)
        numbers = None
        destination = None
        for name, w in named:
            if name == "numbers":
                numbers = self.resolve_refs(path, self.eval_word(w), w)
            elif name == "destination":
                destination = self.resolve_refs(path, self.eval_word(w), w)
            else:
                raise CliError("expected end of command (line %d column %d)" % (w.line, w.name_col or w.col))
        if numbers is None and plain:
            numbers = self.resolve_refs(path, self.eval_word(plain.pop(0)), word)
        if destination is None and plain:
            dest_word = plain.pop(0)
            try:
                destination = self.resolve_refs(path, self.eval_word(dest_word), dest_word)
            except CliError:
                destination = []
        if numbers is None:
            raise CliError("missing value(s) of argument(s) numbers")
        attrs = {"numbers": ",".join(numbers)}
        if destination:
            attrs["destination"] = destination[0]
        self.call(path, "move", attrs, {}, word)
        return None

    def cmd_reset_counters(self, path: str, args: List[Word], word: Word) -> Any:
        refs, plain, named = self._refs_and_rest(path, args)
        if refs is None:
            raise CliError("missing value(s) of argument(s) numbers")
        if refs:
            self.call(path, "reset-counters", {".id": ",".join(refs)}, {}, word)
        return None

    def cmd_reset(self, path: str, args: List[Word], word: Word) -> Any:
        refs, plain, named = self._refs_and_rest(path, args)
        if refs is None:
            raise CliError("missing value(s) of argument(s) numbers")
        attrs = {name: "" for name in (w.bare() or to_str(self.eval_word(w)) for w in plain)}
        attrs.update((name, "") for name, dummy in named)
        words = {w.bare() or "": w for w in plain}
        words.update(named)
        if refs:
            self.call(path, "reset", dict(attrs, **{".id": ",".join(refs)}), words, word)
        return None

    def cmd_reset_counters_all(self, path: str, args: List[Word], word: Word) -> Any:
        return None

    def cmd_edit(self, path: str, args: List[Word], word: Word) -> Any:
        raise CliError("edit is not available in this session")

    def cmd_comment(self, path: str, args: List[Word], word: Word) -> Any:
        refs, plain, named = self._refs_and_rest(path, args)
        comment = ""
        for name, w in named:
            if name == "comment":
                comment = to_str(self.eval_word(w))
        if plain:
            comment = to_str(self.eval_word(plain[0]))
        for item in refs or []:
            self.call(path, "set", {".id": item, "comment": comment}, {}, word)
        return None

    # -- find / print / get ----------------------------------------------------------------------
    def cmd_find(self, path: str, args: List[Word], word: Word) -> Any:
        tokens = self.condition_tokens(args)
        cond = compile_condition(tokens, self)
        # where comment="..." alone: only the rows whose stored comment compares equal can print it
        # (model.rows_storing); a yes/no value also matches rows without one, so those scan every row.
        if (len(tokens) == 1 and tokens[0][:3] == ("cmp", "comment", "=") and isinstance(tokens[0][3], str)
                and tokens[0][3] and norm_value(tokens[0][3]) not in ("true", "false")):
            rows = list(self.router.rows_storing(path, "comment", tokens[0][3], norm_value))
        else:
            rows = self._rows(path)
        return [r.get(".id", "") for r in rows if cond(r)]

    def build_condition(self, args: List[Word]):
        return compile_condition(self.condition_tokens(args), self)

    def condition_tokens(self, args: List[Word]) -> List[Any]:
        tokens: List[Any] = []
        for w in args:
            if w.name is not None:
                tokens.append(("cmp", w.name, "=", self.eval_word(w)))
                continue
            if len(w.parts) == 1 and w.parts[0][0] == "expr":
                tokens.append(("expr", w.parts[0][1]))
                continue
            text = w.parts[0][1] if w.parts[0][0] == "text" else None
            if text is not None and len(w.parts) == 1 and text in ("where", ):
                continue
            if text is not None and len(w.parts) == 1 and text in ("and", "&&", "or", "||", "not", "!"):
                tokens.append(("op", {"&&": "and", "||": "or", "!": "not"}.get(text, text)))
                continue
            if text is not None:
                m = re.match(r"^(!?)([A-Za-z0-9.\-_]+)(!=|~|<=|>=|<|>|=)?(.*)$", text)
                if m and m.group(3):
                    rest = m.group(4)
                    value = rest + "".join(to_str(self.eval_part(p)) for p in w.parts[1:]) if len(w.parts) > 1 else rest
                    token = ("cmp", m.group(2), m.group(3), value)
                    tokens.append(("op", "not") if m.group(1) else None)
                    tokens.append(token)
                    continue
                if m and len(w.parts) == 1:
                    if m.group(1):
                        tokens.append(("op", "not"))
                    tokens.append(("flag", m.group(2)))
                    continue
            raise CliError("syntax error (line %d column %d)" % (w.line, w.col))
        return [t for t in tokens if t is not None]

    def cmd_print(self, path: str, args: List[Word], word: Word) -> Any:
        options = set()
        proplist = None
        cond_words: List[Word] = []
        in_where = False
        for w in args:
            text = w.bare()
            if in_where:
                cond_words.append(w)
                continue
            if text == "where":
                in_where = True
                continue
            if w.name == "proplist":
                proplist = [p for p in to_str(self.eval_word(w)).split(",") if p]
                continue
            if w.name in ("interval", "file", "follow", "follow-only", "from", "append"):
                continue
            if text is not None:
                options.add(text)
                continue
            cond_words.append(w)
        rows = self._rows(path)
        if menus.is_singleton(self.router, path):
            row = rows[0] if rows else {}
            if "as-value" in options:
                return dict(row)
            self.emit(format_singleton(row))
            return None
        numbered = list(rows)
        if cond_words:
            cond = self.build_condition(cond_words)
            selected = [(i, r) for i, r in enumerate(numbered) if cond(r)]
        else:
            selected = list(enumerate(numbered))
        if "count-only" in options:
            self.emit(str(len(selected)))
            return len(selected)
        # numbering is what the user sees: positions of the printed rows, in print order
        self.numbering[path] = [r.get(".id", "") for _pos, r in selected]
        if "as-value" in options:
            out = []
            for _pos, r in selected:
                item = {k: v for k, v in r.items() if proplist is None or k in proplist or k == ".id"}
                out.append(item)
            return out
        fields = menus.field_specs(self.router, path)
        shown = [(i, display_row(r, fields)) for i, r in selected]
        text = format_table(shown, terse="terse" in options, proplist=proplist, detail="detail" in options)
        if text:
            self.emit(text)
        return None

    def cmd_get(self, path: str, args: List[Word], word: Word) -> Any:
        plain, named = self.split_args(args)
        rows = self._rows(path)
        if menus.is_singleton(self.router, path):
            row = rows[0] if rows else {}
            if plain:
                name = to_str(self.eval_word(plain[0]))
                return typed(row.get(name))
            return dict(row)
        if not plain:
            raise CliError("missing value(s) of argument(s) number")
        refs = self.resolve_refs(path, self.eval_word(plain[0]), plain[0])
        if not refs:
            raise CliError("no such item")
        row = next((r for r in rows if r.get(".id") == refs[0]), None)
        if row is None:
            raise CliError("no such item")
        if len(plain) > 1:
            name = to_str(self.eval_word(plain[1]))
            return typed(row.get(name))
        return dict(row)

    def cmd_export(self, path: str, args: List[Word], word: Word) -> Any:
        from .. import export as export_mod
        options = set()
        filename = None
        where = None
        if any(w.bare() == "where" for w in args):
            # ``export [options] where <condition>``: the entries the condition selects
            at = next(i for i, w in enumerate(args) if w.bare() == "where")
            where = self.build_condition(args[at + 1:])
            args = args[:at]
        for w in args:
            if w.name == "file":
                filename = to_str(self.eval_word(w))
            elif w.name in ("show-sensitive", "hide-sensitive", "compact", "terse", "verbose"):
                options.add(w.name)
            elif w.bare() is not None:
                options.add(w.bare())
            else:
                raise CliError("expected end of command (line %d column %d)" % (w.line, w.name_col or w.col))
        text = export_mod.export(self.router, path=path or None, terse="terse" in options,
                                 verbose="verbose" in options, where=where,
                                 show_sensitive="show-sensitive" in options)
        if filename:
            export_mod.write_file(self.router, filename if filename.endswith(".rsc") else filename + ".rsc", text)
            return None
        self.emit(text.rstrip("\n"))
        return None
