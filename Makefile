# make run          install what running needs, build the site, migrate, serve on http://127.0.0.1:$${PORT:-8000}
# make test         install the test tools too, build the site, migrate, run the test suite
# make demo         fill an empty local database with a demo RAT season
# make reliability  the slow tests and bench/reliability.py; make fuzz, make bench: see below
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Each stamp names pyproject.toml's checksum: a changed pyproject.toml installs again.
SUM        := $(shell cksum pyproject.toml | cut -d' ' -f1)
RUN_STAMP  := $(VENV)/.installed-run-$(SUM)
TEST_STAMP := $(VENV)/.installed-test-$(SUM)
# The Nu Html Checker the browser tests run over every built page: npm's
# vnu-jar (run with Java), pinned; the jar's path is its stamp.
VNU_VERSION := 26.9.27
VNU        := $(VENV)/vnu-$(VNU_VERSION)/node_modules/vnu-jar/build/dist/vnu.jar
export NO_MKDOCS_2_WARNING := 1

.PHONY: run test install site migrate demo bench reliability fuzz clean

run: site migrate
	$(BIN)/gunicorn "portal:create_app()"

# Two workers (pytest-xdist), each file on one of them: most tests wait on a
# server, a browser or a database, so two cores finish in about half the time.
test: $(TEST_STAMP) $(VNU) site migrate
	$(BIN)/pytest -n 2 --dist loadfile

# Everything, for working on the project.
install: $(TEST_STAMP) $(VNU)

# What running needs: the portal and its dependencies (pip install -e .).
$(RUN_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	rm -f $(VENV)/.installed-*
	touch $@

# The test tools on top (pytest, Playwright, ...); fuzz, reliability and bench use them too.
$(TEST_STAMP): $(RUN_STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

$(VNU):
	npm install --prefix $(VENV)/vnu-$(VNU_VERSION) --no-audit --no-fund --no-save -E vnu-jar@$(VNU_VERSION)

# Each step runs only when something it is built from changed: the site
# from content, data and the core package; the portal's inline CSS (drawn
# from the built site's theme) from the portal too, so a change to the
# portal's code redoes that step alone.
SOURCES      = $(shell find $(1) -type f ! -name '*.pyc' ! -path '*/__pycache__/*' ! -name '*.gz' ! -name '*.br')
SITE_INPUTS := $(call SOURCES,content data hooks kkbc scripts/build_site.py) mkdocs.yml mkdocs-offline.yml
SITE_BUILT  := site/.built
PORTAL_CSS  := site/.portal-css

site: $(PORTAL_CSS)

$(SITE_BUILT): $(RUN_STAMP) $(SITE_INPUTS)
	$(BIN)/python scripts/build_site.py
	touch $@

$(PORTAL_CSS): $(SITE_BUILT) $(call SOURCES,portal kkbc) scripts/portal_css.py
	$(BIN)/python scripts/portal_css.py site
	touch $@

migrate: $(RUN_STAMP)
	$(BIN)/flask --app portal db upgrade

# A demo RAT season on an empty local database (refused in production).
demo: migrate
	$(BIN)/flask --app portal demo

# Opt-in measurements (minutes, not part of `make test`); see bench/RESULTS.md.
bench: $(TEST_STAMP) site
	$(BIN)/python bench/server.py
	$(BIN)/python bench/page_weight.py
	$(BIN)/python bench/first_paint.py
	$(BIN)/python bench/lighthouse.py

# The slow tests (a longer load with a killed worker), then the full-size scenarios.
reliability: $(TEST_STAMP)
	$(BIN)/pytest -m slow
	$(BIN)/python bench/reliability.py

fuzz: $(TEST_STAMP)
	FUZZ_EXAMPLES=10000 $(BIN)/pytest -q tests/portal/test_fuzz.py

clean:
	rm -rf site dist .pytest_cache
