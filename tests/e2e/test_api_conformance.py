"""The API against its own contract: schemathesis drives `make run` from the gateway's OpenAPI, with a
citizen's token and a staff token, every check on, bounded in examples (and seeded, so that a run is the
same run). A status code a route answers that the OpenAPI does not name, a request the schema allows that
the API refuses (or one it forbids that the API takes), a wrong `Allow`: each is a failure."""

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.e2e.client import sign_in
from tests.support.processes import LOG_DIR, free_port, running

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

EXAMPLES = 4
ROLES = ("citizen", "staff")
# The coverage phase (every boundary of every parameter) takes some two minutes per role here: run it with
# CONFORMANCE_PHASES=examples,coverage,fuzzing.
PHASES = os.environ.get("CONFORMANCE_PHASES", "examples,fuzzing")
SEED = 20261202
# Stateful checks need the stateful phase (off: a bounded run); object-level authorization needs two
# accounts per operation, which tests/e2e/test_authorization_matrix.py covers route by route.
EXCLUDED = "use_after_free,ensure_resource_availability,object_level_authorization"
CONFIG = Path(__file__).with_name("schemathesis.toml")
HOOKS = Path(__file__).with_name("schemathesis_hooks.py")


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with running("services.embedded", {"PORT": str(port), "DEMO_DATA": "0", "LOOKUP_PER_MINUTE": "100000"},
                 f"{url}/readyz", "conformance"):
        yield url


def schemathesis(base_url: str, token: str, report: Path) -> tuple[int, str]:
    command = [str(Path(sys.executable).with_name("schemathesis")), "--config-file", str(CONFIG), "run",
               f"{base_url}/openapi.json",
               "--checks", "all", "--exclude-checks", EXCLUDED, "--max-examples", str(EXAMPLES),
               "--seed", str(SEED), "--phases", PHASES, "--workers", "1",
               "--generation-deterministic", "--no-color", "--request-timeout", "20"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=240, check=False,
                          env={**os.environ, "SCHEMATHESIS_HOOKS": str(HOOKS), "HOSO_TOKEN": token})
    report.write_text(done.stdout + done.stderr)
    return done.returncode, done.stdout


def test_the_api_answers_as_its_openapi_says(base_url: str) -> None:
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    tokens = {}
    for role in ROLES:
        with sign_in(base_url, roles=[role]) as client:
            tokens[role] = client.headers["Authorization"].removeprefix("Bearer ")
    # The two roles at once: each run waits on the API most of its time.
    with ThreadPoolExecutor(len(ROLES)) as pool:
        runs = dict(zip(ROLES, pool.map(lambda role: schemathesis(base_url, tokens[role], report_of(role)), ROLES),
                        strict=True))
    for role, (code, output) in runs.items():
        failures = dict(re.findall(r"❌ (ST\d+ [^:\n]+): (\d+)", output))
        cases = re.search(r"(\d+) generated", output)
        print(f"FIGURE api conformance ({role}) | schemathesis, every check, {EXAMPLES} examples per operation, "
              f"{cases.group(1) if cases else '?'} cases | failures {failures or 0} | "
              f"{'held' if code == 0 else 'broke'}")
    assert {role: code for role, (code, _output) in runs.items()} == dict.fromkeys(ROLES, 0), (
        f"schemathesis found failures; the reports are {[str(report_of(role)) for role in ROLES]}")


def report_of(role: str) -> Path:
    return LOG_DIR / f"schemathesis-{role}.txt"
