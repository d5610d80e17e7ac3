# The two set-up commands: `make demo` and `make test`. Both create .venv/ in the
# repository root and install what they need from the package registries.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test lint install install-dev neo4j-start neo4j-stop clean help

help:
	@echo "make demo   - create .venv, install graphkit, run the seed investigation into out/"
	@echo "make test   - install test tools, start a local Neo4j, run lint, types and all tests"
	@echo "make lint   - ruff and mypy only"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[viz,excel]'
	@touch $@

$(VENV)/.installed-dev: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

demo: $(VENV)/.installed
	$(BIN)/graphkit demo --out out

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check
	$(BIN)/mypy

test: $(VENV)/.installed-dev
	scripts/run-tests

neo4j-start:
	scripts/neo4j-server start
neo4j-stop:
	scripts/neo4j-server stop

clean:
	rm -rf out test-artifacts .pytest_cache .mypy_cache .ruff_cache
