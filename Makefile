# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PORT ?= 5000
BIN := $(CURDIR)/$(VENV)/bin
export PATH := $(BIN):$(PATH)

.PHONY: install run test test-fast bench lint format docx-templates clean translations messages-extract messages-update

$(VENV)/.installed: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

## UI translations: German message ids, catalogues in toolbox/translations (see babel.cfg).
## The compiled .mo files are built here, not committed.
TRANSLATIONS := toolbox/translations
MO := $(patsubst %.po,%.mo,$(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po))

translations: $(MO)

$(TRANSLATIONS)/%/LC_MESSAGES/messages.mo: $(TRANSLATIONS)/%/LC_MESSAGES/messages.po $(VENV)/.installed
	$(BIN)/pybabel compile -i $< -o $@

## After changing UI texts: collect them (extract), then merge them into each catalogue
## (update) and translate what is new or marked fuzzy; tests/test_i18n.py checks this.
messages-extract: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k N_ --add-location=file --sort-output \
		--project=toolbox -o $(TRANSLATIONS)/messages.pot .

messages-update: messages-extract
	$(BIN)/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) --no-fuzzy-matching

## Start web and worker on the embedded default (SQLite + SQLite broker under ./var).
run: install translations
	toolbox db upgrade
	@echo ""
	@echo "  toolbox läuft auf http://127.0.0.1:$(PORT)  (beenden mit Strg+C)"
	@echo ""
	PORT=$(PORT) honcho start -p $(PORT) web worker beat

## The whole test suite: starts its own redis-server, workers and browsers; then the suite
## again on a private PostgreSQL server (browser tests and the bench smoke run once).
test: install translations
	$(BIN)/pytest
	TOOLBOX_TEST_DATABASE=postgresql $(BIN)/pytest -q --ignore=tests/browser --ignore=tests/test_bench_smoke.py

test-fast: install translations
	$(BIN)/pytest -m "not slow"

## Benchmark: bare renderers vs. the real pipeline (redis, gunicorn, workers); writes
## docs/PERFORMANCE.md. Takes a few minutes; see that file for what is measured.
bench: install
	$(BIN)/python -m bench.run

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Regenerate toolbox/documents/templates/docx/*.docx from tools/docx_templates/ (only when the layout changes).
docx-templates: install
	$(BIN)/python -m tools.build_docx_templates

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
