# Rester chez soi: one command to run everything, one to test everything.
#   make run    set up both environments, the database, the content index and
#               the bot model, then serve the webapp, Rasa and the action server
#   make test   the same set-up, then the whole suite
# Every step is idempotent: stamps in .setup/ remember what is already done.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV      := .venv
BOT_VENV  := bot/.venv
PY        := $(VENV)/bin/python
BOT_PY    := $(BOT_VENV)/bin/python
STAMPS    := .setup
FLASK     := $(VENV)/bin/flask --app webapp
CHROMIUM  ?= /usr/bin/chromium
HOST      ?= 127.0.0.1
WEB_PORT  ?= 5000
RASA_PORT ?= 5005
ACTIONS_PORT ?= 5055
export WEBAPP_API_URL ?= http://$(HOST):$(WEB_PORT)
export RASA_URL ?= http://$(HOST):$(RASA_PORT)

.PHONY: help setup run test test-web test-bot system-deps translations db content-index \
        bot-model nlu-eval bench clean

help:
	@echo "make run    set up everything, then serve on http://localhost:$(WEB_PORT)"
	@echo "make test   set up everything, then run the whole suite"
	@echo "other targets: setup translations db content-index bot-model nlu-eval DATA=file.tsv bench clean"

setup: system-deps $(STAMPS)/webapp $(STAMPS)/bot $(STAMPS)/node translations db content-index bot-model

# --- system packages (Debian): Chromium for the browser tests, wrk for the benchmarks,
# DejaVu fonts for the PDF letters
system-deps:
	@missing=""; \
	[ -x "$(CHROMIUM)" ] || missing="$$missing chromium"; \
	command -v wrk >/dev/null 2>&1 || missing="$$missing wrk"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$$missing fonts-dejavu-core"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "missing system packages:$$missing (install them with your package manager, e.g. sudo apt-get install$$missing)"; exit 1; \
	  fi; \
	fi

# --- the webapp's environment (Python 3.11+)
$(STAMPS)/webapp: pyproject.toml requirements.lock
	@mkdir -p $(STAMPS)
	@[ -x $(PY) ] || $$(tools/find_python311.sh) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c requirements.lock -e '.[test,postgres]'
	@touch $@

# --- the bot's environment (Python 3.10, Rasa 3.6.21), kept apart from the webapp's
$(STAMPS)/bot: bot/requirements.txt bot/constraints.txt
	@mkdir -p $(STAMPS)
	@py310=$$(tools/find_python310.sh) || exit 1; \
	[ -x $(BOT_PY) ] || $$py310 -m venv $(BOT_VENV)
	$(BOT_PY) -m pip install -q --upgrade pip wheel
	$(BOT_PY) -m pip install -q -c bot/constraints.txt -r bot/requirements.txt
	@touch $@

# --- npm packages (axe-core for the accessibility tests), from the lock file
$(STAMPS)/node: package.json package-lock.json
	@mkdir -p $(STAMPS)
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

translations: $(STAMPS)/webapp
	$(PY) -m tools.i18n all

# Migrate, then load the directory files into the database (never overwrites staff edits).
db: $(STAMPS)/webapp
	$(FLASK) db upgrade
	$(FLASK) directory import

content-index: $(STAMPS)/webapp
	$(FLASK) content index

# Trains only when the bot's data, domain or config changed (see the script).
bot-model: $(STAMPS)/bot
	bot/scripts/train.sh

run: setup
	tools/run_all.sh

test: setup
	tools/run_tests.sh

# Evaluate the trained model on a TSV file: intent<TAB>text, '#' lines ignored.
nlu-eval: bot-model
	@[ -n "$(DATA)" ] || { echo "usage: make nlu-eval DATA=path/to/file.tsv"; exit 2; }
	$(BOT_PY) bot/scripts/nlu_eval.py "$(DATA)"

bench: setup
	$(PY) bench/http_bench.py
	$(PY) bench/triage_bench.py

clean:
	rm -rf $(STAMPS) instance bot/models bot/.train-stamp tests/browser/artifacts
