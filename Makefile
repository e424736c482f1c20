# WISMO Analytics — entry points. `make demo` runs it; `make test` checks everything.
SHELL := /bin/bash
.DEFAULT_GOAL := help

API := apps/api
WEB := apps/web
UV ?= $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
WISMO := cd $(API) && $(UV) run --frozen wismo
PG_TEST_URL ?= postgresql+asyncpg://postgres@127.0.0.1:5432/wismo_test
HOST ?= 127.0.0.1
PORT ?= 8000
# Fixed "todays" for the date-sensitive tests (marker `dated`): US DST starts and ends,
# EU DST starts, a leap day, the last day of a year. See README "Tests and dates".
TEST_DATES ?= 2026-03-08 2026-11-01 2026-03-29 2028-02-29 2026-12-31

.PHONY: help install install-api install-web build openapi demo serve migrate test lint \
        test-api test-api-sqlite test-api-postgres test-dated test-web check-openapi test-browser \
        bench clean

help:
	@echo "make demo   install, build, load demo data into var/wismo.db and serve on http://$(HOST):$(PORT)"
	@echo "make test   lint, type-check, API tests on SQLite and PostgreSQL (and at fixed dates),"
	@echo "            web tests, browser tests"
	@echo "make bench  benchmark harness (see bench/README.md)"

install: install-api install-web

install-api:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	cd $(API) && $(UV) sync --frozen --quiet

install-web:
	cd $(WEB) && npm ci --no-audit --no-fund --loglevel=error

build: install-web
	cd $(WEB) && npm run build

openapi: install-api
	cd $(API) && $(UV) run --frozen python -m app.openapi > openapi.json
	cd $(WEB) && npm run gen:api

migrate: install-api
	$(WISMO) migrate

demo: install build
	$(WISMO) migrate
	$(WISMO) demo --host $(HOST) --port $(PORT)
	$(WISMO) serve --host $(HOST) --port $(PORT)

serve: install-api
	$(WISMO) serve --host $(HOST) --port $(PORT)

lint: install-api
	cd $(API) && $(UV) run --frozen ruff check app tests
	cd $(API) && $(UV) run --frozen ruff format --check app tests
	cd $(API) && $(UV) run --frozen mypy app

check-openapi: install-api install-web
	cd $(API) && $(UV) run --frozen python -m app.openapi --check openapi.json
	cd $(WEB) && npm run check:api

test-api-sqlite: install-api
	cd $(API) && WISMO_TEST_BACKEND=sqlite $(UV) run --frozen pytest -q -p no:cacheprovider --ignore=tests/e2e

test-api-postgres: install-api
	cd $(API) && WISMO_TEST_BACKEND=postgres WISMO_TEST_DATABASE_URL=$(PG_TEST_URL) \
		$(UV) run --frozen pytest -q -p no:cacheprovider --ignore=tests/e2e --ignore=tests/unit

test-api: test-api-sqlite test-api-postgres

# The tests marked `dated` again, with the app's clock at each of TEST_DATES (SQLite).
test-dated: install-api
	@cd $(API) && for d in $(TEST_DATES); do \
		echo "== tests marked dated, clock at $$d 12:00 UTC"; \
		WISMO_TEST_TODAY=$$d WISMO_TEST_BACKEND=sqlite $(UV) run --frozen \
			pytest -q -p no:cacheprovider -m dated --ignore=tests/e2e || exit 1; \
	done

test-web: install-web
	cd $(WEB) && npm run typecheck && npm test && npm run build

test-browser: install-api build
	cd $(API) && $(UV) run --frozen pytest -q -p no:cacheprovider tests/e2e

test: lint check-openapi test-api test-dated test-web test-browser

bench: install-api
	cd $(API) && $(UV) run --frozen python ../../bench/run.py

clean:
	rm -rf var $(WEB)/dist $(WEB)/node_modules $(API)/.venv
