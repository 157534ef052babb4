"""`make run-services`: every service its own process over RabbitMQ; the gateway on PORT.

A small supervisor for development: it starts the processes, passes each its port and the shared
development-token secret, stops them all on Ctrl-C or SIGTERM, and stops everything if one dies.
"""

import os
import secrets
import signal
import subprocess
import sys
import time
from types import FrameType

from shared.settings import DEFAULT_AMQP_URL

SERVICES = (("query", "QUERY_PORT", 8102), ("processing", "PROCESSING_PORT", 8103), ("payment", "PAYMENT_PORT", 8104),
            ("notify", "NOTIFY_PORT", 8105), ("intake", "INTAKE_PORT", 8101))


def _spawn(module: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", f"services.{module}"], env=env)


def main() -> int:
    base = dict(os.environ)
    base.setdefault("AMQP_URL", DEFAULT_AMQP_URL)
    host = base.get("HOST", "127.0.0.1")
    # Links in the emails point at the gateway, the one door citizens use.
    base.setdefault("PORTAL_URL", f"http://{host}:{base.get('PORT', '8000')}")
    children: list[subprocess.Popen[bytes]] = []
    urls: dict[str, str] = {}
    for name, port_variable, default_port in SERVICES:
        port = base.get(port_variable, str(default_port))
        urls[f"{name.upper()}_URL"] = f"http://{host}:{port}"
        children.append(_spawn(name, {**base, "PORT": port}))
    gateway_env = {**base, **urls, "PORT": base.get("PORT", "8000"), "DEV_TOKENS": "true",
                   "JWT_KEY": base.get("JWT_KEY") or secrets.token_urlsafe(32), "JWT_ALGORITHMS": '["HS256"]'}
    children.append(_spawn("gateway", gateway_env))
    sys.stderr.write(f"hoso: services over RabbitMQ ({base['AMQP_URL'].split('@')[-1]}), "
                     f"gateway on http://{host}:{gateway_env['PORT']}/v1; stores "
                     f"{'in MongoDB' if base.get('MONGO_URL') else 'in memory (MONGO_URL unset)'}\n")

    stopping = False

    def stop(_signal: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    exit_code = 0
    while not stopping:
        for child in children:
            if child.poll() is not None:
                exit_code, stopping = child.returncode or 1, True
        time.sleep(0.2)
    for child in children:
        if child.poll() is None:
            child.terminate()
    # Each service bounds its own graceful stop (SHUTDOWN_GRACE_SECONDS per step); give them room for it.
    deadline = time.monotonic() + 45
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
