# 区域AI产业顾问 — set-up, run, test. `make run` and `make test` do all the set-up on a fresh machine.
SHELL := /bin/bash
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 7860
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt 2>/dev/null | sha1sum | cut -c1-12)

.PHONY: setup run test test-fast lint format eval bench clean system-deps

$(STAMP):
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q torch==2.13.0            # CPU build first, or pip pulls CUDA
	$(BIN)/pip install -q -c constraints.txt -e '.[local,st,dev]'
	rm -f $(VENV)/.installed-*; touch $(STAMP)

setup: $(STAMP)  ## venv, dependencies, local model assembled, shipped corpus ingested
	$(BIN)/python -m advisor.setup

run: setup  ## the web app on the embedded defaults
	$(BIN)/advisor serve --host $(HOST) --port $(PORT)

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
system-deps:  ## Debian packages for browser tests and document rendering, installed only when missing
	@if ! command -v chromium >/dev/null || ! command -v soffice >/dev/null || ! command -v pdftoppm >/dev/null \
	    || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq \
	    chromium fonts-noto-cjk libreoffice-writer poppler-utils >/dev/null; fi

test: setup system-deps  ## the whole suite, slow tests included (what CI runs)
	$(BIN)/python -m pytest -q

test-fast: setup system-deps  ## skip the slow tests
	$(BIN)/python -m pytest -q -m "not slow"

lint:
	$(BIN)/ruff check advisor tests evals
	$(BIN)/ruff format --check advisor tests evals
	$(BIN)/mypy advisor

format:
	$(BIN)/ruff check --fix advisor tests evals
	$(BIN)/ruff format advisor tests evals

eval: setup
	$(BIN)/advisor eval --suite all --provider extractive

bench: setup
	$(BIN)/advisor bench --out bench/results.json

clean:
	rm -rf .advisor test-artifacts evals/out
