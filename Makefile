# TradePulse: `make run` builds everything and prints the KPIs; `make test` runs the tests.
# Set-up is idempotent: the venv is (re)installed only when pyproject.toml changed.

PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
STAMP := $(VENV)/.installed
# dagster-dbt runs the `dbt` executable: the venv's bin/ goes first on PATH.
export PATH := $(BIN):$(PATH)
export DAGSTER_HOME ?= $(CURDIR)/.dagster

.PHONY: setup run test dev lint bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

run: setup
	$(BIN)/tradepulse run

test: setup
	$(BIN)/pytest

dev: setup
	@mkdir -p $(DAGSTER_HOME)
	$(BIN)/dagster dev -w workspace.yaml

# Stage-by-stage figures against the plain-SQL floor (docs/performance.md); not a test.
# BENCH_ARGS passes options, e.g. `make bench BENCH_ARGS=--with-50m`.
bench: setup
	$(BIN)/python bench/pipeline.py $(BENCH_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	TRADEPULSE_WAREHOUSE=$(CURDIR)/data/warehouse.duckdb $(BIN)/sqlfluff lint dbt_project/models

clean:
	rm -rf $(VENV) .dagster .pytest_cache .ruff_cache dbt_project/target dbt_project/logs
	rm -rf data/warehouse.duckdb data/warehouse.duckdb.wal data/spark
	find data/marts -mindepth 1 ! -name README.md -exec rm -rf {} +
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
