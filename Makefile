# Everything runs from the project virtualenv, built from requirements.lock (the pinned set).
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export DBT_PROFILES_DIR := $(CURDIR)/profiles
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

DEMO_DAYS ?= 30
DEMO_SEED ?= 7
LANDING := data/landing

.PHONY: venv demo test test-python test-dbt lint bench clean

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

demo: venv
	mkdir -p warehouse
	$(BIN)/ccmetrics generate --days $(DEMO_DAYS) --seed $(DEMO_SEED) --out $(LANDING)
	$(BIN)/ccmetrics load --landing $(LANDING)
	$(BIN)/dbt build --target dev --quiet
	$(BIN)/ccmetrics publish
	$(BIN)/ccmetrics scorecard

test: venv lint test-python test-dbt

test-python: venv
	$(BIN)/python -m pytest

# The fixture center: models, data tests with hand-computed values and unit tests; then the
# semantic layer is validated against the built warehouse (mf reads ./target).
test-dbt: venv
	mkdir -p warehouse
	CCMETRICS_DUCKDB_PATH=$${CCMETRICS_DUCKDB_PATH:-warehouse/ci.duckdb} $(BIN)/dbt build --target ci --full-refresh
	CCMETRICS_DUCKDB_PATH=$${CCMETRICS_DUCKDB_PATH:-warehouse/ci.duckdb} $(BIN)/mf validate-configs

lint: venv
	$(BIN)/ruff check python tests
	$(BIN)/ruff format --check python tests
	mkdir -p warehouse
	CCMETRICS_DUCKDB_PATH=warehouse/lint.duckdb $(BIN)/sqlfluff lint models tests analyses

bench: venv
	$(BIN)/python -m ccmetrics.bench --out bench/results.md

clean:
	rm -rf target logs warehouse data .pytest_cache
