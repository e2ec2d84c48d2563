# Two commands do all the set-up from a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The sample content is dated 2011: show the site as it looked inside the programme.
RUN_TODAY ?= 2011-07-01

.PHONY: run test lint install test-install build clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e '.[test]'
	touch $@

node_modules/.installed: package.json
	npm install --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed

test-install: $(VENV)/.test-installed node_modules/.installed

build: install
	$(BIN)/portal db upgrade
	PORTAL_TODAY=$${PORTAL_TODAY:-$(RUN_TODAY)} $(BIN)/portal build

run: install
	$(BIN)/portal check
	$(BIN)/portal db upgrade
	PORTAL_TODAY=$${PORTAL_TODAY:-$(RUN_TODAY)} $(BIN)/portal build
	PORTAL_TODAY=$${PORTAL_TODAY:-$(RUN_TODAY)} $(BIN)/portal serve --host $(HOST) --port $(PORT)

lint: test-install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: test-install lint
	$(BIN)/pytest

clean:
	rm -rf site site.* .pytest_cache .mypy_cache .ruff_cache
