"""Starting the product as real processes for tests: the embedded run and the services run."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx

from services.distributed import SERVICES

ROOT = Path(__file__).resolve().parents[2]
LOG_DIR = ROOT / "test-artifacts" / "logs"


def free_port() -> int:
    return free_ports(1)[0]


def free_ports(count: int) -> list[int]:
    """`count` ports free now, all different: each probe is held until the last is bound (one closed
    first could be handed out again, as two services' ports once were)."""
    with ExitStack() as held:
        probes = [held.enter_context(socket.socket()) for _ in range(count)]
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        return [int(probe.getsockname()[1]) for probe in probes]


def service_ports_env(gateway_port: int) -> dict[str, str]:
    """`make run-services`' port variables (INTAKE_PORT, …): a free port for each, all different, none the
    gateway's."""
    variables = [variable for _name, variable, _offset in SERVICES]
    # One more than needed, held together: at least as many as needed differ from the gateway's too.
    free = [str(port) for port in free_ports(len(variables) + 1) if port != gateway_port][:len(variables)]
    return dict(zip(variables, free, strict=True))


def wait_until_ready(url: str, process: subprocess.Popen[bytes], timeout: float = 120.0) -> None:
    """Poll `url` until it answers 200; fail early if the process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode} before {url} was ready")
        try:
            if httpx.get(url, timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} not ready after {timeout} s")


@contextmanager
def running(module: str, env: dict[str, str], ready_url: str, log_name: str) -> Iterator[subprocess.Popen[bytes]]:
    """`python -m <module>` with `env`, its output kept under test-artifacts/logs, stopped on exit."""
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    with open(LOG_DIR / f"{log_name}.log", "ab") as log:
        process = subprocess.Popen([sys.executable, "-m", module], cwd=ROOT, env={**os.environ, **env},
                                   stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_until_ready(ready_url, process)
            yield process
        finally:
            stop(process)


def stop(process: subprocess.Popen[bytes], *, kill: bool = False) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGKILL if kill else signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)
