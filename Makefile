# `make demo` and `make test` create .venv themselves; nothing else needs to be installed first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench mutate clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

DEMO_DB := $(CURDIR)/instance/qrpos-demo.db

demo: $(STAMP)
	$(BIN)/qrpos demo --db-file $(DEMO_DB)
	$(BIN)/qrpos --db sqlite:///$(DEMO_DB) serve

test: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/settle.py
	$(BIN)/python benchmarks/codec.py
	$(BIN)/python benchmarks/http.py

# Mutation testing of the money paths (docs/mutation.md); not part of CI. SQLite only, 2 workers.
# One module: make mutate MUTANTS='pos.core.payments.refunds*'
MUTANTS ?=
mutate: $(STAMP)
	$(BIN)/pip install -q -e '.[test,dev]'
	env -u QRPOS_TEST_DATABASE_URL $(BIN)/mutmut run --max-children 2 $(MUTANTS)
	$(BIN)/python tools/mutation_score.py

clean:
	rm -rf $(VENV) instance .pytest_cache .hypothesis mutants
