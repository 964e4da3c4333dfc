"""RouterOS console (CLI) for the lab router: tokenizer, parser and interpreter."""

from .parser import CliSyntaxError, parse
from .interpreter import Interpreter, ScriptError, run_script

__all__ = ["CliSyntaxError", "Interpreter", "ScriptError", "parse", "run_script"]
