# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PORT ?= 5000
BIN := $(CURDIR)/$(VENV)/bin
export PATH := $(BIN):$(PATH)

.PHONY: install install-run vnu system-packages system-packages-test run test test-fast bench lint format docx-templates clean translations messages-extract messages-update

## Every pip install is pinned by constraints.txt (`pip freeze --exclude-editable` of a working
## test environment; regenerate it the same way after changing dependencies).
PIP := $(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt

## What `make run` needs: the runtime dependencies only.
$(VENV)/.installed-run: setup.cfg pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) --upgrade pip
	$(PIP) -e .
	touch $@

## What the tests, lint and the benchmark need in addition (the `test` extra).
$(VENV)/.installed-test: $(VENV)/.installed-run
	$(PIP) -e '.[test]'
	touch $@

install-run: $(VENV)/.installed-run
install: $(VENV)/.installed-test

## The Nu Html Checker (tests/browser/test_html_validity.py): vnu.jar from the npm registry,
## run with Debian's Java (default-jre-headless); installed here so the tests need no network.
VNU_VERSION := 26.9.27
VNU_JAR := $(VENV)/vnu/node_modules/vnu-jar/build/dist/vnu.jar
$(VNU_JAR):
	npm install --silent --no-audit --no-fund --prefix $(VENV)/vnu vnu-jar@$(VNU_VERSION)
	test -f $@ && touch $@
vnu: $(VNU_JAR)

## The Debian packages a run (or the tests) need; says what to apt-get install if any is missing.
system-packages:
	@PYTHON=$(PYTHON) tools/system_packages.sh run
system-packages-test:
	@PYTHON=$(PYTHON) tools/system_packages.sh test

## UI translations: German message ids, catalogues in toolbox/translations (see babel.cfg).
## The compiled .mo files are built here, not committed.
TRANSLATIONS := toolbox/translations
MO := $(patsubst %.po,%.mo,$(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po))

translations: $(MO)

$(TRANSLATIONS)/%/LC_MESSAGES/messages.mo: $(TRANSLATIONS)/%/LC_MESSAGES/messages.po $(VENV)/.installed-run
	$(BIN)/pybabel compile -i $< -o $@

## After changing UI texts: collect them (extract), then merge them into each catalogue
## (update) and translate what is new or marked fuzzy; tests/test_i18n.py checks this.
messages-extract: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k N_ --add-location=file --sort-output \
		--project=toolbox -o $(TRANSLATIONS)/messages.pot .

messages-update: messages-extract
	$(BIN)/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) --no-fuzzy-matching

## Start web and worker on the embedded default (SQLite + SQLite broker under ./var).
## Links in emails and QR codes point at $(PORT) unless TOOLBOX_BASE_URL says otherwise; it is
## passed to every process because honcho gives each one its own PORT (web 5000, worker 5100 …).
run: system-packages install-run translations
	toolbox db upgrade
	@echo ""
	@echo "  toolbox läuft auf http://127.0.0.1:$(PORT)  (beenden mit Strg+C)"
	@echo ""
	TOOLBOX_BASE_URL="$${TOOLBOX_BASE_URL:-http://127.0.0.1:$(PORT)}" PORT=$(PORT) honcho start -p $(PORT) web worker beat

## The whole test suite: starts its own redis-server, PostgreSQL, workers and browsers.
## One run, TEST_WORKERS pytest-xdist processes (most tests wait on real processes, so more
## than the two cores pays); every test that uses the database runs twice in it, on SQLite
## and on the private PostgreSQL server (browser tests and the bench smoke test: SQLite only).
TEST_WORKERS ?= 3
test: system-packages-test install vnu translations
	TOOLBOX_TEST_DATABASE=sqlite,postgresql $(BIN)/pytest -n $(TEST_WORKERS)

test-fast: install translations
	$(BIN)/pytest -n $(TEST_WORKERS) -m "not slow"

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
