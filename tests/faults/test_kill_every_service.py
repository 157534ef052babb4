"""Kill -9 of every service at once, mid-stream, then a start on the same journals (issue 17, item 9).

`make run-services` with STORE_JOURNAL_DIR, a citizen submitting and a clerk accepting through the gateway,
and SIGKILL to the supervisor's whole process group (every service, the gateway too) while commands are in
flight. Started again on the same journal directory and namespace, every command that was answered 2xx is
in the read model once: no dossier lost, no history entry twice, no lookup code twice. The figure is the
time from the start until /readyz answers 200.
"""

import asyncio
import contextlib
import os
import signal
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.e2e.client import new_draft, ok, sign_in
from tests.e2e.conftest import delete_topology, services_env
from tests.support.broker import require_rabbitmq, unique_namespace
from tests.support.documents import attach_required
from tests.support.figures import report_figure
from tests.support.processes import free_port, running
from tests.support.waiting import eventually_sync

pytestmark = [pytest.mark.rabbitmq, pytest.mark.slow, pytest.mark.e2e]

DOSSIERS = 12
KILL_AFTER = 8  # commands answered 2xx before the kill: the rest are in flight or never sent
SETTLE_SECONDS = 60.0


def test_every_service_killed_and_restarted_on_its_journals_loses_nothing_and_doubles_nothing(tmp_path: Path) -> None:
    amqp_url, namespace, port = require_rabbitmq(), unique_namespace(), free_port()
    url = f"http://127.0.0.1:{port}"
    certificates = tempfile.TemporaryDirectory(prefix="hoso-faults-certificate-")
    env = services_env(port, amqp_url, namespace, certificates.name, {"STORE_JOURNAL_DIR": str(tmp_path)})
    log_name = f"faults-kill-every-service-{namespace}"
    answered: list[tuple[str, str]] = []  # (action, dossier id) answered 2xx before the kill
    try:
        with running("services.distributed", env, f"{url}/readyz", log_name) as supervisor:
            citizen, staff = sign_in(url), sign_in(url, roles=["staff"])
            drafts = [ok(citizen.post("/v1/dossiers", json=new_draft()), 201)["id"] for _ in range(DOSSIERS)]
            for dossier_id in drafts:
                attach_required(citizen, dossier_id, "SYT-KCB-01")
            enough = threading.Event()

            def kill_when_enough() -> None:
                enough.wait(timeout=120)
                os.killpg(supervisor.pid, signal.SIGKILL)  # the supervisor and every child: its process group

            killer = threading.Thread(target=kill_when_enough)
            killer.start()
            _stream(citizen, staff, drafts, answered, enough)
            enough.set()
            killer.join()
            supervisor.wait(timeout=10)
            assert supervisor.returncode == -signal.SIGKILL
        started = time.monotonic()
        with running("services.distributed", env, f"{url}/readyz", log_name):
            ready_seconds = time.monotonic() - started
            with httpx.Client(base_url=url, headers=citizen.headers, timeout=15) as reader:
                pending = list(answered)

                def all_there() -> bool:
                    pending[:] = [command for command in pending if not _in_effect(reader, *command)]
                    return not pending

                with contextlib.suppress(AssertionError):  # what is still pending then is reported, and fails
                    eventually_sync(all_there, timeout=SETTLE_SECONDS, what="every answered command in effect")
                seen = [reader.get(f"/v1/dossiers/{dossier_id}") for dossier_id in drafts]
                details = [answer.json() for answer in seen if answer.status_code == 200]
                held_in_all = sum(ok(reader.get("/v1/me/status-counts")).values())
    finally:
        certificates.cleanup()
        with ThreadPoolExecutor(1) as alone:
            alone.submit(asyncio.run, delete_topology(amqp_url, namespace)).result()
    twice = sum(len(detail["history"]) - len({(h["from"], h["to"]) for h in detail["history"]}) for detail in details)
    codes = [detail["lookup_code"] for detail in details if detail.get("lookup_code")]
    held = not pending and twice == 0 and len(codes) == len(set(codes)) and held_in_all == DOSSIERS
    report_figure("kill -9 of every service", f"{DOSSIERS} dossiers submitted and accepted through /v1, SIGKILL to "
                  f"every process after {len(answered)} commands answered 2xx, started again on the same journals",
                  f"ready {ready_seconds:.1f} s after the start; {len(answered) - len(pending)} of "
                  f"{len(answered)} answered commands in the read model; dossiers {held_in_all} of {DOSSIERS}; "
                  f"duplicate history entries {twice}, duplicate lookup codes {len(codes) - len(set(codes))}",
                  held=held)
    assert not pending, f"commands answered 2xx before the kill, missing after the restart: {pending}"
    assert held_in_all == DOSSIERS
    assert twice == 0 and len(codes) == len(set(codes))


def _stream(citizen: httpx.Client, staff: httpx.Client, drafts: list[str], answered: list[tuple[str, str]],
            enough: threading.Event) -> None:
    """Submit each draft and accept the one before it, until the kill cuts the requests short."""
    previous: str | None = None
    for dossier_id in drafts:
        commands = [("submit", dossier_id, citizen, f"/v1/dossiers/{dossier_id}/submit")]
        if previous is not None:
            commands.append(("accept", previous, staff, f"/v1/staff/dossiers/{previous}/accept"))
        for action, target, client, path in commands:
            try:
                answer = client.post(path)
            except httpx.TransportError:
                return  # killed under it: its outcome is unknown, and it is not counted
            if answer.status_code < 300:
                answered.append((action, target))
                if len(answered) >= KILL_AFTER:
                    enough.set()
        previous = dossier_id


def _in_effect(reader: httpx.Client, action: str, dossier_id: str) -> bool:
    answer = reader.get(f"/v1/dossiers/{dossier_id}")
    if answer.status_code != 200:
        return False
    detail = answer.json()
    if action == "submit":
        return detail["status"] in ("submitted", "received")
    return detail["status"] == "received" and detail.get("lookup_code") is not None
