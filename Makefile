# Redline: two set-up commands on a fresh machine — `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
REDLINE := $(VENV)/bin/redline
STAMP := $(VENV)/.installed
DB ?= sqlite:///redline.db
HOST ?= 127.0.0.1
PORT ?= 8000
# The licensed data sets live beside the repository, never in it; library code reads them only
# from a flag or this variable (tests and benches that use them get it from here).
export REDLINE_DATASETS ?= $(abspath $(CURDIR)/../shared/datasets)
# Debian packages the tests need: PostgreSQL server, Chromium for Playwright, a CJK font
# for rendered test images and charts, Java for PySpark in local mode.
SYSTEM_PACKAGES := postgresql chromium fonts-wqy-microhei openjdk-17-jre-headless zip
# The demo needs only the font: it renders its planted document photos and charts with it.
DEMO_PACKAGES := fonts-wqy-microhei

.PHONY: venv demo test bench lint system-deps demo-deps assets clean help screenshots

help:
	@echo "make demo   - install, build the demo county, scan it, serve the console on $(HOST):$(PORT)"
	@echo "make test   - install everything the tests need (incl. PostgreSQL, Chromium) and run the suite"
	@echo "make bench  - run the benchmarks, figures in bench/results/*.json"
	@echo "make lint   - ruff, mypy on the core, import-linter"
	@echo "make screenshots - regenerate docs/screenshots/ (the reviewer's day in Chromium)"

venv: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -U pip wheel setuptools
	$(PY) -m pip install -q -r requirements.lock
	$(PY) -m pip install -q --no-deps --no-build-isolation -e .
	touch $@

system-deps:
	@$(MAKE) -s debian-packages PACKAGES="$(SYSTEM_PACKAGES)"

demo-deps:
	@$(MAKE) -s debian-packages PACKAGES="$(DEMO_PACKAGES)"

debian-packages:
	@missing=""; for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

assets: $(STAMP)
	@if [ -f src/redline/web/assets.mk ]; then $(MAKE) -s -f src/redline/web/assets.mk; fi

DEMO_OVERRIDES := $${REDLINE_DATA:-redline-data}/demo-overrides.yaml

demo: $(STAMP) demo-deps assets
	$(REDLINE) demo --db $(DB)
	mkdir -p "$${REDLINE_DATA:-redline-data}" && cp -n demo/overrides.yaml "$(DEMO_OVERRIDES)"
	REDLINE_OVERRIDES="$(DEMO_OVERRIDES)" $(REDLINE) scan --db $(DB) --files "$${REDLINE_DATA:-redline-data}/demo/bundle"
	REDLINE_OVERRIDES="$(DEMO_OVERRIDES)" $(REDLINE) serve --db $(DB) --host $(HOST) --port $(PORT) --demo-accounts

test: $(STAMP) system-deps assets
	$(PY) -m pytest -n 2 --dist loadgroup -q

# the README's pictures (docs/screenshots/): the reviewer's-day browser test on the demo county
screenshots: $(STAMP) system-deps assets
	REDLINE_SCREENSHOTS=docs/screenshots $(PY) -m pytest tests/web/console/test_console_reviewer_day.py \
		tests/web/console/test_reviewer_day_files_browser.py -q

bench: $(STAMP) system-deps assets
	$(PY) -m bench

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

clean:
	rm -rf $(VENV) redline.db redline.db-* .pytest_cache
