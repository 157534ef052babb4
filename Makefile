# hoso — one entry point for people and CI. Each target builds the environment it needs on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
PIP_FLAGS := --quiet --disable-pip-version-check

.PHONY: run run-services test lint typecheck unit install clean

$(RUN_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install $(PIP_FLAGS) -e .
	touch $@

$(DEV_STAMP): $(RUN_STAMP) pyproject.toml
	$(BIN)/pip install $(PIP_FLAGS) -e '.[dev]'
	touch $@

install: $(DEV_STAMP)

## make run: every service in one process on 127.0.0.1:$${PORT:-8000}, in memory, with demo data
run: $(RUN_STAMP)
	$(BIN)/python -m services.embedded

## make run-services: each service its own process over RabbitMQ (AMQP_URL), the gateway on $${PORT:-8000}
run-services: $(RUN_STAMP)
	$(BIN)/python -m services.distributed

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy shared services tests

## make test: lint, types, then every test (RabbitMQ tests must run under CI=true)
test: lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache test-artifacts
