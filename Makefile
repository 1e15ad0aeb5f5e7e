# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PORT ?= 5000
BIN := $(CURDIR)/$(VENV)/bin
export PATH := $(BIN):$(PATH)

.PHONY: install run test test-fast lint format docx-templates clean

$(VENV)/.installed: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

## Start web and worker on the embedded default (SQLite + SQLite broker under ./var).
run: install
	toolbox db upgrade
	@echo ""
	@echo "  toolbox läuft auf http://127.0.0.1:$(PORT)  (beenden mit Strg+C)"
	@echo ""
	PORT=$(PORT) honcho start -p $(PORT)

## The whole test suite: starts its own redis-server, workers and browsers.
test: install
	$(BIN)/pytest

test-fast: install
	$(BIN)/pytest -m "not slow"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Regenerate templates/docx/*.docx from tools/docx_templates/ (only when the layout changes).
docx-templates: install
	$(BIN)/python -m tools.build_docx_templates

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
