# Two entry points a newcomer needs: `make run` and `make test`. Both build the venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
EXAMPLE := sessions/2023-02-16-building-common-purpose.toml

.PHONY: run test test-fast lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/sessiontui run $(EXAMPLE)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

# In parallel, one worker per core; `test-fast` runs the pure core and the store alone, without
# the tests marked slow.
test: lint
	$(BIN)/python -m pytest -n auto

test-fast: $(STAMP)
	$(BIN)/python -m pytest -n auto -m "(core or store) and not slow"

bench: $(STAMP)
	$(BIN)/python bench/bench.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
