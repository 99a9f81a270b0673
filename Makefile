# careguide: the README's commands. `make run` and `make test` do everything on a fresh machine.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Debian packages the tests and the PDF/OCR/browser features need.
SYSTEM_PACKAGES := chromium fonts-noto-cjk fonts-wqy-zenhei espeak-ng
PIP := $(BIN)/pip -q --disable-pip-version-check

.PHONY: run install system-deps test eval bench lint fuzz clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "careguide needs Python 3.11+"'
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(PIP) install --upgrade pip setuptools wheel 2>&1 | grep -v "is ignored" || true
	$(PIP) install -e '.[dev]' 2>&1 | grep -v "is ignored" || true
	$(BIN)/python -c 'import careguide.api.app' # fails loudly if the install did not work
	touch $(STAMP)

install: $(STAMP)

system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get install -y -q $$missing >/dev/null || { $$SUDO apt-get update -q >/dev/null && $$SUDO apt-get install -y -q $$missing >/dev/null; }; \
	fi

run: install
	$(BIN)/careguide db upgrade
	$(BIN)/careguide demo seed
	$(BIN)/careguide run

test: install system-deps
	$(BIN)/pytest -p no:cacheprovider

eval: install
	$(BIN)/careguide eval all

# Each benchmark prints its figures and the ratio to a baseline measured in the same run.
# The 1 GB Apple Health stream test is left to `python bench/records.py` run by hand (about an hour here).
bench: install
	@for b in bench/*.py; do echo "== $$b"; \
	  case $$b in *records.py) args="--apple-mb 100";; *) args="";; esac; \
	  $(BIN)/python $$b $$args || exit 1; done

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

fuzz: install
	CAREGUIDE_FUZZ_SCALE=$${CAREGUIDE_FUZZ_SCALE:-25} $(BIN)/pytest -p no:cacheprovider tests/fuzz

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
