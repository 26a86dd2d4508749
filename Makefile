# Two commands do everything on a machine with Python 3.11+:
#   make run    set up, migrate, seed the workshop, create demo accounts, serve
#   make test   the whole suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt pyproject.toml 2>/dev/null | cksum | cut -d' ' -f1)
# `make run` is a local demo: DEBUG on, SQLite, jobs in-process, unless the
# environment says otherwise.
HOST   ?= 127.0.0.1
PORT   ?= 8000
# Links printed by the demo accounts and `invite` use the address served.
RUN_ENV := DEBUG=$${DEBUG:-1} SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)}

.PHONY: setup run test lint format migrate seed demo clean

setup: $(STAMP)

$(STAMP):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=python3.11)")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "Installing the pinned dependencies into $(VENV) ..."
	@# -qq: errors only (pip's notes about unreachable optional indexes are
	@# warnings); a failed install still prints why and stops make.
	@$(BIN)/python -m pip install -qq --disable-pip-version-check -r requirements.txt
	@rm -f $(VENV)/.installed-*
	@touch $@

# `make run` prints one line per step, then the sign-in table last, so the
# table is what the first screen shows (errors still print in full).
migrate: setup
	@echo "Migrating the database ..."
	@$(RUN_ENV) $(BIN)/python manage.py migrate --noinput -v 0

seed: migrate
	@$(RUN_ENV) $(BIN)/python manage.py seed_workshop

demo: seed
	@$(RUN_ENV) $(BIN)/python manage.py create_demo_accounts

run: demo
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	@# migrate has run the system checks; the demo needs no production warning.
	@$(RUN_ENV) DJANGO_RUNSERVER_HIDE_WARNING=true $(BIN)/python manage.py runserver --skip-checks $(HOST):$(PORT)

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache
