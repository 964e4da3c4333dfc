"""Check that every relative link of the user documentation resolves: the file exists and the #anchor is a heading.

Run from anywhere (``make docs-links`` runs it)::

    .venv/bin/python scripts/check_docs_links.py            # README.md, docs/, inventory/, lab/ and role READMEs
    .venv/bin/python scripts/check_docs_links.py FILE.md ...  # only these files
    .venv/bin/python scripts/check_docs_links.py --root DIR   # the documentation of another checkout

Prints one line per broken link (``file:line: target: reason``) and exits 1 when there is any.
Links with a scheme (``https:``, ``mailto:``) are not fetched: the check runs offline.
"""

from __future__ import annotations

import argparse
import glob
import os
import re
import sys
import unicodedata
from typing import Iterator, NamedTuple
from urllib.parse import unquote

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_FILES = ("README.md", "docs/*.md", "inventory/README.md", "lab/README.md", "roles/*/README.md")

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+).*?\1")
# [text](target) and ![alt](target), with an optional "title"; the target may be wrapped in <>.
_INLINE_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
_REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)")
_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)\s*$")
_HTML_ANCHOR = re.compile(r"<a\s+[^>]*(?:name|id)=[\"']([^\"']+)[\"']", re.IGNORECASE)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


class Link(NamedTuple):
    line: int
    target: str


class Broken(NamedTuple):
    path: str
    line: int
    target: str
    reason: str


def _prose_lines(text: str) -> Iterator[tuple[int, str]]:
    """(line number, line) of the lines outside fenced code blocks."""
    fence = ""
    for number, line in enumerate(text.splitlines(), start=1):
        match = _FENCE.match(line)
        if fence:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = ""
            continue
        if match:
            fence = match.group(1)
            continue
        yield number, line


def links(text: str) -> list[Link]:
    """Every inline link, image and reference definition of a Markdown text."""
    found = []
    for number, line in _prose_lines(text):
        # A link inside a code span is an example, not a link.
        line = _CODE_SPAN.sub(lambda span: " " * len(span.group(0)), line)
        targets = [match.group(1) for match in _INLINE_LINK.finditer(line)]
        definition = _REFERENCE_DEFINITION.match(line)
        if definition:
            targets.append(definition.group(1))
        found.extend(Link(number, target[1:-1] if target.startswith("<") else target) for target in targets)
    return found


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: link markup reduced to its text, lower case, punctuation dropped,
    spaces to dashes."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)
    text = re.sub(r"<[^>]+>", "", text).strip().lower()
    kept = "".join(char for char in text if char in " -_" or unicodedata.category(char)[0] in "LNM")
    return kept.replace(" ", "-")


def anchors(text: str) -> set[str]:
    """The anchors of a Markdown text: heading slugs (repeats get -1, -2, ... like GitHub) and HTML name/id."""
    seen: dict[str, int] = {}
    result = set()
    previous = ""
    for dummy, line in _prose_lines(text):
        heading = None
        atx = _ATX_HEADING.match(line)
        if atx:
            heading = atx.group(2)
        elif previous.strip() and _SETEXT_UNDERLINE.match(line) and not _ATX_HEADING.match(previous):
            heading = previous.strip()
        if heading is not None:
            base = slug(heading)
            count = seen.get(base, 0)
            seen[base] = count + 1
            result.add(base if count == 0 else "%s-%d" % (base, count))
        result.update(_HTML_ANCHOR.findall(line))
        previous = line
    return result


def _read(path: str) -> str:
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def check_file(path: str, root: str = ROOT) -> list[Broken]:
    """The broken relative links of one Markdown file; a leading ``/`` is relative to ``root`` (GitHub's rule)."""
    text = _read(path)
    broken = []
    cache: dict[str, set[str]] = {}
    for link in links(text):
        if _SCHEME.match(link.target):
            continue
        target_path, dummy, fragment = unquote(link.target).partition("#")
        if not target_path:
            resolved = path
        elif target_path.startswith("/"):
            resolved = os.path.join(root, target_path.lstrip("/"))
        else:
            resolved = os.path.normpath(os.path.join(os.path.dirname(path), target_path))
        relative = os.path.relpath(resolved, root)
        if relative.startswith(".." + os.sep) or relative == "..":
            broken.append(Broken(path, link.line, link.target, "points outside the repository"))
        elif not os.path.exists(resolved):
            broken.append(Broken(path, link.line, link.target, "no such file: %s" % relative))
        elif fragment and resolved.endswith(".md"):
            if resolved not in cache:
                cache[resolved] = anchors(_read(resolved))
            if fragment.lower() not in cache[resolved]:
                broken.append(Broken(path, link.line, link.target, "no heading #%s in %s" % (fragment, relative)))
    return broken


def default_files(root: str = ROOT) -> list[str]:
    """The user documentation: README.md, docs/*.md, inventory/README.md, lab/README.md, roles/*/README.md."""
    files = []
    for pattern in DEFAULT_FILES:
        files.extend(sorted(glob.glob(os.path.join(root, pattern))))
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("files", nargs="*", help="Markdown files (default: the user documentation)")
    parser.add_argument("--root", default=ROOT, help="the repository: links may not leave it (default: this checkout)")
    args = parser.parse_args(argv)
    root = os.path.abspath(args.root)
    files = [os.path.abspath(path) for path in args.files] or default_files(root)
    broken = [item for path in files for item in check_file(path, root)]
    for item in broken:
        print("%s:%d: %s: %s" % (os.path.relpath(item.path, root), item.line, item.target, item.reason))
    if broken:
        print("%d broken link(s) in %d file(s)" % (len(broken), len({item.path for item in broken})), file=sys.stderr)
        return 1
    print("%d file(s), every relative link resolves" % len(files))
    return 0


if __name__ == "__main__":
    sys.exit(main())
