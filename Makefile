# Two entry points for a newcomer: `make demo` and `make test`.
# Both build .venv from this repository's own files (pyproject.toml) when it is missing or stale.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The demo: one article analysed in the terminal, then the bundled corpus (Wikinews sample + the seed)
# ingested into demo.db and summarised as stories.
demo: $(STAMP)
	$(BIN)/hearsay analyze examples/seed-article.txt
	rm -f demo.db demo.db-wal demo.db-shm
	$(BIN)/hearsay ingest examples/wikinews/wikinews.jsonl examples/seed-article.txt --db demo.db -j 2
	$(BIN)/hearsay stories --db demo.db --limit 10
	$(BIN)/hearsay story largest --db demo.db

test: $(STAMP)
	$(BIN)/ruff check hearsay tests scripts
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check hearsay tests scripts

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
