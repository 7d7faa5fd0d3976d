# docgen — the two set-up commands on a fresh machine:
#   make demo   install missing system packages, build a venv, then validate the samples,
#               print their status, publish (every .docx, PDFs of signed documents, the site)
#               and write the web editor into the site (build/site/admin)
#   make test   install missing system packages, build a venv with the test tools, then run
#               the whole test suite
# System packages (system-packages.txt) are installed with apt-get when running as root on
# Debian/Ubuntu; otherwise the exact command is printed.  SYSTEM_PACKAGES=skip goes on without.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
export SYSTEM_PACKAGES

.PHONY: demo test lint bench clean messages system-demo system-test

$(BIN)/docgen: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	touch $@

system-demo system-test: system-%:
	scripts/system-packages $*

demo: system-demo $(BIN)/docgen
	$(BIN)/docgen validate
	$(BIN)/docgen status
	$(BIN)/docgen publish
	-$(BIN)/docgen cms install
	-$(BIN)/docgen cms

test: system-test $(BIN)/docgen
	-$(BIN)/docgen cms install
	$(BIN)/python -m pytest

lint: $(BIN)/docgen
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src
	$(BIN)/mypy

bench: $(BIN)/docgen
	scripts/system-packages bench
	$(BIN)/python bench/validate.py
	$(BIN)/pip install -q -e ".[test,dev,bench]"
	$(BIN)/python bench/render.py
	$(BIN)/python bench/publish.py
	$(BIN)/python bench/redline.py
	$(BIN)/python bench/import_xlsx.py
	$(BIN)/python bench/large_plan.py
	$(BIN)/python bench/pdf.py

# re-extract the message ids (babel.cfg) and merge them into each language's .po
LOCALE = src/docgen/data/locale
messages: $(BIN)/docgen
	$(BIN)/pybabel extract -F babel.cfg -k t -k N_ -k msg --no-location --sort-output \
		--project docgen -o $(LOCALE)/docgen.pot .
	$(BIN)/pybabel update -N -i $(LOCALE)/docgen.pot -d $(LOCALE) -D docgen -l zh --no-wrap --ignore-obsolete

clean:
	rm -rf $(VENV) build site
