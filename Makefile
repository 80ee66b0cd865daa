# Inspector: `make run` serves the app, `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app inspector
PORT ?= 5000
INSTANCE := $(or $(INSPECTOR_INSTANCE_PATH),instance)
# What the app needs at run time: WeasyPrint lays out PDFs with pango, in the CJK font it embeds.
RUNTIME_APT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk
# What the suite needs besides: the browser, PostgreSQL, Redis, and pdftotext/pdftoppm to read
# PDFs back.
APT_PACKAGES := $(RUNTIME_APT_PACKAGES) chromium postgresql redis-server poppler-utils

.PHONY: bench fuzz security run test lint install install-dev node-deps system-packages runtime-packages translations extract-messages clean

# Upgrades the database, seeds the demo data if it is empty, then serves gunicorn and runs the
# background worker (notifications, webhooks, documents) together; Ctrl-C stops both (scripts/serve).
run: install runtime-packages $(INSTANCE)/config.py
	BIN=$(BIN) PORT=$(PORT) scripts/serve

# The suite includes schemathesis against the API (tests/api/test_schemathesis.py) and a client
# generated from openapi.json (tests/api/test_openapi.py); both come with requirements-dev.txt.
# The suite runs on every core (pytest-xdist): each worker has its own databases and servers.
test: install-dev system-packages lint security
	npm test
	$(BIN)/pytest -n auto --durations=20

# Schemathesis deeper than make test's 15 examples per operation and kind of data.
fuzz: install-dev system-packages
	SCHEMATHESIS_EXAMPLES=100 $(BIN)/pytest -n auto tests/api/test_schemathesis.py

# Static security checks: bandit on our code (a finding fails unless a `# nosec` with its reason
# is beside it) and pip-audit on the installed packages (.ci/audit-ignore.txt lists exceptions).
security: install-dev
	$(BIN)/bandit -q -r inspector wsgi.py
	$(BIN)/python .ci/audit-dependencies

# ESLint and Prettier (pinned in package.json) for the field app's ES modules (static/js).
lint: install-dev node-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	npm run --silent lint

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev
node-deps: node_modules/.installed

# The field app's lint, format and unit-test tools, exactly as package-lock.json pins them.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null)
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

# The browser tests drive Debian's Chromium (playwright cannot download its own here);
# the suite also runs on a throwaway PostgreSQL server and a throwaway Redis it starts itself.
system-packages:
	@if ! command -v chromium >/dev/null || ! fc-list | grep -qi "noto sans cjk" \
		|| ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 \
		|| ! command -v redis-server >/dev/null \
		|| ! command -v pdftotext >/dev/null || ! command -v pdftoppm >/dev/null \
		|| ! /sbin/ldconfig -p | grep -q libpangoft2-1.0; then \
		echo "Installing $(APT_PACKAGES)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends $(APT_PACKAGES) >/dev/null; \
	fi

runtime-packages:
	@if ! fc-list | grep -qi "noto sans cjk" || ! /sbin/ldconfig -p | grep -q libpangoft2-1.0; then \
		echo "Installing $(RUNTIME_APT_PACKAGES)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends $(RUNTIME_APT_PACKAGES) >/dev/null; \
	fi

# A random secret key for this deployment, kept in the instance folder (never in git).
$(INSTANCE)/config.py:
	mkdir -p $(INSTANCE)
	@if [ -z "$$INSPECTOR_SECRET_KEY" ]; then \
		$(PYTHON) -c 'import secrets; print("SECRET_KEY = %r" % secrets.token_hex(32))' > $@; \
		echo "Wrote a new SECRET_KEY to $@"; \
	fi

# Translations: extract new strings, then edit inspector/translations/zh/LC_MESSAGES/messages.po.
extract-messages: install-dev
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k N_ -k "lazy_pgettext:1c,2" --ignore-dirs ".*" --no-location --sort-output -o inspector/translations/messages.pot inspector templates
	$(BIN)/pybabel update -i inspector/translations/messages.pot -d inspector/translations --no-fuzzy-matching --ignore-obsolete

translations: install
	$(BIN)/pybabel compile -d inspector/translations

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

# Benchmarks: about 30 minutes (the year archive of 5,000 inspections takes 17 of them);
# prints one table and writes it to docs/benchmarks.md.
bench: install-dev system-packages
	@command -v wrk >/dev/null || (apt-get update && apt-get install -y --no-install-recommends wrk)
	$(BIN)/python bench/run_all.py
