# Everything runs from the project virtualenv, built from requirements.lock (the pinned set).
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export DBT_PROFILES_DIR := $(CURDIR)/profiles
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

comma := ,
DEMO_DAYS ?= 30
DEMO_SEED ?= 7
LANDING := data/landing

# make demo owns target/ (mf and `ccmetrics publish` read target/ after it); make test writes
# its dbt artifacts and logs under target/ci/ only, one folder per build, so that running the
# tests never makes target/ describe another database.
CI_TARGET := target/ci

# The fixture center is also built under each of these var sets (make test-dbt), each into its
# own database (warehouse/ci_<name>.duckdb) and target folder (target/ci/<name>): changing a
# documented parameter must keep the build green. Unit tests pin the vars they depend on; the
# expected-value seeds (seeds/expected/, test expected_values, docs/testing.md) carry the
# answers worked out by hand for the values used here.
#   readme:    the README's example (24 h FCR window, abandons ignored, Berlin time)
#   new_york:  abandons count as met, 15 s threshold, any later contact is a repeat, New York
#              time (DST starts 2026-03-08, inside the fixture data), weeks start on Sunday
#   intervals: 15-minute intervals, abandons under 10 s are short
#   utc_mixed: 24 h window without reason matching, 15 s threshold, weeks start on Saturday,
#              in UTC
VARSETS := readme new_york intervals utc_mixed
VARSET_readme := {fcr_window_hours: 24, sl_abandon_treatment: ignore, reporting_timezone: Europe/Berlin}
VARSET_new_york := {sl_abandon_treatment: positive, sl_threshold_seconds: 15, fcr_match_reason: false, reporting_timezone: America/New_York, week_start: sunday}
VARSET_intervals := {interval_minutes: 15, short_abandon_seconds: 10}
VARSET_utc_mixed := {fcr_window_hours: 24, fcr_match_reason: false, sl_threshold_seconds: 15, week_start: Saturday}

# Files of the demo's target/ (everything but target/ci/) with size and time: make test checks
# that it leaves them as they were.
DEMO_TARGET_FINGERPRINT := find target -path $(CI_TARGET) -prune -o -type f -printf '%P %s %T@\n' 2>/dev/null | sort | cksum

.PHONY: venv demo test test-python test-dbt test-dbt-default test-dbt-native lint bench clean
.PHONY: venv-spark test-spark demo-spark
.PHONY: $(addprefix test-dbt-vars-,$(VARSETS))

venv: $(VENV)/.installed

# pip prints several lines per package, or nothing at all with --quiet, for minutes: the
# install shows one line per PIP_EVERY packages resolved, then one when it installs (errors and
# warnings go to stderr, untouched).
PIP_EVERY := 20
PIP_PROGRESS := awk -v total=$$(grep -c '==' requirements.lock) -v every=$(PIP_EVERY) \
	'/^(Collecting|Requirement already satisfied)/ { n++; if (n % every == 0) \
	{ printf "    %d of %d packages resolved\n", n, total; fflush() } } \
	/^Installing collected packages/ { print "    installing (about a minute)"; fflush() } \
	/^Successfully installed/ { print "    installed" }'

$(VENV)/.installed: requirements.lock pyproject.toml
	@echo "==> Installing the $$(grep -c '==' requirements.lock) pinned packages into $(VENV) (2-5 minutes, once)"
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@set -o pipefail; $(BIN)/python -m pip install --progress-bar off -r requirements.lock \
		| $(PIP_PROGRESS)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

# dbt build prints two lines per node (START and the result) for several hundred models,
# tests and unit tests: the demo shows what dbt found, one line per tenth of the nodes done,
# every node that warned, errored or failed in full, and dbt's summary (with the errors). The
# nodes to run are counted from the "Found" line (dbt's own "N of M" also counts metrics and
# semantic models, which run nothing).
DBT_PROGRESS := awk '/Found [0-9]+ models/ { sub(/^[0-9:]+ +/, ""); print "    " $$0; \
		n = split($$0, found, ", "); for (i = 1; i <= n; i++) { split(found[i], w, " "); \
		if (w[1] == "Found") { w[1] = w[2]; w[2] = w[3] } \
		if (w[2] ~ /^(models?|data|unit|seeds?|snapshots?|exposures?)$$/) total += w[1] } \
		fflush() } \
	$$3 == "of" && $$2 ~ /^[0-9]+$$/ && $$5 != "START" && $$6 != "hook:" && total { \
		done++; if ($$5 == "WARN" || $$5 == "ERROR" || $$5 == "FAIL") \
		{ sub(/^[0-9:]+ +/, "    "); print } \
		if (int(done * 10 / total) > shown) { shown = int(done * 10 / total); \
		printf "    %3d%%  %d of %d nodes done\n", done * 100 / total, done, total } fflush() } \
	/Finished running/ { summary = 1 } summary && NF > 1 { sub(/^[0-9:]+ +/, "    "); print }'

demo: venv
	mkdir -p warehouse
	@echo "==> Generating $(DEMO_DAYS) days of a synthetic center into $(LANDING) (10-30 seconds)"
	$(BIN)/ccmetrics generate --days $(DEMO_DAYS) --seed $(DEMO_SEED) --out $(LANDING)
	@echo "==> Loading $(LANDING) through the quality guard into warehouse/ (2-4 minutes)"
	$(BIN)/ccmetrics load --landing $(LANDING)
	@echo "==> dbt build --target dev: staging, marts, data and unit tests (1-3 minutes, parsing first)"
	@set -o pipefail; PYTHONUNBUFFERED=1 $(BIN)/dbt build --target dev --no-use-colors \
		| $(DBT_PROGRESS)
	@echo "==> Publishing the build as the snapshot readers use (seconds)"
	$(BIN)/ccmetrics publish
	@echo "==> Scorecard of the complete reporting days"
	$(BIN)/ccmetrics scorecard

test: venv
	mkdir -p $(CI_TARGET)
	$(DEMO_TARGET_FINGERPRINT) > $(CI_TARGET)/demo_target.before
	$(MAKE) --no-print-directory -j2 --output-sync=target lint test-dbt
	$(MAKE) --no-print-directory test-python
	$(DEMO_TARGET_FINGERPRINT) | cmp -s - $(CI_TARGET)/demo_target.before \
		|| { echo "make test changed the demo's target/ (mf and ccmetrics publish read it)"; exit 1; }

# Two workers, one test file each at a time (--dist loadfile), so that a file's module-scoped
# center is built once: the tests are dominated by generating, loading and building centers,
# which run side by side on the two cores.
test-python: venv
	$(BIN)/python -m pytest -n 2 --dist loadfile

# Each build has its own database and target folder, so `make -j2` runs two side by side (as
# `make test` does): a dbt build of the small fixture is mostly single-threaded Python (parsing,
# one node after another), and two of them take about the time of one.
test-dbt: test-dbt-default $(addprefix test-dbt-vars-,$(VARSETS)) test-dbt-native

# The fixture center under the defaults: models, data tests with hand-computed values and unit
# tests; then the semantic layer is validated against the built warehouse. mf reads
# target/semantic_manifest.json under the directory it runs in (it ignores DBT_TARGET_PATH),
# so it runs in a mirror of the project whose target/ is this build's folder.
test-dbt-default: venv
	mkdir -p warehouse
	DBT_TARGET_PATH=$(CI_TARGET)/default DBT_LOG_PATH=$(CI_TARGET)/default/logs \
		CCMETRICS_DUCKDB_PATH=$${CCMETRICS_DUCKDB_PATH:-warehouse/ci.duckdb} \
		$(BIN)/dbt build --target ci --full-refresh
	rm -rf $(CI_TARGET)/mf_project && mkdir -p $(CI_TARGET)/mf_project
	for entry in dbt_project.yml .dbtignore models macros seeds tests analyses; do \
		ln -s $(CURDIR)/$$entry $(CI_TARGET)/mf_project/$$entry; done
	ln -s $(CURDIR)/$(CI_TARGET)/default $(CI_TARGET)/mf_project/target
	db=$$(realpath -m $${CCMETRICS_DUCKDB_PATH:-warehouse/ci.duckdb}) \
		&& cd $(CI_TARGET)/mf_project \
		&& DBT_PROJECT_DIR=$$PWD DBT_TARGET_PATH=$$PWD/target DBT_LOG_PATH=$$PWD/target/logs \
		CCMETRICS_DUCKDB_PATH=$$db $(CURDIR)/$(BIN)/mf validate-configs

# The fixture center under one var set of VARSETS.
$(addprefix test-dbt-vars-,$(VARSETS)): test-dbt-vars-%: venv
	mkdir -p warehouse
	DBT_TARGET_PATH=$(CI_TARGET)/$* DBT_LOG_PATH=$(CI_TARGET)/$*/logs \
		CCMETRICS_DUCKDB_PATH=warehouse/ci_$*.duckdb \
		$(BIN)/dbt build --target ci --full-refresh --vars '$(VARSET_$*)'

# Spark runs in its own virtualenv (dbt-spark and PySpark, requirements-spark.lock), with Java 17.
SPARK_VENV := .venv-spark
SPARK_BIN := $(SPARK_VENV)/bin
SPARK_WAREHOUSE := warehouse/spark_ci

venv-spark: $(SPARK_VENV)/.installed

$(SPARK_VENV)/.installed: requirements-spark.lock pyproject.toml
	test -x $(SPARK_BIN)/python || $(PYTHON) -m venv $(SPARK_VENV) || python3 -m venv $(SPARK_VENV)
	$(SPARK_BIN)/python -m pip install --quiet --upgrade pip
	$(SPARK_BIN)/python -m pip install --quiet -r requirements-spark.lock
	$(SPARK_BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

# The fixture center on Spark (seeds, models, data tests, unit tests; dbt-spark in session mode
# through ccmetrics.spark_session), then every mart compared row by row with the DuckDB build
# of the same fixture (tests/spark). The seeds load first: dbt does not order them before the
# sources they stand in for.
test-spark: venv venv-spark
	rm -rf $(SPARK_WAREHOUSE) && mkdir -p $(SPARK_WAREHOUSE)
	export DBT_TARGET_PATH=$(CI_TARGET)/spark DBT_LOG_PATH=$(CI_TARGET)/spark/logs \
		CCMETRICS_SPARK_WAREHOUSE=$(SPARK_WAREHOUSE) \
		&& $(SPARK_BIN)/python -m ccmetrics.spark_session seed --target spark_ci --quiet \
		&& $(SPARK_BIN)/python -m ccmetrics.spark_session build --target spark_ci --full-refresh \
		--quiet
	DBT_TARGET_PATH=$(CI_TARGET)/spark_reference DBT_LOG_PATH=$(CI_TARGET)/spark_reference/logs \
		CCMETRICS_DUCKDB_PATH=warehouse/ci_spark_reference.duckdb \
		$(BIN)/dbt build --target ci --full-refresh --quiet
	CCMETRICS_SPARK_WAREHOUSE=$(SPARK_WAREHOUSE) CCMETRICS_DUCKDB_PATH=warehouse/ci_spark_reference.duckdb \
		$(BIN)/python -m pytest -q tests/spark

# The native formats' staging (models/staging/<system>/, enabled by var source_systems) on their
# hand-written quirk fixtures (seeds/fixtures/<system>_*.csv): models, column tests, unit tests
# and the hand-worked singular tests (tests/native/), with the canonical union models over the
# native systems only. Tests that need models outside the selection are left out (cautious).
# The seeds load first: dbt does not order them before the sources they stand in for.
NATIVE_SYSTEMS := asterisk connect rasa
test-dbt-native: venv
	mkdir -p warehouse
	export DBT_TARGET_PATH=$(CI_TARGET)/native DBT_LOG_PATH=$(CI_TARGET)/native/logs \
		CCMETRICS_DUCKDB_PATH=warehouse/ci_native.duckdb \
		&& $(BIN)/dbt seed --target ci --full-refresh --quiet \
		&& $(BIN)/dbt build --target ci --full-refresh --indirect-selection cautious \
		--vars '{source_systems: [$(subst $(eval) ,$(comma) ,$(NATIVE_SYSTEMS))]}' \
		--select $(addprefix path:models/staging/,$(NATIVE_SYSTEMS)) \
		stg_acd__contacts stg_acd__agent_states stg_bot__sessions stg_wfm__agents \
		stg_crm__customers path:tests/native

# The demo month on Spark: the raw tables `make demo` loaded (through the quality guard, its one
# path) exported as Parquet folders and registered as Spark's raw schema, built with the spark
# target (models, data tests, unit tests), and every mart compared with the DuckDB demo build.
SPARK_DEMO := warehouse/spark_demo
demo-spark: venv venv-spark
	test -f warehouse/ccmetrics.duckdb || $(MAKE) --no-print-directory demo
	rm -rf $(SPARK_DEMO)
	$(BIN)/python -m ccmetrics.spark_raw --db warehouse/ccmetrics.duckdb --out $(SPARK_DEMO)/raw
	export DBT_TARGET_PATH=target/spark_demo DBT_LOG_PATH=target/spark_demo/logs \
		CCMETRICS_SPARK_WAREHOUSE=$(SPARK_DEMO) CCMETRICS_SPARK_RAW=$(SPARK_DEMO)/raw \
		&& $(SPARK_BIN)/python -m ccmetrics.spark_session build --target spark --quiet
	CCMETRICS_SPARK_WAREHOUSE=$(SPARK_DEMO) CCMETRICS_DUCKDB_PATH=warehouse/ccmetrics.duckdb \
		$(BIN)/python -m pytest -q tests/spark

lint: venv
	$(BIN)/ruff check python tests
	$(BIN)/ruff format --check python tests
	mkdir -p warehouse
	DBT_TARGET_PATH=$(CI_TARGET)/lint DBT_LOG_PATH=$(CI_TARGET)/lint/logs \
		CCMETRICS_DUCKDB_PATH=warehouse/lint.duckdb $(BIN)/sqlfluff lint models tests analyses

# make bench SCALE=20 DAYS=120 generates, loads and builds a center of that size (10 M
# contacts) in a scratch folder; without them, the demo month (30 days at scale 1). SPARK=0
# leaves out the full build on Spark (about 7x DuckDB's). Parts alone:
# python -m ccmetrics.bench load --days 10 --scale 0.5 (ccmetrics load / plain DuckDB insert),
# python -m ccmetrics.bench scorecard --db PATH (scorecard latency over a published file).
bench: venv $(if $(filter 0,$(SPARK)),,venv-spark)
	$(BIN)/python -m ccmetrics.bench --out bench/results.md \
		$(if $(SCALE),--scale $(SCALE)) $(if $(DAYS),--days $(DAYS)) \
		$(if $(filter 0,$(SPARK)),--no-spark)

clean:
	rm -rf target logs warehouse data .pytest_cache
