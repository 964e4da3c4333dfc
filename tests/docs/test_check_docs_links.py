"""scripts/check_docs_links.py: broken relative links and anchors are found, everything else is left alone."""

import importlib.util
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(ROOT, "scripts", "check_docs_links.py")


@pytest.fixture(scope="module")
def checker():
    spec = importlib.util.spec_from_file_location("check_docs_links", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _write(folder, name, text):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return str(path)


def _run(*args):
    return subprocess.run([sys.executable, SCRIPT, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          timeout=60, check=False)


@pytest.mark.parametrize("heading, anchor", [
    ("Connection variables", "connection-variables"),
    ("`multiwan_wans` (required)", "multiwan_wans-required"),
    ("Phase 10 | WAN setup", "phase-10--wan-setup"),
    ("See [intent](intent.md) first", "see-intent-first"),
    ("Check -> apply -> re-run", "check---apply---re-run"),
])
def test_slug_is_the_anchor_github_gives_a_heading(checker, heading, anchor):
    assert checker.slug(heading) == anchor


def test_repeated_headings_get_numbered_anchors_and_html_anchors_count(checker):
    text = "# Setup\n\n## Setup\n\nTitle\n=====\n\n### `multiwan_wans` (required)\n<a name=\"custom\"></a>\n\n```\n# not a heading\n```\n"
    assert checker.anchors(text) == {"setup", "setup-1", "title", "multiwan_wans-required", "custom"}


def test_links_in_code_are_examples_not_links(checker):
    text = "[a](a.md) `[b](b.md)`\n\n```md\n[c](c.md)\n```\n~~~\n[d](d.md)\n~~~\n![e](img/e.png \"title\")\n[ref]: <f g.md>\n"
    assert [(link.line, link.target) for link in checker.links(text)] == [(1, "a.md"), (9, "img/e.png"), (10, "f g.md")]


def test_broken_files_and_anchors_are_reported_with_their_line(checker, tmp_path):
    _write(tmp_path, "docs/other.md", "# Other page\n\n## Its section\n")
    _write(tmp_path, "docs/folder/keep.txt", "")
    page = _write(tmp_path, "docs/page.md", "\n".join([
        "# Page",
        "[fine](other.md) [fine](other.md#its-section) [fine](#page) [fine](folder/) [fine](/docs/other.md)",
        "[external](https://example.invalid/missing.md) [mail](mailto:someone@example.invalid)",
        "[gone](missing.md)",
        "[bad anchor](other.md#no-such-section)",
        "[bad local anchor](#nowhere)",
        "[escape](../../outside.md)",
    ]))
    broken = checker.check_file(page, root=str(tmp_path))
    assert [(item.line, item.target) for item in broken] == [
        (4, "missing.md"), (5, "other.md#no-such-section"), (6, "#nowhere"), (7, "../../outside.md")]
    assert broken[0].reason == "no such file: docs/missing.md"
    assert broken[1].reason == "no heading #no-such-section in docs/other.md"
    assert broken[3].reason == "points outside the repository"


def test_command_line_exits_non_zero_and_lists_every_broken_link(tmp_path):
    page = _write(tmp_path, "page.md", "# Page\n\n[gone](missing.md) and [also gone](#nope)\n")
    proc = _run("--root", str(tmp_path), page)
    assert proc.returncode == 1
    assert proc.stdout.count("page.md:3: missing.md: no such file: missing.md") == 1
    assert "#nope: no heading #nope" in proc.stdout
    assert "2 broken link(s) in 1 file(s)" in proc.stderr


def test_default_files_are_the_user_documentation(tmp_path):
    for name in ("README.md", "docs/a.md", "inventory/README.md", "lab/README.md", "roles/x/README.md", "notes/b.md"):
        _write(tmp_path, name, "# Title\n[gone](gone.md)\n")
    proc = _run("--root", str(tmp_path))
    assert proc.returncode == 1
    listed = sorted(line.split(":", 1)[0] for line in proc.stdout.splitlines())
    assert listed == ["README.md", "docs/a.md", "inventory/README.md", "lab/README.md", "roles/x/README.md"]


def test_the_repository_documentation_has_no_broken_link():
    proc = _run()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "every relative link resolves" in proc.stdout
