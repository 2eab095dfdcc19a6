# taxanb: the two commands of the README, and a few helpers.
#   make test                  notebooks clean and exported, nbdev-test, pytest (papermill smoke runs, docs site,
#                              the three experiments at the fullcheck preset)
#   make reproduce             the study at the laptop preset (benchmark, pretrained base, judge, the three experiments)
#                              through papermill into runs/laptop/, the report, and the findings copied to results/laptop/
#   make reproduce PRESET=full the GPU configuration (PRESET=fullcheck: its code paths on a CPU; PRESET=smoke: every
#                              notebook, the quick look)
# Each creates .venv when it is missing.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PRESET ?= laptop
DOCS_PRESET ?= smoke
STAMP := $(VENV)/.taxanb-installed

.PHONY: test reproduce docs export clean-nbs venv browser lock

venv: $(STAMP)

# pyproject.toml states the ranges taxanb supports; constraints.txt holds the exact versions our results came from.
LOCK := constraints.txt
# The environment takes about 7 GB (torch's CUDA build, which torchvision needs here, is 5.5 GB of it): a full disk
# is said up front, with the way out, rather than as pip's OSError halfway through the install.
VENV_NEED_GB ?= 8
$(STAMP): pyproject.toml $(LOCK)
	@free=$$(df -Pk "$$(dirname "$(abspath $(VENV))")" | awk 'NR==2 {print int($$4 / 1048576)}'); \
	  ls -d $(VENV)/lib/python*/site-packages/torch >/dev/null 2>&1 || test "$$free" -ge $(VENV_NEED_GB) || \
	  { echo "make: $(VENV) needs about $(VENV_NEED_GB) GB free on the disk of $(abspath $(VENV)); $$free GB are free. Free some space, or put the environment elsewhere: make VENV=/path/with/room/.venv ..."; exit 2; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -c $(LOCK) -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (taxanb)" >/dev/null
	touch $(STAMP)

# Rewrite constraints.txt from what .venv holds (after changing a range in pyproject.toml and installing into .venv).
lock:
	test -x $(BIN)/python || { echo "make lock: no $(VENV); run make venv first"; exit 2; }
	{ echo "# The exact versions taxanb's results were produced with (make installs with pip -c $(LOCK));"; \
	  echo "# pyproject.toml states the supported ranges. Rewritten by make lock from $(VENV): do not edit by hand."; \
	  $(BIN)/python -m pip freeze --exclude-editable --disable-pip-version-check | grep -v '^taxanb\b' | sed 's/+[a-z0-9.]*$$//'; } > $(LOCK).tmp
	mv $(LOCK).tmp $(LOCK)

export: $(STAMP)
	$(BIN)/nbdev-export

clean-nbs: $(STAMP)
	$(BIN)/nbdev-clean

# The tests share one run directory (.cache/test-runs): nbdev-test builds the artifacts (benchmark, judge,
# trained models), the papermill pass reuses them, the docs build renders the executed notebooks.
TESTRUNS := $(CURDIR)/.cache/test-runs
test: $(STAMP) browser
	rm -rf $(TESTRUNS) && mkdir -p $(TESTRUNS)
	$(BIN)/python -m pytest -m "not slow" -q
	OMP_NUM_THREADS=1 TAXANB_RUNS=$(TESTRUNS) $(BIN)/nbdev-test --n-workers 2 --timing
	OMP_NUM_THREADS=1 TAXANB_TEST_RUNS=$(TESTRUNS) $(BIN)/python -m pytest -m slow -q -n 2 tests/test_notebooks.py
	TAXANB_TEST_RUNS=$(TESTRUNS) $(BIN)/python -m pytest -m slow -q --ignore=tests/test_notebooks.py

# Debian's chromium for the docs test (root only; elsewhere that test is skipped with a reason).
browser:
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || echo "chromium not installed: the browser test will be skipped"; }

reproduce: $(STAMP)
	OMP_NUM_THREADS=$${OMP_NUM_THREADS:-2} $(BIN)/python -m taxanb.reproduce --preset $(PRESET) --keep-going

docs: $(STAMP)
	$(BIN)/python -m taxanb.reproduce --preset $(DOCS_PRESET) --docs-only
