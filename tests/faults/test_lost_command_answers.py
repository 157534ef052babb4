"""A command applied by its owner whose answer was lost on the way back to the gateway is not applied again
when the citizen or clerk retries it under the same `Idempotency-Key` (issue 17, scenario 3).

`make run-services` with a TCP proxy of the test's own between the gateway and each owner (intake,
processing, payment): armed for one request, the proxy passes it whole to the owner, which applies it and
answers, then drops the answer and resets the connection. The gateway can only answer 503 and keeps
nothing; the caller sends the command again under its key (two at once, then once more), and the owner,
which kept the key with the command's answer in the write that applied it, answers the first outcome.
Without that record, the retry makes a second draft, and a submit, an acceptance or a payment confirmed
is refused 409 although it went through.
"""

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from uuid import uuid4

import httpx
import pytest

from tests.e2e.client import detail, new_draft, ok, sign_in
from tests.e2e.conftest import Product, run_services
from tests.support.documents import attach_required
from tests.support.figures import report_figure
from tests.support.processes import free_port
from tests.support.tcp_proxy import AnswerCuttingProxy

pytestmark = [pytest.mark.rabbitmq, pytest.mark.slow, pytest.mark.e2e]

OWNERS = ("intake", "processing", "payment")


@dataclass
class LostAnswers:
    """The product, the proxy in front of each owner, and what the test saw."""

    product: Product
    proxies: dict[str, AnswerCuttingProxy]
    retried: list[str] = field(default_factory=list)


@pytest.fixture()
def lossy_product() -> Iterator[LostAnswers]:
    ports = {owner: free_port() for owner in OWNERS}
    proxies = {owner: AnswerCuttingProxy("127.0.0.1", port) for owner, port in ports.items()}
    for proxy in proxies.values():
        proxy.start()
    env = {**{f"{owner.upper()}_PORT": str(port) for owner, port in ports.items()},
           **{f"{owner.upper()}_URL": f"http://127.0.0.1:{proxy.port}" for owner, proxy in proxies.items()}}
    try:
        for product in run_services(env, log_name="faults-lost-command-answers"):
            yield LostAnswers(product, proxies)
    finally:
        for proxy in proxies.values():
            proxy.stop()


def lost_then_retried(lossy: LostAnswers, owner: str, request_start: bytes, client: httpx.Client, method: str,
                      path: str, **request: Any) -> list[httpx.Response]:
    """Send the command with the owner's answer lost, then again under the same key: two at once, one after.

    Answers the three retries, after checking that the first send got a 5xx (the outcome unknown)."""
    headers = {**request.pop("headers", {}), "Idempotency-Key": f"thu-lai-{uuid4().hex}"}
    lossy.proxies[owner].cut_next_answer(request_start)
    lost = client.request(method, path, headers=headers, **request)
    assert lost.status_code >= 500, (path, lost.status_code, lost.text)
    assert lossy.proxies[owner].cut[-1].startswith(request_start), lossy.proxies[owner].cut

    def again(_: int) -> httpx.Response:
        return client.request(method, path, headers=headers, **request)

    with ThreadPoolExecutor(2) as pool:
        retries = list(pool.map(again, range(2)))
    retries.append(again(2))
    first = retries[0]
    assert {(retry.status_code, retry.content) for retry in retries} == {(first.status_code, first.content)}, (
        path, [(retry.status_code, retry.text) for retry in retries])
    lossy.retried.append(f"{method} {path}")
    return retries


def test_a_command_whose_answer_was_lost_is_applied_once_and_its_retry_answers_its_outcome(
        lossy_product: LostAnswers) -> None:
    lossy, held = lossy_product, False
    base_url = lossy.product.base_url
    try:
        with sign_in(base_url) as citizen, sign_in(base_url, roles=["staff"]) as staff:
            # Creation (intake): the key leads to the same dossier.
            [created, *_] = lost_then_retried(lossy, "intake", b"POST /dossiers ", citizen, "POST", "/v1/dossiers",
                                              json=new_draft())
            dossier = ok(created, 201)["id"]
            drafts = ok(citizen.get("/v1/dossiers", params={"status": "draft"}))
            assert (drafts["total"], [item["id"] for item in drafts["items"]]) == (1, [dossier])

            attach_required(citizen, dossier, "SYT-KCB-01")
            [submitted, *_] = lost_then_retried(lossy, "intake", f"POST /dossiers/{dossier}/submit ".encode(),
                                                citizen, "POST", f"/v1/dossiers/{dossier}/submit")
            assert ok(submitted)["status"] == "submitted"

            # A staff action (processing), over the gateway's staff door.
            [accepted, *_] = lost_then_retried(
                lossy, "processing", f"POST /dossiers/{dossier}/actions/accept ".encode(), staff, "POST",
                f"/v1/staff/dossiers/{dossier}/accept")
            assert ok(accepted)["status"] == "received"
            for action in ("start-processing", "request-payment"):
                ok(staff.post(f"/v1/staff/dossiers/{dossier}/{action}"))
            # A citizen's payment and the clerk's confirmation (payment).
            [paying, *_] = lost_then_retried(lossy, "payment", f"POST /dossiers/{dossier}/payments ".encode(),
                                             citizen, "POST", f"/v1/dossiers/{dossier}/payments",
                                             json={"method": "at_office"})
            assert ok(paying)["state"] == "pending"
            [confirmed, *_] = lost_then_retried(
                lossy, "payment", f"POST /dossiers/{dossier}/actions/confirm-payment ".encode(), staff, "POST",
                f"/v1/staff/dossiers/{dossier}/confirm-payment", json={"method": "at_office", "receipt_number": "42"})
            assert ok(confirmed)["status"] == "paid"

            shown = detail(citizen, dossier)
            history = [entry["to"] for entry in shown["history"]]
            assert history == ["draft", "submitted", "received", "processing", "payment_requested", "paid"], history
            assert shown["version"] == ok(confirmed)["version"]
            assert ok(citizen.get("/v1/dossiers"))["total"] == 1
        held = True
    finally:
        cut = sum(len(proxy.cut) for proxy in lossy.proxies.values())
        report_figure("lost command answers", f"{cut} owner answers cut after the owner applied the command, "
                      f"each retried 3x under its key (2 at once + 1)",
                      f"{len(lossy.retried)} of 5 commands applied once, retries answered the first outcome",
                      held=held)
