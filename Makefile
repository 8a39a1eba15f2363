# 区域AI产业顾问 — set-up, run, test. `make run` and `make test` do all the set-up on a fresh machine.
SHELL := /bin/bash
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 7860
# llama.cpp is compiled for a portable x86-64 baseline (AVX2/FMA/F16C), never -march=native: a native
# build made on one server crashes on another (AMX code paths segfault on Sapphire Rapids Xeons).
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON \
  -DGGML_AVX512=OFF -DGGML_AVX_VNNI=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF
STAMP := $(VENV)/.installed-$(shell (cat pyproject.toml setup.py constraints.txt; echo '$(LLAMA_CMAKE_ARGS)') 2>/dev/null | sha1sum | cut -c1-12)
PIP := PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1 $(BIN)/pip -qq

.PHONY: setup run test test-fast lint format eval bench wheel-smoke clean system-deps

$(STAMP):
	@t0=$$(date +%s); echo "[1/3] 依赖：安装 Python 包并编译可移植的 llama.cpp（首次约 6–8 分钟）…"; \
	set -e; test -x $(BIN)/python || $(PY) -m venv $(VENV); \
	$(PIP) install --upgrade pip; \
	$(PIP) install torch==2.13.0; \
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(PIP) install --no-cache-dir --force-reinstall --no-deps \
	  -c constraints.txt 'llama-cpp-python==0.3.36'; \
	$(PIP) install -c constraints.txt -e '.[local,st,dev]'; \
	rm -f $(VENV)/.installed-*; touch $(STAMP); \
	echo "[1/3] 依赖：完成，用时 $$(( $$(date +%s) - t0 ))s"

setup: $(STAMP)  ## venv, dependencies, local model assembled, shipped corpus ingested
	$(BIN)/python -m advisor.devtools.prepare

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

wheel-smoke: $(STAMP)  ## build the wheel, install it in a fresh venv outside the checkout, ingest and ask there
	PY=$(abspath $(BIN)/python) .ci/wheel-smoke

clean:
	rm -rf .advisor test-artifacts evals/out
