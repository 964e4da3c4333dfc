"""The RouterOS console interpreter of the lab router.

Every configuration change goes through ``router.execute`` (the same code path as the binary
API), so values are validated and errors worded by one model; this module only translates the
console's syntax into API calls and the API's traps into the console's texts.
"""

import re
import time
from typing import Any, Dict, List, Optional, Tuple

from . import menus
from .parser import CliSyntaxError, Command, Expr, Script, Word, parse

MAX_LOOP = 10000
MAX_DELAY_SECONDS = 2.0
MAX_DEPTH = 32
_BOOL_WORDS = {"yes": True, "true": True, "no": False, "false": False}


class CliError(Exception):
    """An error the console prints and after which a script stops."""

    def __init__(self, text: str):
        super().__init__(text)
        self.text = text


class ScriptError(Exception):
    """Raised by ``run_script(check=True)`` when the script stopped on an error."""

    def __init__(self, text: str, output: str):
        super().__init__(text)
        self.text = text
        self.output = output


class _Return(Exception):
    def __init__(self, value: Any):
        super().__init__("return")
        self.value = value


def to_str(value: Any) -> str:
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, dict):
        return ";".join("%s=%s" % (k, to_str(v)) for k, v in value.items())
    if isinstance(value, list):
        return ";".join(to_str(v) for v in value)
    if isinstance(value, Script):
        return "(code)"
    return str(value)


def to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value != 0
    if isinstance(value, str):
        return _BOOL_WORDS.get(value.lower(), value != "")
    if isinstance(value, list):
        return len(value) > 0
    return value is not None


def to_num(value: Any) -> Optional[int]:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        return int(value)
    return None


def api_path(path: str) -> str:
    return path if path else "/"


def cli_path(path: str) -> str:
    """``/ip/firewall/mangle`` -> ``/ip firewall mangle`` (menu lines of exports)."""
    return "/" + " ".join(p for p in path.split("/") if p)


def _norm_value(text: str) -> str:
    low = text.lower()
    if low in ("yes", "true"):
        return "true"
    if low in ("no", "false"):
        return "false"
    if text.endswith("/32") and ":" not in text:
        return text[:-3]
    return text


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


class Interpreter:
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
            return _literal(word.parts[0][1])
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
            return to_bool(left) == to_bool(right) and (isinstance(left, bool) or to_str(left).lower() in _BOOL_WORDS) \
                and (isinstance(right, bool) or to_str(right).lower() in _BOOL_WORDS)
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
                seconds = _duration(to_str(self.eval_word(plain[0])))
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
            return _typeof(value)
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
        cond = self.build_condition(args)
        return [r.get(".id", "") for r in self._rows(path) if cond(r)]

    def build_condition(self, args: List[Word]):
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
        tokens = [t for t in tokens if t is not None]
        return _compile_condition(tokens, self)

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
            self.emit(_format_singleton(row))
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
        shown = [(i, _display_row(r, fields)) for i, r in selected]
        text = _format_table(shown, terse="terse" in options, proplist=proplist, detail="detail" in options)
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
                return _typed(row.get(name))
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
            return _typed(row.get(name))
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


_BUILTINS = {"put", "local", "global", "set", "if", "foreach", "for", "while", "do", "delay", "log", "error",
             "return", "len", "tostr", "tonum", "toarray", "typeof", "pick", "find", "execute", "environment"}


def _literal(text: str) -> Any:
    """Bare words: numbers are ``num`` and ``true``/``false`` are ``bool``, as in RouterOS."""
    if text in ("true", "false"):
        return text == "true"
    if re.fullmatch(r"-?(0|[1-9][0-9]{0,17})", text):
        return int(text)
    return text


def _typed(value: Any) -> Any:
    if value is None:
        return None
    if value in ("true", "false"):
        return value == "true"
    return value


def _typeof(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "num"
    if isinstance(value, list) or isinstance(value, dict):
        return "array"
    if isinstance(value, Script):
        return "code"
    if isinstance(value, str) and re.fullmatch(r"\*[0-9A-Fa-f]+", value):
        return "id"
    return "str"


def _duration(text: str) -> float:
    total = 0.0
    units = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1, "ms": 0.001}
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return float(text)
    if re.fullmatch(r"\d+:\d+:\d+", text):
        h, m, s = text.split(":")
        return int(h) * 3600 + int(m) * 60 + int(s)
    for num, unit in re.findall(r"(\d+(?:\.\d+)?)(ms|w|d|h|m|s)", text):
        total += float(num) * units[unit]
    return total


def _either(left, right):
    return lambda row: left(row) or right(row)


def _both(left, right):
    return lambda row: left(row) and right(row)


def _compile_condition(tokens: List[Any], interp: Interpreter):
    """Tokens -> predicate over a row. Precedence: not > and (implicit between terms) > or."""
    pos = [0]

    def peek():
        return tokens[pos[0]] if pos[0] < len(tokens) else None

    def parse_or():
        left = parse_and()
        while peek() == ("op", "or"):
            pos[0] += 1
            right = parse_and()
            left = _either(left, right)
        return left

    def parse_and():
        left = parse_not()
        while True:
            tok = peek()
            if tok is None or tok == ("op", "or"):
                return left
            if tok == ("op", "and"):
                pos[0] += 1
            right = parse_not()
            left = _both(left, right)

    def parse_not():
        tok = peek()
        if tok == ("op", "not"):
            pos[0] += 1
            inner = parse_not()
            return lambda r: not inner(r)
        if tok is None:
            raise CliError("syntax error")
        pos[0] += 1
        if tok[0] == "cmp":
            return _cmp_pred(tok[1], tok[2], tok[3])
        if tok[0] == "flag":
            name = tok[1]
            return lambda r: _norm_value(r.get(name, "false")) not in ("false", "")
        if tok[0] == "expr":
            expr = tok[1]
            return lambda r: _eval_row_expr(expr, r, interp)
        raise CliError("syntax error")

    if not tokens:
        return lambda r: True
    pred = parse_or()
    return pred


def _cmp_pred(name: str, op: str, value: Any):
    if isinstance(value, bool):
        want = "true" if value else "false"
    elif isinstance(value, list):
        want = ";".join(to_str(v) for v in value)
    else:
        want = to_str(value)

    def pred(row: Dict[str, str]) -> bool:
        have = row.get(name)
        if op == "~":
            try:
                return have is not None and re.search(want, have) is not None
            except re.error:
                return False
        if have is None:
            if _norm_value(want) == "false":
                have = "false"
            elif want == "":
                have = ""
            else:
                return op == "!="
        if op == "=":
            return _norm_value(have) == _norm_value(want)
        if op == "!=":
            return _norm_value(have) != _norm_value(want)
        a, b = to_num(have), to_num(want)
        if a is None or b is None:
            a, b = have, want
        return {"<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[op]
    return pred


def _eval_row_expr(expr: Expr, row: Dict[str, str], interp: Interpreter) -> bool:
    op = expr.op
    if op == "&&":
        return _eval_row_expr(expr.args[0], row, interp) and _eval_row_expr(expr.args[1], row, interp)
    if op == "||":
        return _eval_row_expr(expr.args[0], row, interp) or _eval_row_expr(expr.args[1], row, interp)
    if op == "not":
        return not _eval_row_expr(expr.args[0], row, interp)
    if op in ("=", "!=", "~", "<", ">", "<=", ">=") and expr.args[0].op == "val" and expr.args[0].args[0].is_bare():
        name = expr.args[0].args[0].bare()
        value = interp.eval_expr(expr.args[1])
        return _cmp_pred(name, op, value)(row)
    if op == "val" and expr.args[0].is_bare():
        name = expr.args[0].bare()
        return _norm_value(row.get(name, "false")) not in ("false", "")
    return to_bool(interp.eval_expr(expr))


def _display_row(row: Dict[str, str], fields: Dict[str, Dict[str, Any]]) -> Dict[str, str]:
    """The console prints booleans as yes/no (the API as true/false); flags keep true/false."""
    out = {}
    for key, value in row.items():
        if fields.get(key, {}).get("kind") == "bool" and value in ("true", "false"):
            value = "yes" if value == "true" else "no"
        out[key] = value
    return out


def _format_singleton(row: Dict[str, str]) -> str:
    if not row:
        return ""
    width = max(len(k) for k in row)
    return "\n".join("%s: %s" % (k.rjust(width), v) for k, v in row.items() if k != ".id")


_HIDDEN = (".id", "bytes", "packets", "dynamic", "disabled", "invalid", "comment", "builtin", "static", "active",
           "inactive", "connect", "dhcp", "ecmp")
_FLAG_LETTERS = (("disabled", "X"), ("invalid", "I"), ("dynamic", "D"), ("active", "A"), ("connect", "c"),
                 ("static", "s"), ("builtin", "*"), ("ecmp", "+"))


def _flags(row: Dict[str, str]) -> str:
    return "".join(letter for field, letter in _FLAG_LETTERS if row.get(field) == "true")


def _format_table(selected: List[Tuple[int, Dict[str, str]]], terse: bool, proplist: Optional[List[str]],
                  detail: bool) -> str:
    lines = []
    if not terse:
        present = [(f, letter) for f, letter in _FLAG_LETTERS if any(r.get(f) == "true" for _pos, r in selected)]
        if present:
            lines.append("Flags: " + ", ".join("%s - %s" % (letter, f) for f, letter in present))
    for number, (_pos, row) in enumerate(selected):
        fields = [(k, v) for k, v in row.items() if k not in _HIDDEN and (proplist is None or k in proplist)]
        text = " ".join("%s=%s" % (k, _print_value(v)) for k, v in fields)
        flags = _flags(row)
        if terse:
            comment = row.get("comment")
            extra = ("comment=%s " % _print_value(comment)) if comment else ""
            lines.append("%2d %-2s %s%s" % (number, flags, extra, text))
            continue
        comment = row.get("comment")
        if comment:
            lines.append("%2d %-2s ;;; %s" % (number, flags, comment))
            lines.append("      " + text)
        else:
            lines.append("%2d %-2s %s" % (number, flags, text))
    return "\n".join(lines)


def _print_value(value: str) -> str:
    if value == "" or re.search(r"[\s\"\\$;=\[\]{}()#?]", value):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$") + '"'
    return value


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


class DropSession(Exception):
    """The lab's drop-after-writes fault: the session's connection must close without an answer."""


class QuitSession(Exception):
    """``/quit``: the SSH shell closes the session."""


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
    interp.emit(_format_singleton({"routerboard": "yes", "board-name": board, "model": board,
                                   "serial-number": serial}))
    return None


def _identity_handlers() -> None:
    _ROOT_COMMANDS[("/system/identity", "set")] = _identity_set
    _ROOT_COMMANDS[("/system/identity", "print")] = _identity_print
    _ROOT_COMMANDS[("/system/routerboard", "print")] = _routerboard_print


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
