"""RouterOS console (CLI) for the lab router: tokenizer, parser and interpreter."""

from .parser import CliSyntaxError, parse
from .interpreter import DropSession, Interpreter, QuitSession, ScriptError, run_script

__all__ = ["CliSyntaxError", "DropSession", "Interpreter", "QuitSession", "ScriptError", "parse", "run_script"]
