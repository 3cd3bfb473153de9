# SIKAP — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
AXE := .cache/axe/node_modules/axe-core/axe.min.js

.PHONY: run test install system-deps translations axe lint worker beat bench clean

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
	  npm install --prefix .cache/axe --no-save --no-audit --no-fund --silent axe-core@4.11.0 ; \
	else echo "npm tidak ada: uji aksesibilitas akan dilewati"; fi

axe: $(AXE)

run: system-deps install translations
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo --with-demo-users
	$(MANAGE) collectstatic --noinput -v0
	@echo "SIKAP berjalan di http://127.0.0.1:8000  (akun demo: asn / sikap-demo)"
	$(MANAGE) runserver 127.0.0.1:8000

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: install translations axe lint
	DJANGO_SETTINGS_MODULE=portal.settings.test $(MANAGE) makemigrations --check --dry-run
	$(BIN)/python -m pytest $(PYTEST_ARGS)

worker: install
	$(BIN)/celery -A portal worker -l info

beat: install
	$(BIN)/celery -A portal beat -l info

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .cache staticfiles db.sqlite3 .test-media
