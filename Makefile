# Internationale: every target sets up what it needs itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml 2>/dev/null | cut -c1-12)
DEMO_ENV := INTERNATIONALE_DATA_DIR=$(CURDIR)/var INTERNATIONALE_HTTPS=false \
	INTERNATIONALE_SECRET_KEY_FILE=$(CURDIR)/var/secret_key

.PHONY: demo test lint bench format clean system-deps

# bean-check, which the tests run on the Beancount export, is GPL: it lives in a virtual
# environment of its own and runs as a separate program, never imported by the app.
BEAN_CHECK := .venv-beancount/bin/bean-check

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

$(BEAN_CHECK):
	$(PYTHON) -m venv .venv-beancount
	.venv-beancount/bin/pip install --quiet --disable-pip-version-check 'beancount>=3,<4'

var/secret_key:
	mkdir -p var
	$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	chmod 600 $@

demo: $(STAMP) var/secret_key
	@scripts/system-deps runtime
	$(DEMO_ENV) $(BIN)/internationale demo
	@echo "Serving on http://127.0.0.1:8000 (stop with Ctrl-C)"
	$(DEMO_ENV) $(BIN)/internationale serve --bind 127.0.0.1:8000

system-deps:
	@scripts/system-deps

test: $(STAMP) system-deps $(BEAN_CHECK)
	scripts/run-tests

lint: $(STAMP) system-deps
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	INTERNATIONALE_TESTING=true $(BIN)/mypy internationale
	$(BIN)/lint-imports
	INTERNATIONALE_TESTING=true $(BIN)/internationale makemigrations --check --dry-run
	scripts/check-translations

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP) system-deps
	INTERNATIONALE_TESTING=true $(BIN)/python benchmarks/page_weight.py
	INTERNATIONALE_TESTING=true $(BIN)/python benchmarks/ledger.py
	INTERNATIONALE_TESTING=true $(BIN)/python benchmarks/relay.py
	INTERNATIONALE_TESTING=true $(BIN)/python benchmarks/archive.py
	INTERNATIONALE_TESTING=true $(BIN)/python benchmarks/archive_search.py

clean:
	rm -rf $(VENV) .venv-beancount var
