# SIKAP — the two commands: `make run` and `make test`.   (CI: `bash .ci/run`)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
AXE := .cache/axe/node_modules/axe-core/axe.min.js
AXE_VERSION := 4.11.0
HOST ?= 127.0.0.1
PORT ?= 8000
# Extra pytest arguments, e.g. `make test PYTEST_ARGS="-n 2 -x"`.
PYTEST_ARGS ?=

.PHONY: run serve test install system-deps translations axe lint lint-templates \
	migrations-check pytest worker beat bench bench-quick clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ dibutuhkan")'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q -r requirements.txt
	@touch $@

install: $(VENV)/.installed

system-deps:
	@bash scripts/system-deps.sh

translations: install
	@$(MANAGE) compile_translations

$(AXE):
	@mkdir -p .cache/axe
	@if command -v npm >/dev/null 2>&1; then \
	  npm install --prefix .cache/axe --no-save --no-audit --no-fund --silent axe-core@$(AXE_VERSION) ; \
	else echo "npm tidak ada: uji aksesibilitas (axe-core) akan dilewati"; fi

axe: $(AXE)

# Fresh machine → running site with demo data. Running it again reuses what exists.
run: system-deps install translations
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo --with-demo-users
	$(MANAGE) collectstatic --noinput -v0
	@echo "SIKAP berjalan di http://$(HOST):$(PORT)  (akun demo: asn / sikap-demo)"
	$(MANAGE) runserver $(HOST):$(PORT)

serve: install
	$(MANAGE) runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check --exclude '*/migrations/*' .

# djhtml (template indentation) reports only: not yet enforced.
lint-templates: install
	-@$(BIN)/djhtml --check templates 2>&1 | tail -n 1

migrations-check: install
	DJANGO_SETTINGS_MODULE=portal.settings.test $(MANAGE) makemigrations --check --dry-run

pytest: install translations axe
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test: install translations axe lint lint-templates migrations-check
	$(BIN)/python -m pytest $(PYTEST_ARGS)

worker: install
	$(BIN)/celery -A portal worker -l info

beat: install
	$(BIN)/celery -A portal beat -l info

# Everything issue #8 asks for (≈ 15 min on 2 cores): pages at small/city/province, recompute,
# certificates, then on PostgreSQL + Redis the 60 s load test and 5,000 certificates through a
# real worker (skipped with a message when PostgreSQL, Redis or wrk are missing).
# `make bench-quick`: small + city pages, recompute and certificates only.
bench: install
	$(BIN)/python bench/run.py --province --load --with-worker 5000 $(BENCH_ARGS)

bench-quick: install
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .cache staticfiles db.sqlite3 .test-media
