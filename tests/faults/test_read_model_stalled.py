"""A command the owning service applied is answered 2xx, whatever the read model does meanwhile.

`make run-services` with the query service stopped dead (SIGSTOP: its socket still accepts, nothing answers,
as a service stuck under load does) while a citizen creates and submits a dossier and a clerk accepts it.
Each command is applied by its owner, so each answer is its outcome, with the version and
`X-Read-Model: behind`; a 5xx would tell the caller that nothing changed, which is false. Once query runs
again, it shows every one of them.
"""

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.client import new_draft, ok, sign_in
from tests.e2e.conftest import Product, run_services
from tests.support.documents import attach_required
from tests.support.waiting import eventually_sync

pytestmark = [pytest.mark.rabbitmq, pytest.mark.e2e]


@pytest.fixture(scope="module")
def product() -> Iterator[Product]:
    # A short read-your-writes wait, so that a stalled read model costs the test a second per command.
    yield from run_services({"READ_YOUR_WRITES_SECONDS": "1"})


def service_pid(supervisor_pid: int, module: str) -> int:
    """The pid of `python -m services.<module>` among the supervisor's children."""
    children = Path(f"/proc/{supervisor_pid}/task/{supervisor_pid}/children").read_text().split()
    for child in children:
        if f"services.{module}" in Path(f"/proc/{child}/cmdline").read_bytes().decode().split("\0"):
            return int(child)
    raise AssertionError(f"no services.{module} under {supervisor_pid}")


def test_commands_applied_while_query_is_stalled_answer_their_outcome(product: Product) -> None:
    assert product.supervisor_pid is not None
    query = service_pid(product.supervisor_pid, "query")
    with sign_in(product.base_url) as citizen, sign_in(product.base_url, roles=["staff"]) as staff:
        ready = ok(citizen.post("/v1/dossiers", json=new_draft()), 201)["id"]
        attach_required(citizen, ready, "SYT-KCB-01")
        os.kill(query, signal.SIGSTOP)
        try:
            answers = {
                "create": citizen.post("/v1/dossiers", json=new_draft("Tạo khi dịch vụ tra cứu đứng")),
                "submit": citizen.post(f"/v1/dossiers/{ready}/submit"),
            }
            answers["accept"] = staff.post(f"/v1/staff/dossiers/{ready}/accept")
        finally:
            os.kill(query, signal.SIGCONT)
        behind = {name: (answer.status_code, answer.headers.get("x-read-model")) for name, answer in answers.items()}
        print(f"FIGURE read model stalled | create, submit, accept with query SIGSTOPped | answered "
              f"{behind} | {'held' if behind == EXPECTED else 'broke'}")
        assert behind == EXPECTED
        created, accepted = answers["create"].json(), answers["accept"].json()
        assert answers["submit"].json()["status"] == "submitted" and accepted["status"] == "received"

        def shown(client: httpx.Client, path: str, version: int) -> bool:
            seen = client.get(path)
            return seen.status_code == 200 and seen.json()["version"] >= version

        # Applied, as answered: the read model shows each once it runs again.
        eventually_sync(lambda: shown(citizen, f"/v1/dossiers/{created['id']}", created["version"]), 15,
                        what="the draft created during the stall")
        eventually_sync(lambda: shown(staff, f"/v1/staff/dossiers/{ready}", accepted["version"]), 15,
                        what="the acceptance during the stall")
        assert ok(citizen.get(f"/v1/dossiers/{ready}"))["status"] == "received"
        # Caught up, the same command is answered without the sign.
        attach_required(citizen, created["id"], "SYT-KCB-01")
        caught_up = citizen.post(f"/v1/dossiers/{created['id']}/submit")
        assert caught_up.status_code == 200 and "x-read-model" not in caught_up.headers


EXPECTED = {"create": (201, "behind"), "submit": (200, "behind"), "accept": (200, "behind")}
