# Public commands: `make demo` (the main job against the lab router) and `make test` (everything
# CI runs). Every target installs what it needs first; `make setup` is idempotent.

SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
SETUP_STAMP := $(VENV)/.setup-stamp
# The checkout as a collection: a committed symlink next to the playbooks (ansible-playbook searches a
# playbook's adjacent collections/ first, whatever the collections path), also what ansible.cfg names.
COLLECTIONS := playbooks/collections
# ansible-test only runs inside an ansible_collections/<namespace>/<name> tree that is not a
# symlink, so sanity and units run on a copy of the tracked (and new, unignored) files, the
# symlink left out (it would make the copy contain itself).
TEST_TREE := .cache/ansible-test/ansible_collections/multiwan/routeros
EE_CONTEXT := .cache/ee
ANSIBLE_TEST := cd $(TEST_TREE) && $(CURDIR)/$(BIN)/ansible-test
export PATH := $(CURDIR)/$(BIN):$(PATH)
export ANSIBLE_COLLECTIONS_PATH := $(CURDIR)/$(COLLECTIONS)
PYTEST_WORKERS ?= 2

.PHONY: setup demo test pytest unit lab-tests functional sanity units lint galaxy-importer \
	docs-lint docs-links changelog-lint build ee-context molecule bench bench-lab bench-engine bench-100k bench-fleet bench-playbook clean \
	quickstart-lab

setup: $(SETUP_STAMP) $(HOME)/.ansible/test/cache/get_pip_24_2.py
	@rm -rf $(HOME)/.ansible/collections/ansible_collections/multiwan/routeros

$(SETUP_STAMP): requirements/runtime.txt requirements/dev.txt requirements/constraints.txt lab/pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements/constraints.txt -r requirements/dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e lab
	touch $@

# ansible-test bootstraps pip in its per-test venvs from a download that is unreachable offline.
$(HOME)/.ansible/test/cache/get_pip_24_2.py: tests/tools/get_pip_24_2.py
	mkdir -p $(dir $@)
	cp $< $@

# The demo. Its lab listens on 127.0.0.1 ports 18700 (control), 18728-18731 (API) and 18022-18025 (SSH);
# `make demo LAB_PORT_OFFSET=1000` moves them all by 1000 (and writes to out/demo-1000), so two demos run
# side by side (100 is taken by the Molecule scenario's lab: 18800, 18828-18831).
LAB_PORT_OFFSET ?= 0
demo: setup
	LAB_PORT_OFFSET=$(LAB_PORT_OFFSET) ./scripts/demo.sh

test: setup docs-links pytest sanity units lint galaxy-importer docs-lint changelog-lint molecule
	@echo "make test: all gates passed"

# loadgroup: the tests of one xdist_group (tests/awx/test_job_templates.py's steps on one lab) share a worker.
pytest: setup
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup -q --hypothesis-profile=ci

unit: setup
	$(BIN)/pytest -q tests/unit

lab-tests: setup
	$(BIN)/pytest -n $(PYTEST_WORKERS) -q tests/lab

functional: setup
	$(BIN)/pytest -n $(PYTEST_WORKERS) -q tests/functional

# The property tests with the `explore` Hypothesis profile (conftest.py): new random examples, many more
# of them. Not part of `make test`, which replays the fixed `ci` set.
.PHONY: explore
explore: setup
	$(BIN)/pytest -n $(PYTEST_WORKERS) -q --hypothesis-profile=explore $$(grep -rl --include='test_*.py' hypothesis tests/)

$(TEST_TREE): FORCE
	rm -rf $(TEST_TREE) && mkdir -p $(TEST_TREE)
	git ls-files -co --exclude-standard -z -- . ':!$(COLLECTIONS)' | xargs -0 -I{} sh -c 'test ! -e "{}" || cp --parents -P "{}" $(TEST_TREE)/'
	# A repository of its own, or ansible-test asks the enclosing checkout, which ignores .cache/.
	cd $(TEST_TREE) && git init -q && git add -A

FORCE:

sanity: setup $(TEST_TREE)
	$(ANSIBLE_TEST) sanity --local --python 3.11 --requirements --color no

units: setup $(TEST_TREE)
	$(ANSIBLE_TEST) units --local --python 3.11 --color no

lint: setup
	$(BIN)/ansible-lint --profile production --offline

build: setup
	rm -f multiwan-routeros-*.tar.gz
	$(BIN)/ansible-galaxy collection build --force .

galaxy-importer: build
	mkdir -p .cache
	GALAXY_IMPORTER_CONFIG=tests/galaxy-importer.cfg $(BIN)/python -m galaxy_importer.main multiwan-routeros-*.tar.gz \
		2>&1 | tee .cache/galaxy-importer.log
	! grep -E '^(ERROR|CRITICAL)' .cache/galaxy-importer.log

# The execution environment's build context (meta/execution-environment.yml), this collection's tarball
# included; `podman build $(EE_CONTEXT)` (or docker) builds the image (docs/awx.md).
ee-context: setup
	rm -rf $(EE_CONTEXT)
	$(BIN)/ansible-builder create -f meta/execution-environment.yml --context $(EE_CONTEXT) --output-filename Containerfile
	$(BIN)/ansible-galaxy collection build --output-path $(EE_CONTEXT)/_build/collection .

docs-lint: setup
	$(BIN)/antsibull-docs lint-collection-docs --plugin-docs .

# Every relative link and #anchor of README.md, docs/, inventory/, lab/ and the role READMEs resolves.
docs-links: setup
	$(BIN)/python scripts/check_docs_links.py

changelog-lint: setup
	$(BIN)/antsibull-changelog lint
	$(BIN)/antsibull-changelog lint-changelog-yaml changelogs/changelog.yaml

# The Molecule default scenario: lab routers, converge (core and edges), idempotence, verify.
molecule: setup
	$(BIN)/molecule test

# The lab router of docs/quickstart.md, in the foreground until Ctrl-C (127.0.0.1 only).
quickstart-lab: setup
	$(BIN)/python -m routeros_lab serve --topology inventory/quickstart/topology.yml --user admin --password lab-secret

# Benchmarks print figures; they are not part of `make test`.
bench: bench-lab bench-engine bench-playbook

bench-lab: setup
	$(BIN)/python benchmarks/lab_scale.py

# The tables of docs/engine.md and its plot (docs/images/converge.png), the lab router in its own process.
bench-engine: setup
	$(BIN)/python benchmarks/converge.py --plot docs/images/converge.png

# 100,000-entry address lists over the API and SSH (config only, 0 ms); not part of `bench`: up to an hour on 2 shared
# cores, each step bounded by 15 minutes (docs/engine.md).
bench-100k: setup
	$(BIN)/python benchmarks/converge.py --sizes 100000 --latencies 0 --tools config --transports api,ssh --repeat 1 \
		--step-timeout 900

# edge.yml against 100 lab edge routers at forks 5/20/50 and as 4 slices (FLEET_ROUTERS=20 for a quicker run);
# not part of `bench`: it takes tens of minutes on 2 cores.
FLEET_ROUTERS ?= 100
bench-fleet: setup
	$(BIN)/python benchmarks/fleet.py --routers $(FLEET_ROUTERS)

bench-playbook: setup
	$(BIN)/python benchmarks/playbook.py

clean:
	rm -rf .cache tests/output multiwan-routeros-*.tar.gz

# The files generated from the intent schema (plugins/module_utils/intent/schema.py): the roles'
# meta/argument_specs.yml, the variable tables of the role READMEs and of docs/intent.md.
# tests/unit/plugins/module_utils/intent/test_intent_schema.py fails while one of them is stale.
.PHONY: intent-docs
intent-docs: setup
	$(BIN)/python scripts/generate_intent_docs.py

# The lab router measured against the real RouterOS command trees (../shared/reference/routeros-inspect):
# per menu, arguments and values accepted, missing and invented; fails when a goal of lab/README.md is not met.
.PHONY: fidelity
fidelity: setup
	$(BIN)/python scripts/fidelity.py
