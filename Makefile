# Cocrea: `make run` sets everything up and serves the demo; `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEV := COCREA_ENVIRONMENT=development
HOST ?= 127.0.0.1
PORT ?= 8000
# Seconds between runs of `manage.py send_notifications` beside the server (reminders, work
# notices, the fan-out and the emails).
NOTIFY_EVERY ?= 900

.PHONY: run serve test lint format messages catalogues bench chaos topology clean

$(STAMP): requirements/base.txt requirements/dev.txt
	@command -v $(PYTHON) >/dev/null || { echo "Cocrea needs $(PYTHON) on the PATH."; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	touch $(STAMP)

var:
	mkdir -p var

# Compile the gettext catalogues with polib, so no system gettext is needed.
messages: $(STAMP)
	$(DEV) $(PY) manage.py compile_catalogues

run: $(STAMP) var messages
	$(DEV) $(PY) manage.py migrate --no-input
	$(DEV) $(PY) manage.py seed_demo
	$(DEV) $(PY) manage.py export_opendata --verbosity 0
	@# The background worker (exports after changes, OGP imports) runs beside the server,
	@# started again by bin/supervise if it ends, and the notifications' periodic work every
	@# NOTIFY_EVERY seconds through bin/every (docs/deployment.md).
	$(DEV) sh -c 'bin/supervise $(PY) manage.py run_worker --no-reload & worker=$$!; \
	  bin/every $(NOTIFY_EVERY) $(PY) manage.py send_notifications --verbosity 0 & notify=$$!; \
	  trap "kill $$worker $$notify 2>/dev/null" EXIT; \
	  $(PY) manage.py runserver $(HOST):$(PORT)'

# Production-like: gunicorn, DEBUG off, static files collected and served by WhiteNoise.
serve: $(STAMP) var messages
	$(DEV) $(PY) manage.py migrate --no-input
	COCREA_ENVIRONMENT=production COCREA_DEBUG=0 COCREA_HTTPS=0 \
	  COCREA_SECRET_KEY=$${COCREA_SECRET_KEY:-local-serve-only-$$(date +%s)} \
	  COCREA_ALLOWED_HOSTS=$${COCREA_ALLOWED_HOSTS:-127.0.0.1,localhost} \
	  sh -c '$(PY) manage.py collectstatic --no-input --verbosity 0 && \
	  { bin/supervise $(PY) manage.py run_worker --no-reload & worker=$$!; \
	  bin/every $(NOTIFY_EVERY) $(PY) manage.py send_notifications --verbosity 0 & notify=$$!; \
	  trap "kill $$worker $$notify 2>/dev/null" EXIT; \
	  $(VENV)/bin/gunicorn cocrea.wsgi:application --bind $(HOST):$(PORT) --workers 2 --no-control-socket; }'

test: $(STAMP) messages
	bin/system-packages
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	COCREA_ENVIRONMENT=test $(VENV)/bin/mypy cocrea
	$(VENV)/bin/lint-imports --no-cache

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Refresh the .po files from the code (needs GNU gettext's xgettext), then fill English.
catalogues: $(STAMP)
	$(DEV) $(PY) manage.py makemessages --locale es --locale en --no-obsolete --no-location
	$(DEV) $(PY) manage.py compile_catalogues --fill-english

# The benchmark (bench/run.py): page throughput against the plain-text floor, cached and uncached.
bench: $(STAMP) var messages
	bin/system-packages --bench
	$(PY) bench/run.py $(BENCH_ARGS)

# The chaos load test (bench/chaos.py): two minutes of reads and writes on gunicorn, PostgreSQL
# (DATABASE_URL) and Redis while a web worker, the database connections and the background
# worker are killed; fails on any 5xx, lost write or stopped worker.
chaos: $(STAMP) var messages
	bin/system-packages --bench
	$(PY) bench/chaos.py $(CHAOS_ARGS)

# The production topology (bench/topology.py, docs/deployment.md): nginx, two app servers, the
# worker, Redis, a PostgreSQL primary and replica of its own, five minutes of load with faults.
topology: $(STAMP) messages
	bin/system-packages --topology
	$(PY) bench/topology.py $(TOPOLOGY_ARGS)

clean:
	rm -rf $(VENV) var
