"""`make run-services`: every service its own process over RabbitMQ; the gateway on PORT.

A small supervisor for development: it starts the processes, passes each its port, stops them all on
Ctrl-C or SIGTERM, and stops everything if one dies. The gateway's development-token key and portal secret
are kept in the run's data directory (STORE_JOURNAL_DIR, or a temporary one for a run in memory), so that
tokens and portal sessions outlive a restart of the gateway, and of the run where its data does.
"""

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import FrameType

import httpx

from services.demo import load_demo_data
from services.gateway.settings import kept_secret
from shared.settings import DEFAULT_AMQP_URL

# Each service's port variable, and its default: the gateway's PORT plus this offset, so that two runs with
# different PORTs never collide (8000 → intake on 8101, query on 8102, …).
SERVICES = (("query", "QUERY_PORT", 102), ("processing", "PROCESSING_PORT", 103), ("payment", "PAYMENT_PORT", 104),
            ("notify", "NOTIFY_PORT", 105), ("slips", "SLIPS_PORT", 106), ("intake", "INTAKE_PORT", 101))
READY_SECONDS = 60.0

BANNER = """
  hoso — Quản lý tình trạng hồ sơ (chạy phân tán / each service its own process, over RabbitMQ)
  Cổng:     {gateway}/        đăng nhập thử: {gateway}/dang-nhap
  API:      {gateway}/v1      tài liệu (OpenAPI): {gateway}/docs
  Dịch vụ:  {services}
  RabbitMQ: {broker}; lưu trữ: {stores}
  {demo}
"""


def service_ports(environment: dict[str, str]) -> dict[str, int]:
    """Each service's port: its own variable when set, else the gateway's PORT (8000) plus its offset."""
    gateway_port = int(environment.get("PORT", "8000"))
    return {name: int(environment.get(variable) or gateway_port + offset) for name, variable, offset in SERVICES}


def _spawn(module: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", f"services.{module}"], env=env)


def main() -> int:
    base = dict(os.environ)
    base.setdefault("AMQP_URL", DEFAULT_AMQP_URL)
    host = base.get("HOST", "127.0.0.1")
    # Links in the emails point at the gateway, the one door citizens use.
    base.setdefault("PORTAL_URL", f"http://{host}:{base.get('PORT', '8000')}")
    children: list[subprocess.Popen[bytes]] = []
    ports = service_ports(base)
    urls = {f"{name.upper()}_URL": f"http://{host}:{port}" for name, port in ports.items()}
    for name, port in ports.items():
        # Notify fetches the receipt slip it attaches from the slips service; query and slips read the
        # applicant from intake, notify the owner's registered address and phone (the events carry none).
        children.append(_spawn(name, {**base, "PORT": str(port), "SLIPS_URL": urls["SLIPS_URL"],
                                      "INTAKE_URL": urls["INTAKE_URL"]}))
    journal_dir = base.get("STORE_JOURNAL_DIR")
    data_dir = Path(journal_dir) if journal_dir else Path(tempfile.mkdtemp(prefix="hoso-run-"))
    # Where the gateway reaches each service: where it listens, unless `<SERVICE>_URL` says otherwise (through
    # a proxy or a load balancer in front of it).
    gateway_urls = {**urls, **{name: base[name] for name in urls if base.get(name)}}
    gateway_env = {**base, **gateway_urls, "PORT": base.get("PORT", "8000"), "DEV_TOKENS": "true",
                   "PORTAL_SECRET": base.get("PORTAL_SECRET") or kept_secret(data_dir / "gateway-portal.secret")}
    if base.get("JWT_KEY"):
        gateway_env["JWT_ALGORITHMS"] = '["HS256"]'
    else:
        gateway_env["JWT_KEY_FILE"] = str(data_dir / "gateway-dev-jwt.key")
    children.append(_spawn("gateway", gateway_env))
    gateway = f"http://{host}:{gateway_env['PORT']}"
    with_demo = base.get("DEMO_DATA", "1") not in ("0", "false", "False")
    sys.stderr.write(BANNER.format(
        gateway=gateway, services=", ".join(f"{name.removesuffix('_URL').lower()} {url}" for name, url in urls.items()),
        broker=base["AMQP_URL"].split("@")[-1],
        stores="MongoDB" if base.get("MONGO_URL") else "trong bộ nhớ (MONGO_URL chưa đặt)",
        demo="Dữ liệu mẫu: người dân an.nguyen@example.vn; DEMO_DATA=0 để bắt đầu trống." if with_demo
        else "Không nạp dữ liệu mẫu (DEMO_DATA=0)."))
    try:
        return _supervise(children, gateway, with_demo)
    finally:
        if not journal_dir:
            shutil.rmtree(data_dir, ignore_errors=True)


def _supervise(children: list[subprocess.Popen[bytes]], gateway: str, with_demo: bool) -> int:
    if with_demo and not _load_demo_when_ready(gateway, children):
        _stop_all(children)
        return 1

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
    _stop_all(children)
    return exit_code


def _load_demo_when_ready(gateway: str, children: list[subprocess.Popen[bytes]]) -> bool:
    """Once every service answers through the gateway's readiness, load the demo data as `make run` does."""
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if any(child.poll() is not None for child in children):
            return False
        try:
            if httpx.get(f"{gateway}/readyz", timeout=2).status_code == 200:
                asyncio.run(_load_demo(gateway))
                return True
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    sys.stderr.write("hoso: the services were not ready in time; no demo data loaded\n")
    return False


async def _load_demo(gateway: str) -> None:
    async with httpx.AsyncClient(base_url=gateway, timeout=30) as client:
        await load_demo_data(client)


def _stop_all(children: list[subprocess.Popen[bytes]]) -> None:
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


if __name__ == "__main__":
    sys.exit(main())
