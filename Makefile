# The few verbs people type. A fresh machine needs only python3 and make (Debian's
# python3-venv is installed on demand when the machine lacks it).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PG_TEST_URL ?=

.PHONY: run test bench lint install install-test messages clean-var

$(BIN)/python:
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  echo "python3-venv is missing; installing it with apt-get"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -q && apt-get install -y -q python3-venv; \
	  else sudo apt-get update -q && sudo apt-get install -y -q python3-venv; fi; \
	  rm -rf $(VENV); $(PYTHON) -m venv $(VENV); }
	@$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install -q -e '.[test]'
	@touch $@

install: $(VENV)/.installed

## make run: migrate, seed the demo site if empty, serve it with its task worker on http://127.0.0.1:$(PORT)
run: $(VENV)/.installed
	PORT=$(PORT) $(BIN)/akhbar serve

## make test: the whole suite on SQLite, then again on PostgreSQL when DATABASE_URL is set (with the cache on Redis when REDIS_URL is set too)
test: $(VENV)/.installed-test
	env -u DATABASE_URL -u REDIS_URL $(BIN)/python -m pytest
	@if [ -n "$$DATABASE_URL" ]; then \
	  echo "== again on PostgreSQL ($${DATABASE_URL%%@*}@…)$${REDIS_URL:+ with the cache on Redis ($${REDIS_URL##*@})}"; \
	  $(BIN)/python -m pytest; \
	fi

## make bench: benchmarks (not part of the test run); they print figures for docs/benchmarks.md
bench: $(VENV)/.installed-test
	$(BIN)/python -m bench

## make eval-search: search quality (MRR@10, success@10, P@10) and speed, stock vs Arabic analysis, SQLite and PostgreSQL; EVAL_ARGS="--db sqlite" narrows it (docs/search-eval.md)
.PHONY: eval-search
eval-search: $(VENV)/.installed-test
	$(BIN)/python -m bench.search_eval $(EVAL_ARGS)

## make messages: refresh the Arabic .po file and compile translations
messages: $(VENV)/.installed
	cd akhbar && DJANGO_SETTINGS_MODULE=akhbar.settings.dev ../$(BIN)/python -m django makemessages -l ar --no-obsolete --ignore='static/vendor/*'
	cd akhbar && DJANGO_SETTINGS_MODULE=akhbar.settings.dev ../$(BIN)/python -m django compilemessages

lint: $(VENV)/.installed-test
	DJANGO_SETTINGS_MODULE=akhbar.settings.test $(BIN)/python -m django check
	DJANGO_SETTINGS_MODULE=akhbar.settings.test $(BIN)/python -m django makemigrations --check --dry-run
