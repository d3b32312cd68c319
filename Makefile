# Leerregie: `make run` to try it, `make test` to check it. Needs only Python 3.11.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium

.PHONY: run test lint suite browser messages bench clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { echo "Could not create a virtual environment. On Debian: apt-get install python3.11-venv"; exit 1; }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --if-empty
	@$(PY) manage.py login_hints
	@# daphne, with an access log without query strings or anything naming a pupil (config/serve.py)
	$(PY) -m config.serve -b 127.0.0.1 -p 8000 --websocket_connect_timeout 20 config.asgi:application

# Debian's Chromium for the browser tests: installed when missing and we are root.
# With REQUIRE_BROWSER=1 (CI) a missing Chromium is an error; otherwise those tests skip.
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  elif [ "$(REQUIRE_BROWSER)" = 1 ]; then \
	    echo "REQUIRE_BROWSER=1 but $(CHROMIUM) is missing (apt-get install chromium as root)"; exit 1; \
	  else \
	    echo "No $(CHROMIUM): browser tests will be skipped (run as root, or apt-get install chromium)"; \
	  fi; \
	fi

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	SECRET_KEY=lint $(PY) manage.py makemigrations --check --dry-run

# Two pytest workers (pytest-xdist): the browser tests wait on pages and sockets about
# half the time, so two share a 2-core machine well. TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= 2
suite: $(STAMP)
	$(VENV)/bin/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

test: $(STAMP) browser lint suite

# Extract strings (needs GNU gettext) and compile the catalogues (pure Python).
messages: $(STAMP)
	$(PY) manage.py makemessages -l nl --no-obsolete --ignore '.venv/*' --ignore 'frontend/static/*' --ignore 'tests/*' --ignore 'bench/*'
	$(PY) -m frontend.compile_messages

# Benchmarks (never part of make test); results in bench/results/.
bench: $(STAMP)
	$(PY) bench/photo.py
	$(PY) bench/photo_load.py
	$(PY) bench/export.py
	$(PY) bench/page_budget.py
	$(PY) bench/load.py

clean:
	rm -rf $(VENV) .pytest_cache
