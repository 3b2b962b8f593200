# Standing: `make run` (demo server on $PORT, default 8000) and `make test` (the whole suite).
SHELL := /bin/bash
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# The first Python >= 3.12 that actually runs (pyenv shims of unselected versions do not).
PYTHON := $(shell for c in python3.13 python3.12 python3.14 python3 \
	$$HOME/.pyenv/versions/3.13*/bin/python3 $$HOME/.pyenv/versions/3.12*/bin/python3 \
	/usr/local/bin/python3.13 /usr/local/bin/python3.12 /usr/bin/python3.13 /usr/bin/python3.12; do \
	  if "$$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
	    echo "$$c"; break; fi; done)

.PHONY: run test venv lint format messages clean

$(STAMP): pyproject.toml requirements.lock
	@if [ -z "$(PYTHON)" ]; then \
	  echo "Standing needs Python 3.12 or newer, and none was found (tried python3.13, python3.12," \
	       "python3 and ~/.pyenv/versions/3.1[23]*). Install one, e.g. 'pyenv install 3.13'." >&2; \
	  exit 1; fi
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[test]'
	@touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	@mkdir -p var
	$(BIN)/standing migrate --noinput
	$(BIN)/standing demo
	@echo "Starting the worker and the server on http://127.0.0.1:$(PORT)/ (Ctrl-C stops both)"
	@trap 'kill 0' INT TERM EXIT; \
	  $(BIN)/standing worker & \
	  PORT=$(PORT) $(BIN)/standing serve

test: $(STAMP)
	@command -v chromium >/dev/null 2>&1 || { echo "The browser tests drive Debian's chromium," \
	  "which is not installed: apt-get install chromium (or run bash .ci/run, which does)." >&2; exit 1; }
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/standing makemigrations --check --dry-run

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var

# Refresh the German catalogue: new strings are filled from standing/locale/de.json.
messages: $(STAMP)
	cd standing && ../$(BIN)/standing makemessages -l de --ignore "tests/*" --no-obsolete --no-wrap
	$(BIN)/python scripts/po_fill.py standing/locale/de/LC_MESSAGES/django.po standing/locale/de.json $(filter-out standing/locale/de.json,$(wildcard standing/locale/de-*.json))
	cd standing && ../$(BIN)/standing compilemessages -l de
