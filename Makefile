# hoso — one entry point for people and CI. Each target builds the environment it needs on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
PIP_FLAGS := --quiet --disable-pip-version-check
# Debian's Chromium, which the browser tests drive through Playwright (never `playwright install`).
export CHROMIUM_PATH ?= /usr/bin/chromium

.PHONY: run run-services test faults lint typecheck unit install clean chromium poppler bench ops-tools oidc-provider docs lock

# The locks pin every dependency, direct and transitive, with hashes: a fresh machine installs exactly what
# CI tested (requirements.lock for running, requirements-dev.lock with the test and lint tools too).
$(RUN_STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install $(PIP_FLAGS) --require-hashes --no-deps -r requirements.lock
	$(BIN)/pip install $(PIP_FLAGS) --no-deps -e .
	touch $@

$(DEV_STAMP): $(RUN_STAMP) pyproject.toml requirements-dev.lock
	$(BIN)/pip install $(PIP_FLAGS) --require-hashes --no-deps -r requirements-dev.lock
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
	$(BIN)/mypy shared services tests bench docs

## make chromium: Debian's Chromium for the browser tests, installed when missing (as root, with apt-get);
## otherwise a loud message, and a failure under CI=true
chromium:
	@if [ -x "$(CHROMIUM_PATH)" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing Debian's chromium for the browser tests (apt-get install chromium)..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core \
	    >/dev/null && [ -x "$(CHROMIUM_PATH)" ] && exit 0; \
	  echo "!!! apt-get could not install chromium at $(CHROMIUM_PATH)."; \
	else \
	  echo "!!! No Chromium at $(CHROMIUM_PATH), and it cannot be installed here (needs root and apt-get)."; \
	fi; \
	echo "!!! The browser tests will be SKIPPED. Install Debian's chromium package, or set CHROMIUM_PATH."; \
	if [ "$$CI" = "true" ]; then echo "!!! CI=true: the browser tests must run; failing."; exit 1; fi

## make poppler: Debian's poppler-utils (pdftotext, pdftoppm), with which the tests read the slips' text and
## render them to PNG, installed when missing (as root, with apt-get); otherwise a loud message, and a failure
## under CI=true
poppler:
	@if command -v pdftotext >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing Debian's poppler-utils for the slip tests (apt-get install poppler-utils)..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null \
	    && exit 0; \
	  echo "!!! apt-get could not install poppler-utils."; \
	else \
	  echo "!!! pdftotext or pdftoppm is missing, and cannot be installed here (needs root and apt-get)."; \
	fi; \
	echo "!!! The slip rendering tests will be SKIPPED. Install Debian's poppler-utils package."; \
	if [ "$$CI" = "true" ]; then echo "!!! CI=true: the slip rendering tests must run; failing."; exit 1; fi

## make ops-tools: Debian's docker-compose and kubectl for the deployment tests (tests/deploy), installed when
## missing (as root, with apt-get); otherwise a loud message, and a failure under CI=true
ops-tools:
	@if command -v docker-compose >/dev/null 2>&1 && command -v kubectl >/dev/null 2>&1; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing Debian's docker-compose and kubectl for the deployment tests (apt-get install)..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose kubectl >/dev/null \
	    && exit 0; \
	  echo "!!! apt-get could not install docker-compose and kubectl."; \
	else \
	  echo "!!! docker-compose or kubectl is missing, and cannot be installed here (needs root and apt-get)."; \
	fi; \
	echo "!!! The deployment tests will be SKIPPED."; \
	if [ "$$CI" = "true" ]; then echo "!!! CI=true: the deployment tests must run; failing."; exit 1; fi

## make oidc-provider: the tests' OpenID provider (the certified `oidc-provider` for Node.js, in
## tests/support/oidc_provider), installed from its package-lock.json with `npm ci` when missing or stale;
## otherwise a loud message, and a failure under CI=true
OIDC_PROVIDER := tests/support/oidc_provider
oidc-provider:
	@if [ -f "$(OIDC_PROVIDER)/node_modules/.package-lock.json" ] && \
	  [ ! "$(OIDC_PROVIDER)/package-lock.json" -nt "$(OIDC_PROVIDER)/node_modules/.package-lock.json" ]; then exit 0; fi; \
	if command -v npm >/dev/null 2>&1 && \
	  (cd $(OIDC_PROVIDER) && npm ci --no-audit --no-fund --loglevel=error >/dev/null); then exit 0; fi; \
	echo "!!! The tests' OpenID provider could not be installed (needs Node.js 20+ and npm: npm ci in $(OIDC_PROVIDER))."; \
	echo "!!! The OpenID Connect tests will be SKIPPED."; \
	if [ "$$CI" = "true" ]; then echo "!!! CI=true: the OpenID Connect tests must run; failing."; exit 1; fi

## make docs: regenerate docs/asyncapi.yaml (the event contract) and docs/openapi.json (the HTTP API)
docs: $(DEV_STAMP)
	$(BIN)/python -m docs.generate

## make test: lint, types, Chromium, poppler, the deployment tools and the tests' OpenID provider, then every
## test (RabbitMQ, browser, slip rendering, deployment and OpenID Connect tests must run under CI=true)
test: lint chromium poppler ops-tools oidc-provider
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## make faults: the fault scenarios on their own (tests/faults, and the end-to-end tests that report a figure),
## over the real RabbitMQ, then one table of their figures (scenario | what was done | figure | held/broke);
## fails when a test failed or a figure broke. `make test` runs the same tests as part of the suite; here the
## broker restart streams 2,000 dossiers (60 in `make test`), on a RabbitMQ node of the test's own, and the
## network is cut for 60 s as well as 10 s.
FAULT_FIGURES := test-artifacts/faults/figures.jsonl
FAULT_TESTS := tests/faults tests/e2e/test_idempotent_commands.py tests/e2e/test_paging.py \
	tests/e2e/test_downloads.py tests/e2e/test_authorization_matrix.py
faults: $(DEV_STAMP)
	@mkdir -p $(dir $(FAULT_FIGURES)); : > $(FAULT_FIGURES); \
	FAULTS_BROKER_RESTART_DOSSIERS=$${FAULTS_BROKER_RESTART_DOSSIERS:-2000} FAULTS_LONG=$${FAULTS_LONG:-1} \
	$(BIN)/python -m pytest $(FAULT_TESTS) $(PYTEST_ARGS); tests=$$?; \
	$(BIN)/python -m tests.support.figures; table=$$?; \
	if [ $$tests -ne 0 ]; then echo "pytest failed (exit $$tests)"; exit $$tests; fi; exit $$table

## make bench: how fast the pipeline and the API are, one table (bench/README.md); BENCH_ARGS="--quick" to try it
## Under a namespace of its own, so it never meets another run's queues, all deleted afterwards whatever happens.
bench: $(DEV_STAMP)
	@namespace=bench_$$(date +%Y%m%d%H%M%S)_$$$$; \
	NAMESPACE=$$namespace $(BIN)/python -m bench $(BENCH_ARGS); status=$$?; \
	NAMESPACE=$$namespace $(BIN)/python -m bench.cleanup; exit $$status

## make lock: re-resolve both locks from pyproject.toml (after changing its dependencies), with hashes
LOCK := $(BIN)/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url \
	--no-emit-find-links
lock: $(DEV_STAMP)
	$(LOCK) --upgrade --extra dev -o requirements-dev.lock pyproject.toml
	$(LOCK) --upgrade -c requirements-dev.lock -o requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache test-artifacts .hoso-dev $(OIDC_PROVIDER)/node_modules
