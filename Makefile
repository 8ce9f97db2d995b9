# gaptrack: `make demo` and `make test` do the whole set-up on a fresh machine.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: setup demo test check lint typecheck bench snapshots migration clean fuzz

# pst, tnef: the tests read Outlook stores and winmail.dat; both libraries (LGPL) stay optional
# extras for users.
$(STAMP): pyproject.toml
	@$(PY) -c 'import sys; assert sys.version_info >= (3, 11), "gaptrack needs Python 3.11+"'
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev,pst,tnef]'
	@touch $(STAMP)

setup: $(STAMP)  ## virtual environment with gaptrack and the dev tools

demo: setup  ## load the demo cases into a fresh database and open the TUI
	$(BIN)/gaptrack demo

# Test processes: one per core, at most 8 (TEST_WORKERS=0 runs the suite in one process).
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 1); [ $$n -gt 8 ] && n=8; echo $$n)

test: setup  ## the test suite on SQLite and (when it can be started) PostgreSQL
	tools/run-tests.sh -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check gaptrack tests bench tools

typecheck: setup
	$(BIN)/mypy

check: lint typecheck test  ## ruff, mypy and the tests

FUZZ_EXAMPLES ?= 200
fuzz: setup  ## the readers' fuzz tests at length (examples per reader and backend)
	GAPTRACK_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) tools/run-tests.sh tests/test_bad_input.py -k fuzz -s -q

bench: setup  ## benchmarks under bench/ (ratios against a baseline in the same run)
	$(BIN)/python -m bench $(BENCH_ARGS)

snapshots: setup  ## re-record the TUI's SVG snapshots after an intended change
	tools/run-tests.sh tests/tui --snapshot-update

migration: setup  ## autogenerate a migration: make migration MSG="what changed"
	$(BIN)/python tools/make_migration.py "$(MSG)"

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
