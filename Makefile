# `make demo` and `make test` create .venv themselves; nothing else needs to be installed first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench clean

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
	$(BIN)/python benchmarks/live_status.py

clean:
	rm -rf $(VENV) instance .pytest_cache .hypothesis
