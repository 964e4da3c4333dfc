"""The RouterOS console interpreter of the lab router.

Every configuration change goes through ``router.execute`` (the same code path as the binary
API), so values are validated and errors worded by one model; this module only translates the
console's syntax into API calls and the API's traps into the console's texts.

Here: running scripts and commands, the compile-time checks, expressions and the colon commands
(``:put``, ``:foreach``...). Beside it: ``menu_commands`` (``add``, ``set``, ``print``...), ``conditions``
(``where``), ``printing`` (the console's print formats) and ``values`` (the language's types and errors).
"""

import re
import time
from typing import Any, Dict, List, Optional, Tuple

from . import menus, tools
from .menu_commands import MenuCommands
from .parser import CliSyntaxError, Command, Expr, Script, Word, parse
from .printing import format_singleton
from .values import (BOOL_WORDS, CliError, DropSession, QuitSession, ScriptError, cli_path, duration, literal, to_bool, to_num,
                     to_str, typeof)

MAX_LOOP = 10000
MAX_DELAY_SECONDS = 2.0
MAX_DEPTH = 32


class _Return(Exception):
    def __init__(self, value: Any):
        super().__init__("return")
        self.value = value


def _global_store(router: Any) -> Dict[str, Any]:
    store = getattr(router, "_cli_globals", None)
    if store is None:
        store = {}
        try:
            setattr(router, "_cli_globals", store)
        except AttributeError:
            pass
    return store


def router_log(router: Any, topic: str, message: str) -> None:
    """Append to the router's log (``/log print``); the model keeps it if it has a log."""
    log = getattr(router, "log", None)
    entry = {"time": time.strftime("%H:%M:%S"), "topics": "script," + topic, "message": message}
    if callable(log):
        try:
            log(topic, message)
            return
        except TypeError:
            pass
    if isinstance(log, list):
        log.append(entry)
        return
    store = getattr(router, "_cli_log", None)
    if store is None:
        store = []
        try:
            setattr(router, "_cli_log", store)
        except AttributeError:
            return
    store.append(entry)
    del store[:-1000]


class Interpreter(MenuCommands):
    """One console session: current menu, variables, numbering of the last print."""

    def __init__(self, router: Any, user: str = "admin", on_output=None):
        self.router = router
        self.user = user
        self.cwd = ""
        self.numbering: Dict[str, List[str]] = {}
        self.scopes: List[Dict[str, Any]] = [{}]
        self.out: List[str] = []
        self.on_output = on_output
        self.depth = 0
        self.stop_on_error = True
        self.max_delay = MAX_DELAY_SECONDS
        self.last_error: Optional[str] = None

    # -- entry points ----------------------------------------------------------------------
    def prompt(self) -> str:
        identity = identity_of(self.router)
        return "[%s@%s] %s> " % (self.user, identity, (self.cwd + "") if self.cwd else "")

    def run(self, text: str, stop_on_error: bool = True) -> str:
        """Run a line or a whole script; return what the console prints (errors included)."""
        self.out = []
        self.stop_on_error = stop_on_error
        self.last_error = None
        try:
            script = parse(text)
        except CliSyntaxError as exc:
            self.last_error = exc.text
            self.emit(exc.text)
            return self.flush()
        try:
            if stop_on_error:
                self.precheck(script)
            self.exec_script(script, new_scope=False)
        except CliError as exc:
            self.last_error = exc.text
            self.emit(exc.text)
        except _Return:
            pass
        return self.flush()

    def flush(self) -> str:
        text = "".join(self.out)
        self.out = []
        return text

    def emit(self, line: str) -> None:
        text = line if line.endswith("\n") else line + "\n"
        if self.on_output is not None:
            self.on_output(text)
        else:
            self.out.append(text)

    # -- execution -------------------------------------------------------------------------
    def exec_script(self, script: Script, new_scope: bool = True) -> Any:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            self.depth -= 1
            raise CliError("too deep nesting")
        if new_scope:
            self.scopes.append({})
        saved_cwd = self.cwd
        value = None
        try:
            for cmd in script.commands:
                try:
                    value = self.exec_command(cmd)
                except CliError as exc:
                    if self.stop_on_error or self.depth > 1:
                        raise
                    self.emit(exc.text)
                    value = None
        finally:
            if new_scope:
                self.scopes.pop()
                self.cwd = saved_cwd if self.depth > 1 else self.cwd
            self.depth -= 1
        return value

    def exec_command(self, cmd: Command) -> Any:
        if not cmd.words:
            return None
        first = cmd.words[0]
        head = first.bare()
        if head is not None and head.startswith(":"):
            return self.exec_builtin(head[1:], cmd.words[1:], first)
        # menu path words, then the command
        path = self.cwd
        index = 0
        words = cmd.words
        if head is not None and head.startswith("/"):
            path = ""
            path, cmd_name, anchor = self._walk_anchor("", first)
            index = 1
            if cmd_name is not None:
                return self.exec_menu_command(path, cmd_name, words[1:], anchor)
        while index < len(words):
            word = words[index].bare()
            if word is None or words[index].name is not None:
                break
            if word == "..":
                path = path.rsplit("/", 1)[0] if path else ""
                index += 1
                continue
            if "/" in word and not word.startswith("/"):
                path, cmd_name, anchor = self._walk_anchor(path, words[index])
                index += 1
                if cmd_name is not None:
                    return self.exec_menu_command(path, cmd_name, words[index:], anchor)
                continue
            candidate = path + "/" + word
            if menus.is_menu(self.router, candidate):
                path = candidate
                index += 1
                continue
            return self.exec_menu_command(path, word, words[index + 1:], words[index])
        if index < len(words):
            raise CliError("bad command name %s (line %d column %d)" % (
                self._word_text(words[index]), words[index].line, words[index].col))
        # only path words: change the current menu
        self.cwd = path
        return None

    # -- compile-time checks ----------------------------------------------------------------
    def precheck(self, script: Script) -> None:
        """What RouterOS rejects before running anything: unknown commands and parameters."""
        saved = self.cwd
        try:
            for cmd in script.commands:
                self._precheck_command(cmd)
        finally:
            self.cwd = saved

    def _precheck_nested(self, words: List[Word], path: str) -> None:
        """Blocks and ``[...]`` inside a command are checked too, in the menu they will run in."""
        for word in words:
            self._precheck_parts(word.parts, path)

    def _precheck_parts(self, parts: List[Tuple[str, Any]], path: str) -> None:
        for kind, data in parts:
            if kind in ("block", "sub"):
                saved = self.cwd
                self.cwd = path
                try:
                    for cmd in data.commands:
                        self._precheck_command(cmd)
                finally:
                    self.cwd = saved
            elif kind == "str":
                self._precheck_parts(data, path)
            elif kind == "expr":
                self._precheck_expr(data, path)

    def _precheck_expr(self, expr: Expr, path: str) -> None:
        for arg in expr.args:
            if isinstance(arg, Expr):
                self._precheck_expr(arg, path)
            else:
                self._precheck_parts(arg.parts, path)

    def _precheck_command(self, cmd: Command) -> None:
        if not cmd.words:
            return
        first = cmd.words[0]
        head = first.bare()
        if head is not None and head.startswith(":"):
            if head[1:] not in _BUILTINS:
                raise CliError("bad command name %s (line %d column %d)" % (head[1:], first.line, first.col + 1))
            self._precheck_nested(cmd.words[1:], self.cwd)
            return
        if head is None:
            return
        path = self.cwd
        index = 0
        words = cmd.words
        cmd_name = None
        cmd_word = first
        if head.startswith("/"):
            path, cmd_name, cmd_word = self._walk_anchor("", first)
            index = 1
        while cmd_name is None and index < len(words):
            word = words[index].bare()
            if word is None or words[index].name is not None:
                return
            if word == "..":
                path = path.rsplit("/", 1)[0] if path else ""
            elif "/" in word:
                path, cmd_name, cmd_word = self._walk_anchor(path, words[index])
            elif menus.is_menu(self.router, path + "/" + word):
                path = path + "/" + word
            else:
                cmd_name = word
                cmd_word = words[index]
            index += 1
        if cmd_name is None:
            self.cwd = path
            return
        if (path, cmd_name) in _ROOT_COMMANDS:
            self._precheck_nested(words[index:], path)
            if (path, cmd_name) in tools.COMMANDS:
                self._check_arguments(path, cmd_name, words[index:])
            return
        if cmd_name not in menus.commands_of(self.router, path):
            raise CliError("bad command name %s (line %d column %d)" % (cmd_name, cmd_word.line, cmd_word.col))
        self._precheck_nested(words[index:], path)
        if cmd_name not in ("add", "set"):
            self._check_arguments(path, cmd_name, words[index:])
            return
        fields = menus.field_specs(self.router, path)
        if not fields:
            return
        allowed = set(menus.tree_arguments(path, cmd_name) or ())
        allowed.update(n for n, spec in fields.items() if not spec.get("ro"))
        if cmd_name == "set":
            allowed.add(".id")
        positional = 0
        for word in words[index:]:
            if word.name is not None:
                if word.name not in allowed:
                    raise CliError("expected end of command (line %d column %d)" % (word.line, word.name_col or word.col))
                continue
            text = word.bare()
            if cmd_name == "set" and positional == 0 and not menus.is_singleton(self.router, path):
                positional += 1
                continue
            if text is None:
                continue
            name = text[1:] if text.startswith("!") else text
            if name not in allowed:
                raise CliError("expected end of command (line %d column %d)" % (word.line, word.col))
            if text.startswith("!") and cmd_name == "set" and not menus.clearable(self.router, path, name):
                raise CliError("syntax error (line %d column %d)" % (word.line, word.col))

    def _walk_anchor(self, path: str, word: Word) -> Tuple[str, Optional[str], Word]:
        """Follow ``/ip/firewall/mangle/add``-style words; the command and a word at its column."""
        text = word.bare() or ""
        offset = 0
        pieces = text.split("/")
        for pos, seg in enumerate(pieces):
            seg_col = word.col + offset
            offset += len(seg) + 1
            if not seg:
                continue
            if seg == "..":
                path = path.rsplit("/", 1)[0] if path else ""
                continue
            candidate = path + "/" + seg
            if menus.is_menu(self.router, candidate):
                path = candidate
                continue
            anchor = Word([("text", seg)], word.line, seg_col)
            if all(not rest for rest in pieces[pos + 1:]):
                return path, seg, anchor
            raise CliError("bad command name %s (line %d column %d)" % (seg, word.line, seg_col))
        return path, None, word

    def _word_text(self, word: Word) -> str:
        if word.name is not None:
            return word.name
        return "".join(p[1] for p in word.parts if p[0] == "text") or "?"

    # -- values ----------------------------------------------------------------------------
    def lookup(self, name: str, word: Optional[Word] = None) -> Any:
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        store = _global_store(self.router)
        if name in store:
            return store[name]
        return None

    def assign(self, name: str, value: Any) -> None:
        for scope in reversed(self.scopes):
            if name in scope:
                scope[name] = value
                return
        store = _global_store(self.router)
        store[name] = value

    def eval_word(self, word: Word) -> Any:
        if len(word.parts) == 1 and word.parts[0][0] == "text":
            return literal(word.parts[0][1])
        values = [self.eval_part(p) for p in word.parts]
        if len(values) == 1:
            return values[0]
        return "".join(to_str(v) for v in values)

    def eval_part(self, part: Tuple[str, Any]) -> Any:
        kind, data = part
        if kind == "text":
            return data
        if kind == "str":
            return "".join(to_str(self.eval_part(p)) for p in data)
        if kind == "var":
            return self.lookup(data)
        if kind == "sub":
            saved = self.cwd
            try:
                return self.exec_script(data, new_scope=False)
            finally:
                self.cwd = saved
        if kind == "expr":
            return self.eval_expr(data)
        if kind == "block":
            return data
        return None

    def eval_expr(self, expr: Expr) -> Any:
        op = expr.op
        if op == "val":
            value = self.eval_word(expr.args[0])
            word = expr.args[0]
            if word.is_bare():
                text = word.bare()
                if text in ("true", "false"):
                    return text == "true"
                num = to_num(text)
                if num is not None:
                    return num
            return value
        if op == "not":
            return not to_bool(self.eval_expr(expr.args[0]))
        if op == "neg":
            num = to_num(self.eval_expr(expr.args[0]))
            return -(num or 0)
        if op == "&&":
            return to_bool(self.eval_expr(expr.args[0])) and to_bool(self.eval_expr(expr.args[1]))
        if op == "||":
            return to_bool(self.eval_expr(expr.args[0])) or to_bool(self.eval_expr(expr.args[1]))
        left = self.eval_expr(expr.args[0])
        right = self.eval_expr(expr.args[1])
        if op == ".":
            return to_str(left) + to_str(right)
        if op in ("=", "!="):
            equal = self._equal(left, right)
            return equal if op == "=" else not equal
        if op == "~":
            try:
                return re.search(to_str(right), to_str(left)) is not None
            except re.error:
                return False
        if op == "in":
            if isinstance(right, list):
                return any(self._equal(left, r) for r in right)
            return to_str(left) in to_str(right)
        ln, rn = to_num(left), to_num(right)
        if op in ("<", ">", "<=", ">="):
            a, b = (ln, rn) if ln is not None and rn is not None else (to_str(left), to_str(right))
            return {"<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[op]
        if op in ("+", "-", "*", "/", "%"):
            if isinstance(left, list) and op == "+":
                return left + (right if isinstance(right, list) else [right])
            if ln is None or rn is None:
                raise CliError("cannot compute")
            if op in ("/", "%") and rn == 0:
                raise CliError("division by zero")
            return {"+": ln + rn, "-": ln - rn, "*": ln * rn, "/": int(ln / rn) if rn else 0, "%": ln % rn if rn else 0}[op]
        if op in ("&", "|", "^", "<<", ">>"):
            a, b = ln or 0, rn or 0
            return {"&": a & b, "|": a | b, "^": a ^ b, "<<": a << b, ">>": a >> b}[op]
        raise CliError("syntax error (line %d column %d)" % (expr.line, expr.col))

    @staticmethod
    def _equal(left: Any, right: Any) -> bool:
        if isinstance(left, bool) or isinstance(right, bool):
            return to_bool(left) == to_bool(right) and (isinstance(left, bool) or to_str(left).lower() in BOOL_WORDS) \
                and (isinstance(right, bool) or to_str(right).lower() in BOOL_WORDS)
        return to_str(left) == to_str(right)

    # -- builtin (colon) commands ------------------------------------------------------------
    def exec_builtin(self, name: str, args: List[Word], head: Word) -> Any:
        named = {w.name: w for w in args if w.name is not None}
        plain = [w for w in args if w.name is None]
        if name == "put":
            value = self.eval_word(plain[0]) if plain else ""
            self.emit(to_str(value))
            return None
        if name in ("local", "global"):
            if not plain:
                raise CliError("syntax error (line %d column %d)" % (head.line, head.col + len(name) + 2))
            var = plain[0].bare() or to_str(self.eval_word(plain[0]))
            value = self.eval_word(plain[1]) if len(plain) > 1 else None
            if name == "local":
                self.scopes[-1][var] = value
            else:
                store = _global_store(self.router)
                # ":global x" without a value only declares access to an existing global
                if len(plain) > 1 or var not in store:
                    store[var] = value
                for scope in self.scopes:
                    scope.pop(var, None)
            return None
        if name == "set":
            if not plain:
                raise CliError("syntax error (line %d column %d)" % (head.line, head.col + 5))
            var = plain[0].bare() or ""
            self.assign(var, self.eval_word(plain[1]) if len(plain) > 1 else None)
            return None
        if name == "if":
            if not plain:
                raise CliError("syntax error (line %d column %d)" % (head.line, head.col + 4))
            cond = to_bool(self.eval_word(plain[0]))
            branch = named.get("do") if cond else named.get("else")
            if branch is not None:
                return self.run_block(self.eval_word(branch))
            return None
        if name == "foreach":
            var = plain[0].bare() if plain else None
            if var is None or "in" not in named or "do" not in named:
                raise CliError("syntax error (line %d column %d)" % (head.line, head.col + 9))
            items = self.eval_word(named["in"])
            if not isinstance(items, list):
                items = [] if items is None or items == "" else [items]
            body = self.eval_word(named["do"])
            for item in items[:MAX_LOOP]:
                self.scopes.append({var: item})
                try:
                    self.run_block(body, new_scope=False)
                finally:
                    self.scopes.pop()
            return None
        if name == "for":
            var = plain[0].bare() if plain else None
            if var is None or "do" not in named:
                raise CliError("syntax error (line %d column %d)" % (head.line, head.col + 5))
            start = to_num(self.eval_word(named["from"])) if "from" in named else 0
            stop = to_num(self.eval_word(named["to"])) if "to" in named else 0
            step = to_num(self.eval_word(named["step"])) if "step" in named else (1 if stop >= start else -1)
            body = self.eval_word(named["do"])
            count = 0
            i = start
            while (step > 0 and i <= stop) or (step < 0 and i >= stop):
                count += 1
                if count > MAX_LOOP or step == 0:
                    break
                self.scopes.append({var: i})
                try:
                    self.run_block(body, new_scope=False)
                finally:
                    self.scopes.pop()
                i += step
            return None
        if name == "while":
            body = self.eval_word(named["do"]) if "do" in named else None
            for _iteration in range(MAX_LOOP):
                if not plain or not to_bool(self.eval_word(plain[0])):
                    break
                self.run_block(body)
            return None
        if name == "do":
            body = self.eval_word(plain[0]) if plain else self.eval_word(named["do"]) if "do" in named else None
            try:
                if "while" in named:
                    for _iteration in range(MAX_LOOP):
                        self.run_block(body)
                        if not to_bool(self.eval_word(named["while"])):
                            break
                    return None
                return self.run_block(body)
            except CliError:
                if "on-error" in named:
                    return self.run_block(self.eval_word(named["on-error"]))
                raise
        if name == "delay":
            seconds = 1.0
            if plain:
                seconds = duration(to_str(self.eval_word(plain[0])))
            time.sleep(max(0.0, min(seconds, self.max_delay)))
            return None
        if name == "log":
            topic = plain[0].bare() if plain else "info"
            message = to_str(self.eval_word(plain[1])) if len(plain) > 1 else ""
            router_log(self.router, topic or "info", message)
            return None
        if name == "error":
            raise CliError(to_str(self.eval_word(plain[0])) if plain else "")
        if name == "return":
            raise _Return(self.eval_word(plain[0]) if plain else None)
        if name == "len":
            value = self.eval_word(plain[0]) if plain else ""
            return len(value) if isinstance(value, list) else len(to_str(value))
        if name == "tostr":
            return to_str(self.eval_word(plain[0])) if plain else ""
        if name == "tonum":
            return to_num(to_str(self.eval_word(plain[0]))) if plain else None
        if name == "toarray":
            value = self.eval_word(plain[0]) if plain else None
            if isinstance(value, list):
                return value
            text = to_str(value)
            return list(text.split(",")) if text else []
        if name == "typeof":
            value = self.eval_word(plain[0]) if plain else None
            return typeof(value)
        if name == "pick":
            value = self.eval_word(plain[0]) if plain else ""
            start = to_num(self.eval_word(plain[1])) if len(plain) > 1 else 0
            end = to_num(self.eval_word(plain[2])) if len(plain) > 2 else None
            if isinstance(value, list):
                return value[start] if end is None and start < len(value) else value[start:end]
            text = to_str(value)
            return text[start:start + 1] if end is None else text[start:end]
        if name == "find":
            value = self.eval_word(plain[0]) if plain else ""
            needle = to_str(self.eval_word(plain[1])) if len(plain) > 1 else ""
            if isinstance(value, list):
                for pos, item in enumerate(value):
                    if to_str(item) == needle:
                        return pos
                return None
            pos = to_str(value).find(needle)
            return pos if pos >= 0 else None
        if name == "execute":
            script = self.eval_word(named["script"]) if "script" in named else (self.eval_word(plain[0]) if plain else "")
            sub = Interpreter(self.router, self.user)
            sub.run(to_str(script) if not isinstance(script, Script) else "")
            return None
        if name == "environment":
            return None
        raise CliError("bad command name %s (line %d column %d)" % (name, head.line, head.col + 1))

    def run_block(self, block: Any, new_scope: bool = True) -> Any:
        if isinstance(block, Script):
            return self.exec_script(block, new_scope=new_scope)
        if isinstance(block, str) and block.strip():
            return self.exec_script(parse(block), new_scope=new_scope)
        return None

    # -- menu commands -----------------------------------------------------------------------
    def exec_menu_command(self, path: str, name: str, args: List[Word], word: Word) -> Any:
        # [find ...] and other substitutions in the arguments run relative to the command's menu
        saved = self.cwd
        self.cwd = path
        try:
            return self._exec_menu_command(path, name, args, word)
        finally:
            self.cwd = saved

    def _exec_menu_command(self, path: str, name: str, args: List[Word], word: Word) -> Any:
        handler = _ROOT_COMMANDS.get((path, name))
        if handler is not None:
            return handler(self, path, args, word)
        allowed = menus.commands_of(self.router, path)
        if name not in allowed:
            raise CliError("bad command name %s (line %d column %d)" % (name, word.line, word.col))
        self._check_arguments(path, name, args)
        lock = getattr(self.router, "lock", None)
        if lock is None:
            lock = _NULL_LOCK
        with lock:
            return getattr(self, "cmd_" + name.replace("-", "_"))(path, args, word)


_BUILTINS = {"put", "local", "global", "set", "if", "foreach", "for", "while", "do", "delay", "log", "error",
             "return", "len", "tostr", "tonum", "toarray", "typeof", "pick", "find", "execute", "environment"}


def identity_of(router: Any) -> str:
    value = getattr(router, "identity", None)
    if callable(value):
        return value()
    if isinstance(value, str) and value:
        return value
    try:
        rows = router.rows("/system/identity")
        if rows:
            return rows[0].get("name", "MikroTik")
    except (KeyError, LookupError, AttributeError, ValueError):
        pass
    return "MikroTik"


class _NullLock:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


_NULL_LOCK = _NullLock()


# -- commands outside the data menus -------------------------------------------------------------
def _root_export(interp: Interpreter, path: str, args: List[Word], word: Word) -> Any:
    return interp.cmd_export("", args, word)


def _root_import(interp: Interpreter, path: str, args: List[Word], word: Word) -> Any:
    from .. import scripting
    plain, named = interp.split_args(args)
    name = None
    dry_run = False
    for n, w in named:
        if n == "file-name":
            name = to_str(interp.eval_word(w))
        elif n in ("verbose", "dry-run"):
            dry_run = dry_run or n == "dry-run"
    for w in plain:
        if w.bare() == "dry-run":
            dry_run = True
        elif w.bare() == "verbose":
            continue
        elif name is None:
            name = to_str(interp.eval_word(w))
    if not name:
        raise CliError("missing value(s) of argument(s) file-name")
    try:
        result = scripting.import_file(interp.router, name, dry_run=dry_run, user=interp.user)
    except scripting.ImportError_ as exc:
        raise CliError(str(exc)) from None
    if result:
        interp.emit(result.rstrip("\n"))
    return None


def _log_command(topic: str):
    def handler(interp: Interpreter, path: str, args: List[Word], word: Word) -> Any:
        plain, named = interp.split_args(args)
        message = ""
        for n, w in named:
            if n == "message":
                message = to_str(interp.eval_word(w))
        if plain:
            message = to_str(interp.eval_word(plain[0]))
        router_log(interp.router, topic, message)
        return None
    return handler


def _log_print(interp: Interpreter, path: str, args: List[Word], word: Word) -> Any:
    entries = getattr(interp.router, "_cli_log", None) or []
    log = getattr(interp.router, "log", None)
    if isinstance(log, list):
        entries = log
    for entry in entries:
        if isinstance(entry, dict):
            interp.emit("%s %s %s" % (entry.get("time", ""), entry.get("topics", ""), entry.get("message", "")))
    return None


def _script_run(interp: Interpreter, path: str, args: List[Word], word: Word) -> Any:
    from .. import scripting
    plain, named = interp.split_args(args)
    ref = None
    for n, w in named:
        if n in ("number", "numbers", ".id"):
            ref = to_str(interp.eval_word(w))
    if ref is None and plain:
        ref = to_str(interp.eval_word(plain[0]))
    if ref is None:
        raise CliError("missing value(s) of argument(s) number")
    ids = interp.resolve_refs("/system/script", ref, word)
    for item in ids:
        output, error = scripting.run_script_item(interp.router, item, user=interp.user, max_delay=interp.max_delay)
        if error and output.endswith(error + "\n"):
            # the script's own error line is reported once, by this command
            output = output[:-len(error) - 1]
        if output:
            interp.emit(output.rstrip("\n"))
        if error:
            raise CliError(error)
    return None


def _certificate_sign(interp: Interpreter, path: str, args: List[Word], word: Word) -> Any:
    """``/certificate sign <number> [name=...] [ca=...]``: the model's sign (certs.py); prints its progress."""
    plain, named = interp.split_args(args)
    attrs = {n: to_str(interp.eval_word(w)) for n, w in named}
    if "number" not in attrs and plain:
        attrs["number"] = to_str(interp.eval_word(plain[0]))
    if "number" not in attrs:
        raise CliError("missing value(s) of argument(s) number")
    attrs["number"] = ",".join(interp.resolve_refs(path, attrs["number"], word))
    reply = interp.call(path, "sign", attrs, dict(named), word)
    for row in reply.rows:
        interp.emit("  progress: %s" % row.get("progress", ""))
    return None


def _quit(interp: Interpreter, path: str, args: List[Word], word: Word) -> Any:
    raise QuitSession()


def _identity_set(interp: Interpreter, path: str, args: List[Word], word: Word) -> Any:
    plain, named = interp.split_args(args)
    attrs = interp.collect_attrs(path, named)
    if menus.menu_meta(interp.router, "/system/identity") is not None:
        interp.call(path, "set", attrs, dict(named), word)
        return None
    if "name" in attrs:
        try:
            interp.router.identity = attrs["name"]
        except AttributeError:
            pass
    return None


def _identity_print(interp: Interpreter, path: str, args: List[Word], word: Word) -> Any:
    interp.emit("  name: %s" % identity_of(interp.router))
    return None


_ROOT_COMMANDS = {
    ("", "export"): _root_export,
    ("", "import"): _root_import,
    ("", "quit"): _quit,
    ("/log", "info"): _log_command("info"),
    ("/log", "warning"): _log_command("warning"),
    ("/log", "error"): _log_command("error"),
    ("/log", "debug"): _log_command("debug"),
    ("/log", "print"): _log_print,
    ("/system/script", "run"): _script_run,
    ("/certificate", "sign"): _certificate_sign,
}


def _routerboard_print(interp: Interpreter, path: str, args: List[Word], word: Word) -> Any:
    """``/system routerboard print``: a CHR has none; other boards show model and serial."""
    board = getattr(interp.router, "board_name", "CHR") or "CHR"
    if board == "CHR":
        interp.emit("routerboard: no")
        return None
    from ..export import header
    serial = header(interp.router).rsplit("# serial number = ", 1)[-1]
    interp.emit(format_singleton({"routerboard": "yes", "board-name": board, "model": board,
                                  "serial-number": serial}))
    return None


def _identity_handlers() -> None:
    _ROOT_COMMANDS[("/system/identity", "set")] = _identity_set
    _ROOT_COMMANDS[("/system/identity", "print")] = _identity_print
    _ROOT_COMMANDS[("/system/routerboard", "print")] = _routerboard_print
    _ROOT_COMMANDS.update(tools.COMMANDS)


_identity_handlers()


def run_script(router: Any, text: str, user: str = "admin", check: bool = False) -> str:
    """Run a script (an export, an ``--init`` file) as ``/import`` does: stop at the first error.

    Returns what the console printed. With ``check=True`` an error raises ``ScriptError``.
    """
    interp = Interpreter(router, user)
    output = interp.run(text, stop_on_error=True)
    if check and interp.last_error:
        raise ScriptError(interp.last_error, output)
    return output


__all__ = ["CliError", "DropSession", "Interpreter", "ScriptError", "run_script", "to_str", "cli_path", "identity_of",
           "QuitSession"]
