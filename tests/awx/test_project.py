"""The project as AWX checks it out: the tracked files only (no `make setup`, no .venv link), run from the
checkout with a collections path that does not contain the collection, as a controller may set it."""

import glob
import os
import shutil
import subprocess
import sys

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLAYBOOK_BIN = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")
TIMEOUT = 300


def checkout(target):
    """Copy the files git tracks (symlinks as symlinks), as a clone would have them."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, timeout=60).stdout
    for name in listed.decode().split("\0"):
        source = os.path.join(ROOT, name)
        if not name or not os.path.lexists(source):
            continue
        destination = os.path.join(target, name)
        os.makedirs(os.path.dirname(destination), exist_ok=True)
        if os.path.islink(source):
            os.symlink(os.readlink(source), destination)
        else:
            shutil.copy2(source, destination)
    return target


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return checkout(str(tmp_path_factory.mktemp("awx") / "project"))


def _env(project_dir):
    env = dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_LOCAL_TEMP=os.path.join(project_dir, ".tmp"),
               ANSIBLE_COLLECTIONS_PATH=os.path.join(project_dir, "requirements_collections"))
    env.pop("ANSIBLE_CONFIG", None)
    return env


def _playbook(project_dir, *args):
    return subprocess.run([PLAYBOOK_BIN, *args], cwd=project_dir, env=_env(project_dir), capture_output=True, text=True,
                          timeout=TIMEOUT, check=False)


def test_the_checkout_carries_its_collection_link(project):
    link = os.path.join(project, "playbooks", "collections", "ansible_collections", "multiwan", "routeros")
    assert os.path.islink(link)
    assert os.path.samefile(link, project)
    assert not os.path.exists(os.path.join(project, ".collections"))


@pytest.mark.parametrize("playbook", sorted(os.path.relpath(path, ROOT) for path in glob.glob(os.path.join(ROOT, "playbooks", "*.yml"))))
def test_every_playbook_resolves_the_collection_from_a_fresh_checkout(project, playbook):
    proc = _playbook(project, "-i", "inventory/example/hosts.yml", playbook, "--syntax-check")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_render_runs_from_a_fresh_checkout(project, tmp_path):
    proc = _playbook(project, "-i", "inventory/example/hosts.yml", "playbooks/render.yml", "-e",
                     "multiwan_render_dir=%s" % tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert os.path.exists(tmp_path / "core" / "10_wan_setup.rsc")


def test_the_example_inventory_sets_no_login(project):
    """Nothing in the inventory may override the login AWX injects (extra vars) or the command line gives."""
    for path in glob.glob(os.path.join(project, "inventory", "example", "**", "*.yml"), recursive=True):
        with open(path, encoding="utf-8") as handle:
            found = {key for key in (yaml.safe_load(handle) or {}) if key in ("ansible_user", "ansible_password")}
        assert not found, "%s sets %s" % (path, sorted(found))
