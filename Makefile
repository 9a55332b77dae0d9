# dondoc — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
ARGS   ?=
# The demo clock: Plan 78 shown mid-way, as its users lived it (demo and tests only).
DEMO_TODAY ?= 2024-10-15
# No mail server on a laptop: e-mail is written as .eml files to var/mail/ (page /nhac-viec/thu-da-ghi/);
# `make run DEMO_EMAIL_FOLDER=0` sends over the DONDOC_EMAIL_* SMTP server instead.
DEMO_EMAIL_FOLDER ?= 1

.PHONY: install run test bench lock clean

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
	  echo "Python's venv module is missing: on Debian, 'sudo apt-get install python3-venv', then run make again."; exit 1; }
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

install: $(STAMP)

## make run: install, migrate a SQLite database under var/, load the demo data, serve on http://127.0.0.1:8000
## (e-mail written to var/mail/, not sent)
run: install
	@mkdir -p var
	$(BIN)/dondoc migrate --noinput -v 0
	DONDOC_TODAY=$(DEMO_TODAY) DONDOC_EMAIL_FOLDER=$(DEMO_EMAIL_FOLDER) $(BIN)/dondoc demo
	DONDOC_TODAY=$(DEMO_TODAY) DONDOC_EMAIL_FOLDER=$(DEMO_EMAIL_FOLDER) $(BIN)/dondoc run

## make test: the whole suite (DATABASE_URL=postgres://... runs it on PostgreSQL; ARGS='-m "not nodb"' to filter)
test: install
	$(BIN)/pytest $(ARGS)

## make bench: benchmarks, figures printed as medians
bench: install
	$(BIN)/python bench/run.py

## make lock: re-pin requirements.lock from pyproject.toml (needs uv)
lock:
	uv pip compile pyproject.toml --extra test --generate-hashes --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) var/static
