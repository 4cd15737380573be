# Two commands do all the set-up on a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export HOST PORT

.PHONY: run test lint format eval eval-news bench bench-extraction load soak screenshots clean

# PYTHONWARNINGS=ignore: setuptools prints a block of "Editable installation" warnings at
# every editable install; set-up output stays quiet unless something fails.
$(BIN)/policy-archive: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	PYTHONWARNINGS=ignore $(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.test-deps: $(BIN)/policy-archive
	PYTHONWARNINGS=ignore $(BIN)/pip install --quiet -e '.[test]'
	touch $@

run: $(BIN)/policy-archive
	$(BIN)/policy-archive migrate
	$(BIN)/policy-archive ingest --if-empty seeds/
	$(BIN)/policy-archive serve --host $(HOST) --port $(PORT)

# Browser tests drive the system's Chromium (Debian package); Playwright downloads nothing.
.PHONY: chromium
chromium:
	@command -v chromium >/dev/null 2>&1 || { apt-get update && apt-get install -y chromium chromium-driver; } \
		|| echo "chromium could not be installed: the browser tests will be skipped"

# The store contract tests run against a throwaway server from Debian's postgresql package
# (tests/postgres_server.py: initdb into a temporary folder, a free port, fsync off).
.PHONY: postgresql
postgresql:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { apt-get update && apt-get install -y postgresql; } \
		|| echo "postgresql could not be installed: the PostgreSQL tests will be skipped"
	@ls /usr/share/postgresql/*/extension/rum.control >/dev/null 2>&1 \
		|| { major=$$(ls /usr/lib/postgresql | sort -n | tail -1); \
			apt-get install -y postgresql-$$major-rum || { apt-get update && apt-get install -y postgresql-$$major-rum; }; } \
		|| echo "the rum extension could not be installed: the RUM search tests will be skipped"

# axe-core (MPL-2.0) for the accessibility tests, from the npm registry into the git-ignored
# .cache/; tests/browser/axe.py pins the version and installs it the same way if this has not.
AXE_VERSION := $(shell sed -n 's/^AXE_VERSION = "\(.*\)"/\1/p' tests/browser/axe.py)
AXE_JS := .cache/axe/node_modules/axe-core/axe.min.js
$(AXE_JS): tests/browser/axe.py
	@command -v npm >/dev/null 2>&1 || { apt-get update && apt-get install -y npm; } \
		|| echo "npm could not be installed: the accessibility tests will be skipped"
	-npm install --no-save --no-audit --no-fund --prefix .cache/axe axe-core@$(AXE_VERSION) && touch $@

test: $(VENV)/.test-deps chromium postgresql $(AXE_JS)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -q

format: $(VENV)/.test-deps
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# PNGs of the main pages at phone and desktop widths, over seeds/ in a temporary archive.
screenshots: $(VENV)/.test-deps chromium
	$(BIN)/python -m tests.browser.screenshots docs/screenshots

# Speed and size against SQLite FTS5 on a synthetic corpus: N=100000 make bench for the big run.
# BACKEND=postgres also ingests into PostgreSQL and serves from it (a throwaway server, or
# ARCHIVE_BENCH_POSTGRES_URL), in the same run.
N ?= 10000
BACKEND ?=
bench: $(BIN)/policy-archive
	$(BIN)/python -m bench.run --n $(N) $(if $(BACKEND),--backend $(BACKEND))
	$(BIN)/python -m bench.extraction --n 500

# Extraction alone (article, speakers, themes) per generated article: best of three rounds.
bench-extraction: $(BIN)/policy-archive
	$(BIN)/python -m bench.extraction --n 500

# The server under 50 connections for 60 s and a 500-connection burst (wrk, loopback only).
load: $(BIN)/policy-archive
	@command -v wrk >/dev/null 2>&1 || { apt-get update && apt-get install -y wrk; }
	$(BIN)/python -m bench.load --n $(or $(LOAD_N),2000)

# The long hostile runs: every payload spelling, more fuzzing, ten kills, a 2.5 GB gzip bomb,
# then the load check. The fast parts of tests/hostile run in `make test`.
soak: $(VENV)/.test-deps
	HOSTILE_FULL=1 $(BIN)/pytest -q tests/hostile
	$(MAKE) load

# Precision, recall and F1 of extraction on the labelled corpus and the held-out set.
eval: $(BIN)/policy-archive
	$(BIN)/python -m tests.extraction.evaluate
	$(BIN)/python -m tests.extraction.evaluate tests/extraction/holdout

# Extraction scored on real news, a PolNeAR checkout given by path (never the test split):
# make eval-news CORPUS=/path/to/PolNeAR [SPLIT=train]
SPLIT ?= dev
eval-news: $(BIN)/policy-archive
	@test -n "$(CORPUS)" || { echo "usage: make eval-news CORPUS=/path/to/PolNeAR [SPLIT=dev]"; exit 2; }
	$(BIN)/python -m tests.extraction.news "$(CORPUS)" --split $(SPLIT)

clean:
	rm -rf $(VENV) data .cache
