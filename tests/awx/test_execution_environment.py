"""The execution environment's build context, made the way ``make ee-context`` makes it.

``ansible-builder create`` writes the Containerfile and ``_build/``; ``ansible-galaxy collection build`` then
writes this collection's tarball into ``_build/collection/``. No container runtime runs here, so the test
stops at the context and checks what the image would be built from.
"""

import json
import os
import re
import subprocess
import sys
import tarfile

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)
TIMEOUT = 300


def _pins(path):
    """``{name: version}`` of a pip requirements file's ``name==version`` lines."""
    pins = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            match = re.match(r"^([A-Za-z0-9_.-]+)==(\S+)", line.strip())
            if match:
                pins[match.group(1).lower()] = match.group(2)
    return pins


def _run(*command):
    proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


@pytest.fixture(scope="module")
def context(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ee") / "context"
    _run(os.path.join(BIN, "ansible-builder"), "create", "-f", "meta/execution-environment.yml",
         "--context", str(folder), "--output-filename", "Containerfile")
    _run(os.path.join(BIN, "ansible-galaxy"), "collection", "build", "--output-path",
         str(folder / "_build" / "collection"), ".")
    return folder


@pytest.fixture(scope="module")
def containerfile(context):
    return (context / "Containerfile").read_text(encoding="utf-8")


def _arg(containerfile, name):
    match = re.search(r'^ARG %s="([^"]*)"$' % name, containerfile, re.M)
    assert match, "no ARG %s in the Containerfile" % name
    return match.group(1)


def test_the_base_image_is_a_fixed_release(containerfile):
    image = _arg(containerfile, "EE_BASE_IMAGE")
    name, tag = image.rsplit(":", 1)
    assert name and "/" not in tag, image
    assert tag not in ("latest", "") and re.match(r"^\d+(\.\d+)+$", tag), "base image not pinned: %s" % image


def test_ansible_core_and_runner_are_those_make_test_tests(containerfile):
    constraints = _pins(os.path.join(ROOT, "requirements", "constraints.txt"))
    refs = _arg(containerfile, "ANSIBLE_INSTALL_REFS").split()
    assert "ansible-core==%s" % constraints["ansible-core"] in refs
    assert "ansible-runner==%s" % constraints["ansible-runner"] in refs


def test_the_python_requirements_are_the_runtime_pins(context):
    runtime = _pins(os.path.join(ROOT, "requirements", "runtime.txt"))
    assert {"librouteros", "paramiko"} <= set(runtime)
    assert _pins(str(context / "_build" / "requirements.txt")) == runtime


def _bundled_version(namespace, name):
    """The version of a collection the ``ansible`` package of .venv bundles (what `make setup` tests with)."""
    import ansible_collections
    for base in ansible_collections.__path__:
        manifest = os.path.join(base, namespace, name, "MANIFEST.json")
        if os.path.exists(manifest):
            with open(manifest, encoding="utf-8") as handle:
                return json.load(handle)["collection_info"]["version"]
    return None


def test_the_community_collections_are_pinned_to_the_tested_versions(context, containerfile):
    with open(context / "_build" / "requirements.yml", encoding="utf-8") as handle:
        wanted = {entry["name"]: entry["version"] for entry in yaml.safe_load(handle)["collections"]}
    assert {"community.routeros", "ansible.netcommon"} <= set(wanted)
    for fqcn, version in wanted.items():
        assert version == _bundled_version(*fqcn.split(".")), fqcn
    assert "collection install $ANSIBLE_GALAXY_CLI_COLLECTION_OPTS -r requirements.yml" in containerfile


def test_this_collection_is_installed_from_its_own_tarball(context, containerfile):
    with open(os.path.join(ROOT, "galaxy.yml"), encoding="utf-8") as handle:
        galaxy = yaml.safe_load(handle)
    tarballs = sorted(path.name for path in (context / "_build" / "collection").glob("*.tar.gz"))
    assert tarballs == ["%s-%s-%s.tar.gz" % (galaxy["namespace"], galaxy["name"], galaxy["version"])]
    install = re.search(r"^RUN ansible-galaxy collection install --offline --no-deps "
                        r"-p /usr/share/ansible/collections /build/collection/(\S+)$", containerfile, re.M)
    assert install, containerfile
    assert re.fullmatch(install.group(1).replace(".", r"\.").replace("*", ".*"), tarballs[0])
    # In the galaxy stage, after the community collections and after _build/ is copied to /build.
    assert containerfile.index("COPY _build /build") < containerfile.index("-r requirements.yml --collections-path") \
        < install.start()
    with tarfile.open(context / "_build" / "collection" / tarballs[0]) as tarball:
        names = set(tarball.getnames())
    assert {"MANIFEST.json", "roles/wan_interfaces/tasks/main.yml", "plugins/modules/config.py"} <= names
    # The checkout's own collection link stays out of the tarball.
    assert not [name for name in names if name.startswith("playbooks/collections")]


def test_an_ee_that_installs_the_collection_finds_its_python_requirements(context, tmp_path):
    """ansible-builder's introspection of installed collections (the EE's builder stage, or any EE that lists
    this collection) reads meta/execution-environment.yml relative to the collection's root."""
    (tarball,) = (context / "_build" / "collection").glob("*.tar.gz")
    proc = subprocess.run([os.path.join(BIN, "ansible-galaxy"), "collection", "install", "--force", "--offline",
                           "--no-deps", "-p", str(tmp_path), str(tarball)], cwd=str(tmp_path), capture_output=True,
                          text=True, timeout=TIMEOUT, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    introspect = str(context / "_build" / "scripts" / "introspect.py")
    found = yaml.safe_load(_run(sys.executable, introspect, "introspect", str(tmp_path)))
    runtime = _pins(os.path.join(ROOT, "requirements", "runtime.txt"))
    assert sorted(line.split("#")[0].strip() for line in found["python"]) == sorted("%s==%s" % item for item in runtime.items())
