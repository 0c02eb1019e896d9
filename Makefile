# `make demo` and `make test` create .venv themselves; nothing else needs to be installed first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench mutate clean translations codec

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

DEMO_DB := $(CURDIR)/instance/qrpos-demo.db

# the UI's compiled catalogues (.mo) are built from the .po files on every run, never committed
translations: $(STAMP)
	$(BIN)/python scripts/translations.py compile

# `make demo LAN=1`: HTTPS on the shop's network, for visitors' phones (camera scanning needs HTTPS)
SERVE_FLAGS := $(if $(LAN),--https --lan,)

demo: $(STAMP) translations codec
	$(BIN)/qrpos demo --db-file $(DEMO_DB)
	$(BIN)/qrpos --db sqlite:///$(DEMO_DB) serve $(SERVE_FLAGS)

# the codec's mypyc build (made on install) again, if a source changed since; the codec runs from
# its sources until then (pos/core/codec/compiled.py)
codec: $(STAMP)
	$(BIN)/python scripts/build_codec.py --if-stale

# the suite runs on the compiled codec; the codec's own tests run once more on its sources
test: $(STAMP) translations codec
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -q
	QRPOS_CODEC=python $(BIN)/python -m pytest -q tests/core/codec

bench: $(STAMP) codec
	$(BIN)/python benchmarks/settle.py
	$(BIN)/python benchmarks/codec.py
	$(BIN)/python benchmarks/http.py
	$(BIN)/python benchmarks/scanner.py
	$(BIN)/python benchmarks/live_status.py

# Mutation testing of the money paths (docs/mutation.md); not part of CI. SQLite only, 2 workers.
# One module: make mutate MUTANTS='pos.core.payments.refunds*'
MUTANTS ?=
mutate: $(STAMP)
	$(BIN)/pip install -q -e '.[test,dev]'
	env -u QRPOS_TEST_DATABASE_URL $(BIN)/mutmut run --max-children 2 $(MUTANTS)
	$(BIN)/python scripts/mutation_score.py

clean:
	rm -rf $(VENV) instance .pytest_cache .hypothesis mutants
