# taxanb: the two commands of the README, and a few helpers.
#   make test                  notebooks clean and exported, nbdev-test, pytest (papermill smoke runs, docs site)
#   make reproduce             every experiment notebook through papermill into runs/$(PRESET)/, then the report
#   make reproduce PRESET=full the GPU configuration
# Each creates .venv when it is missing.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PRESET ?= smoke
STAMP := $(VENV)/.taxanb-installed

.PHONY: test reproduce docs export clean-nbs venv lint-nbs

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (taxanb)" >/dev/null
	touch $(STAMP)

export: $(STAMP)
	$(BIN)/nbdev-export

clean-nbs: $(STAMP)
	$(BIN)/nbdev-clean

test: $(STAMP)
	$(BIN)/python -m pytest -m "not slow" -q
	TAXANB_RUNS=$$(mktemp -d) $(BIN)/nbdev-test --n_workers 2 --timing
	$(BIN)/python -m pytest -m slow -q -n 2 --dist loadgroup

reproduce: $(STAMP)
	$(BIN)/python -m taxanb.reproduce --preset $(PRESET)

docs: $(STAMP)
	$(BIN)/python -m taxanb.docs
