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
	@echo "Installing Standing and its dependencies into $(VENV) (log: $(VENV)/install.log) …"
	@{ $(BIN)/python -m pip install --disable-pip-version-check --upgrade pip && \
	  $(BIN)/python -m pip install --disable-pip-version-check -c requirements.lock -e '.[test]'; \
	} >$(VENV)/install.log 2>&1 || { tail -n 30 $(VENV)/install.log >&2; \
	  echo "Installing failed; the whole log is in $(VENV)/install.log." >&2; exit 1; }
	@touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	@mkdir -p var
	@echo "Preparing the database and the demo data …"
	@$(BIN)/standing migrate --noinput -v 0 >var/migrate.log 2>&1 || { cat var/migrate.log >&2; exit 1; }
	@PORT=$(PORT) $(BIN)/standing demo >var/demo.txt 2>&1 || { cat var/demo.txt >&2; exit 1; }
	@echo
	@grep -v "API token" var/demo.txt
	@echo "  API tokens of each role: var/demo.txt · logs: var/server.log, var/worker.log"
	@echo
	@BIN=$(BIN) PORT=$(PORT) bash scripts/run.sh

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
