# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write the files derived from the intent schema (plugins/module_utils/intent/schema.py).

- roles/<role>/meta/argument_specs.yml: the intent options of the role's router kind; the role's
  own texts (short_description, description, author) and its own options (``<role>_adopt``) are
  kept as the file has them;
- the "Variables" table of every role README (from its argument spec);
- the variable tables of docs/intent.md.

Generated parts of Markdown files sit between ``<!-- BEGIN generated ... -->`` and
``<!-- END generated ... -->`` comments. ``make intent-docs`` runs this script;
``--check`` lists the stale files and exits 1 without writing (the unit test
tests/unit/plugins/module_utils/intent/test_intent_schema.py does the same).
"""

import argparse
import os
import re
import sys
from typing import Any, Dict, List, Tuple

import yaml

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
# The checkout as ansible_collections.multiwan.routeros (the committed link next to the playbooks).
_COLLECTIONS = os.path.join(ROOT, "playbooks", "collections")
if os.path.isdir(_COLLECTIONS) and _COLLECTIONS not in sys.path:
    sys.path.insert(0, _COLLECTIONS)

from ansible_collections.multiwan.routeros.plugins.module_utils.intent import names, schema  # noqa: E402  (after the path)
from ansible_collections.multiwan.routeros.plugins.module_utils import registry  # noqa: E402  (after the path)

COMMAND = "make intent-docs"
# The router kind whose intent each role validates and reads, from the registry (fasttrack_tuning runs on every router).
ROLE_KINDS = {role.name: role.kind for role in registry.ROLES if role.compiled}
SCHEMA_NAMES = frozenset(var.name for var in schema.VARIABLES)
_CODE_RE = re.compile(r"`([^`]*)`")
_ITALIC_RE = re.compile(r"\*([^*]+)\*")
# A link of docs/intent.md: [text](file.md#anchor), relative to docs/.
_LINK_RE = re.compile(r"\[([^\]]+)\]\(([^)#]+)(?:#[^)]*)?\)")
_MARKUP_RE = re.compile(r"\b[CVOI]\(([^()]*)\)")


# ---------------------------------------------------------------------------------------------
# Argument specs
# ---------------------------------------------------------------------------------------------

def ansible_markup(text: str) -> str:
    """The schema's Markdown as Ansible documentation markup: `x` -> C(x), *x* -> I(x), a link -> its text and file."""
    for code in _CODE_RE.findall(text):
        if ")" in code:
            raise ValueError("C(...) cannot hold %r: rephrase the schema's doc %r" % (code, text))
    text = _LINK_RE.sub(r"\1 (docs/\2)", text)
    return _ITALIC_RE.sub(r"I(\1)", _CODE_RE.sub(r"C(\1)", text))


def sentence(text: str) -> str:
    text = text[:1].upper() + text[1:]
    return text if text.endswith(".") else text + "."


def default_text(key: schema.Key) -> str:
    """The default in Markdown, "" when the key has none."""
    if key.default_doc:
        return key.default_doc
    if key.default == ():
        return "`{}`" if key.type == "dict" else "`[]`"
    if isinstance(key.default, bool):
        return "`%s`" % ("true" if key.default else "false")
    if key.default is not None:
        return "`%s`" % key.default
    return ""


def type_text(key: schema.Key) -> str:
    if key.type_doc:
        return key.type_doc
    if key.type == "list":
        return "list of %s" % ("mapping" if key.elements == "dict" else key.elements)
    return "mapping" if key.type == "dict" else key.type


def option(key: schema.Key) -> Dict[str, Any]:
    """The argument-spec option of a key.

    ``default`` is shown only where null is refused anyway: Ansible's role argument validation refuses
    null for an option with a default, and the validator reads a null variable or key as "not set".
    Elsewhere the default is said in the description. The same holds for ``choices``.
    """
    spec: Dict[str, Any] = {"type": key.type}
    if key.type == "list":
        spec["elements"] = key.elements
    if key.required:
        spec["required"] = True
    if key.null_is_value and key.default is not None:
        spec["default"] = key.default
    # Choices only on strings (Ansible would compare a raw value, check_gateway: false, with them) that
    # cannot be null (Ansible refuses null as "not one of the choices"); the description lists them anyway.
    if key.choices and key.type == "str" and (key.required or key.null_is_value):
        spec["choices"] = list(key.choices)
    if key.keys and not key.free_form and (key.type == "dict" or key.elements == "dict"):
        spec["options"] = dict((sub.name, option(sub)) for sub in key.keys)
    description = [sentence(ansible_markup(key.doc))]
    if "default" not in spec and default_text(key):
        description.append("Default: %s." % ansible_markup(default_text(key)))
    spec["description"] = description
    return spec


class _Dumper(yaml.SafeDumper):
    """Block style with list items indented under their key (the style of the hand-written specs)."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def argument_specs(role: str, current: str) -> str:
    """The role's argument_specs.yml: its own texts and options from ``current``, the intent options from the schema."""
    data = yaml.safe_load(current)
    main = data["argument_specs"]["main"]
    own = dict((name, spec) for name, spec in (main.get("options") or {}).items() if not name.startswith(names.PREFIX))
    options = dict((var.name, option(var)) for var in schema.variables_of(ROLE_KINDS[role]))
    options.update(own)
    main["options"] = options
    return "---\n" + yaml.dump(data, Dumper=_Dumper, sort_keys=False, width=120, allow_unicode=True, default_flow_style=False)


# ---------------------------------------------------------------------------------------------
# Markdown
# ---------------------------------------------------------------------------------------------

def markdown(text: str) -> str:
    """Ansible markup (the argument specs' own options) as Markdown: C(x), V(x), O(x) -> `x`."""
    return _MARKUP_RE.sub(r"`\1`", text)


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "`%s`" % ("true" if value else "false")
    if isinstance(value, (dict, list)):
        return "`%s`" % (yaml.safe_dump(value, default_flow_style=True, width=1000).strip())
    return "`%s`" % value


def replace_block(text: str, name: str, body: str, where: str) -> str:
    begin = "<!-- BEGIN generated %s (%s) -->" % (name, COMMAND)
    end = "<!-- END generated %s -->" % name
    if begin not in text or end not in text:
        raise ValueError("%s has no %r ... %r block" % (where, begin, end))
    head, rest = text.split(begin, 1)
    _old, tail = rest.split(end, 1)
    return "%s%s\n%s%s%s" % (head, begin, body, end, tail)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def role_variables_table(spec_text: str) -> str:
    """The README table of a role's options: the intent variables as the schema has them, the role's own from its spec."""
    options = yaml.safe_load(spec_text)["argument_specs"]["main"].get("options") or {}
    rows = ["| variable | type | default | description |", "|---|---|---|---|"]
    for name, spec in options.items():
        if name in SCHEMA_NAMES:
            var = schema.variable(name)
            default = "required" if var.required else default_text(var) or "unset"
            rows.append("| `%s` | %s | %s | %s |" % (name, type_text(var), default, _cell(var.doc)))
            continue
        kind = spec["type"] + (" of %s" % spec["elements"] if spec.get("elements") else "")
        default = "required" if spec.get("required") else _shown(spec["default"]) if "default" in spec else "unset"
        rows.append("| `%s` | %s | %s | %s |" % (name, kind, default, _cell(markdown(" ".join(spec["description"])))))
    return "\n".join(rows) + "\n"


def keys_table(var: schema.Variable) -> str:
    rows = ["| key | type | required | default | rules |", "|---|---|---|---|---|"]
    for key in var.keys:
        required = "yes" if key.required else "no"
        rows.append("| `%s` | %s | %s | %s | %s |" % (key.name, type_text(key), required, default_text(key), _cell(key.doc)))
    return "\n".join(rows) + "\n"


def variables_table() -> str:
    rows = ["| variable | router | type | required | default | what |", "|---|---|---|---|---|---|"]
    for var in schema.VARIABLES:
        routers = "every" if schema.COMMON in var.kinds else ", ".join(var.kinds)
        required = "yes" if var.required else "no"
        default = default_text(var) or ("" if var.required else "unset")
        rows.append("| `%s` | %s | %s | %s | %s | %s |" % (var.name, routers, type_text(var), required, default, _cell(var.doc)))
    return "\n".join(rows) + "\n"


def intent_md(text: str) -> str:
    text = replace_block(text, "variables", variables_table(), "docs/intent.md")
    for var in schema.VARIABLES:
        if var.keys:
            text = replace_block(text, var.name, keys_table(var), "docs/intent.md")
    return text


# ---------------------------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------------------------

def _read(path: str) -> str:
    with open(os.path.join(ROOT, path), encoding="utf-8") as handle:
        return handle.read()


def roles() -> List[str]:
    folder = os.path.join(ROOT, "roles")
    return sorted(name for name in os.listdir(folder) if os.path.isfile(os.path.join(folder, name, "meta", "argument_specs.yml")))


def outputs() -> List[Tuple[str, str]]:
    """(path relative to the repository, the text it must have) for every generated file."""
    result = []
    for role in roles():
        spec_path = "roles/%s/meta/argument_specs.yml" % role
        spec = _read(spec_path)
        if role in ROLE_KINDS:
            spec = argument_specs(role, spec)
            result.append((spec_path, spec))
        readme_path = "roles/%s/README.md" % role
        result.append((readme_path, replace_block(_read(readme_path), "variables", role_variables_table(spec), readme_path)))
    result.append(("docs/intent.md", intent_md(_read("docs/intent.md"))))
    return result


def stale() -> List[str]:
    return [path for path, text in outputs() if _read(path) != text]


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="list the stale files and exit 1, write nothing")
    args = parser.parse_args(argv)
    if args.check:
        paths = stale()
        for path in paths:
            print("stale: %s (run `%s`)" % (path, COMMAND))
        return 1 if paths else 0
    for path, text in outputs():
        if _read(path) != text:
            with open(os.path.join(ROOT, path), "w", encoding="utf-8") as handle:
                handle.write(text)
            print("wrote %s" % path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
