# docgen — the two set-up commands on a fresh machine:
#   make demo   build a venv, then validate the samples, print their status, publish (every .docx + the site)
#   make test   build a venv with the test tools, then run the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: demo test lint bench clean

$(BIN)/docgen: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	touch $@

demo: $(BIN)/docgen
	$(BIN)/docgen validate
	$(BIN)/docgen status
	$(BIN)/docgen publish

test: $(BIN)/docgen
	$(BIN)/python -m pytest

lint: $(BIN)/docgen
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src
	$(BIN)/mypy

bench: $(BIN)/docgen
	$(BIN)/python bench/validate.py
	$(BIN)/pip install -q ".[bench]"
	$(BIN)/python bench/render.py
	$(BIN)/python bench/publish.py

clean:
	rm -rf $(VENV) build site
