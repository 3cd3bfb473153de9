# SIKAP — the two commands: `make run` and `make test`.   (CI: `bash .ci/run`)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
AXE := .cache/axe/node_modules/axe-core/axe.min.js
AXE_VERSION := 4.11.0
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in e-mails and certificate QR codes point to the address served (`make run PORT=8080`
# → http://127.0.0.1:8080) unless SITE_URL is set (in the environment or `make run
# SITE_URL=https://…`). Serving on 0.0.0.0 for other machines: set SITE_URL to the address
# they use.
SITE_URL ?= http://$(if $(filter 0.0.0.0 ::,$(HOST)),127.0.0.1,$(HOST)):$(PORT)
SITE_ENV := SITE_URL='$(SITE_URL)'
# Extra pytest arguments, e.g. `make test PYTEST_ARGS="-n 2 -x"`.
PYTEST_ARGS ?=

.PHONY: run serve test install system-deps translations axe lint lint-templates \
	migrations-check pytest worker beat bench bench-quick api-fuzz clean

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
	$(SITE_ENV) $(MANAGE) migrate --noinput
	$(SITE_ENV) $(MANAGE) seed_demo --with-demo-users
	$(MANAGE) collectstatic --noinput -v0
	@echo "SIKAP berjalan di http://$(HOST):$(PORT)  (tautan e-mail dan kode QR: $(SITE_URL); akun demo: asn / sikap-demo)"
	$(SITE_ENV) $(MANAGE) runserver $(HOST):$(PORT)

serve: install
	$(SITE_ENV) $(MANAGE) runserver $(HOST):$(PORT)

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

# Schemathesis over the whole API (every check, stateful phase, as BKPSDM and as ASN), longer
# than the run in `make test`: `make api-fuzz FUZZ_SECONDS=900`.
FUZZ_SECONDS ?= 300
api-fuzz: install
	SIKAP_FUZZ_SECONDS=$(FUZZ_SECONDS) $(BIN)/python -m pytest -p no:cacheprovider \
	  tests/security/test_api_fuzz.py -k schemathesis_all_checks $(PYTEST_ARGS)

worker: install
	$(SITE_ENV) $(BIN)/celery -A portal worker -l info

beat: install
	$(SITE_ENV) $(BIN)/celery -A portal beat -l info

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
