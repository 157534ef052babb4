"""Every service's link to RabbitMQ cut (packets dropped, sockets left open) through one proxy of the tests'
own, while a citizen creates and submits dossiers and a clerk accepts them through the gateway (issue 17,
item 2): `make run-services` with real tokens over the real broker, only the network between them cut.

Every request made during the cut must end within its budget (the client's timeout); one refused (5xx) must
have changed nothing, and one answered 2xx must take effect once the link is back, each transition once.
The 10 s cut runs in every `make test`; the 60 s one with FAULTS_LONG=1.
"""

import contextlib
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from tests.e2e.client import new_draft, ok, sign_in, submitted_dossier
from tests.e2e.conftest import Product, run_services
from tests.support.broker import require_rabbitmq
from tests.support.documents import attach_required
from tests.support.figures import report_figure
from tests.support.tcp_proxy import BlackHoleProxy, through_proxy
from tests.support.waiting import eventually_sync

pytestmark = [pytest.mark.rabbitmq, pytest.mark.slow, pytest.mark.e2e]

BUDGET_SECONDS = 15.0  # the client's timeout: a request still unanswered then has hung
HEARTBEAT_SECONDS = 8
SETTLE_SECONDS = 60.0
CUTS = [10, pytest.param(60, marks=pytest.mark.skipif(os.environ.get("FAULTS_LONG") != "1",
                                                      reason="the 60 s cut runs with FAULTS_LONG=1"))]


@dataclass(frozen=True)
class Request:
    action: str  # create, submit or accept
    dossier_id: str | None
    status: int | None  # None: no answer within the budget
    seconds: float


@pytest.fixture()
def cut_product() -> Iterator[tuple[Product, BlackHoleProxy]]:
    """`make run-services`, every service's AMQP_URL pointing at one black-hole proxy to the real broker."""
    broker = urlsplit(require_rabbitmq())
    proxy = BlackHoleProxy(broker.hostname or "127.0.0.1", broker.port or 5672)
    proxy.start()
    env = {"AMQP_URL": through_proxy(require_rabbitmq(), proxy.port), "AMQP_HEARTBEAT_SECONDS": str(HEARTBEAT_SECONDS)}
    try:
        for product in run_services(env, log_name="faults-network-cut"):
            yield product, proxy
    finally:
        proxy.stop()


@pytest.mark.parametrize("cut_seconds", CUTS)
def test_a_network_cut_between_services_and_broker_loses_nothing_and_hangs_nothing(
        cut_product: tuple[Product, BlackHoleProxy], cut_seconds: int) -> None:
    product, proxy = cut_product
    prepared = max(6, cut_seconds // 3)  # enough for the commands of the whole cut
    with sign_in(product.base_url) as citizen, sign_in(product.base_url, roles=["staff"]) as staff:
        drafts = [ok(citizen.post("/v1/dossiers", json=new_draft()), 201)["id"] for _ in range(prepared)]
        for dossier_id in drafts:
            attach_required(citizen, dossier_id, "SYT-KCB-01")
        to_accept = [submitted_dossier(citizen) for _ in range(prepared)]

        proxy.black_hole()
        until = time.monotonic() + cut_seconds
        try:
            with ThreadPoolExecutor(3) as pool:
                made = [request for requests in pool.map(lambda work: work(), [
                    lambda: _creating(_budgeted(citizen), until),
                    lambda: _commanding(_budgeted(citizen), "submit", drafts, until),
                    lambda: _commanding(_budgeted(staff), "accept", to_accept, until)]) for request in requests]
        finally:
            proxy.restore()
        restored_at = time.monotonic()
        eventually_sync(lambda: _ready(product.base_url), timeout=SETTLE_SECONDS, what="/readyz 200 after the cut")
        ready_after = time.monotonic() - restored_at

        answered = [request for request in made if request.status is not None and request.status < 300]
        pending = list(answered)

        def all_in_effect() -> bool:
            pending[:] = [request for request in pending if not _took_effect(citizen, request)]
            return not pending

        with contextlib.suppress(AssertionError):  # what is still pending then is reported and fails the test
            eventually_sync(all_in_effect, timeout=SETTLE_SECONDS, what="every command answered 2xx in effect")
        in_effect_after = time.monotonic() - restored_at
        lost = [(request, _status(citizen, request.dossier_id or "")) for request in pending]
        refused = [request for request in made if request.status is not None and request.status >= 500]
        changed_by_refused = [request for request in refused if not _unchanged(citizen, request)]
        created = sum(request.action == "create" for request in answered)
        held_in_all = sum(ok(citizen.get("/v1/me/status-counts")).values())
        seen = [citizen.get(f"/v1/dossiers/{dossier_id}") for dossier_id in
                drafts + to_accept + [request.dossier_id for request in answered if request.action == "create"]]
        details = [ok(answer) for answer in seen if answer.status_code != 404]  # those missing are `lost`
    hung = [request for request in made if request.status is None or request.seconds > BUDGET_SECONDS]
    odd = [request for request in made if request.status is not None and 300 <= request.status < 500]
    twice = sum(len(detail["history"]) - len({(h["from"], h["to"]) for h in detail["history"]}) for detail in details)
    codes = [detail["lookup_code"] for detail in details if detail.get("lookup_code")]
    endings = Counter(f"{request.action} {request.status or 'hung'}" for request in made)
    counted = held_in_all == 2 * prepared + created
    held = not (lost or hung or odd or changed_by_refused or twice) and len(codes) == len(set(codes)) and counted
    report_figure(f"network cut {cut_seconds} s", f"every service's link to RabbitMQ black-holed for {cut_seconds} s "
                  f"while a citizen created and submitted and a clerk accepted through /v1 ({BUDGET_SECONDS:.0f} s "
                  "client budget)", f"{len(made)} requests during the cut: {dict(sorted(endings.items()))}, slowest "
                  f"{max(request.seconds for request in made):.1f} s, {len(hung)} hung; {len(refused)} refused, "
                  f"{len(changed_by_refused)} of them changed something; {len(answered)} answered 2xx, "
                  f"{len(answered) - len(lost)} in effect {in_effect_after:.1f} s after the link was back (ready "
                  f"{ready_after:.1f} s after it); duplicate history entries {twice}, duplicate lookup codes "
                  f"{len(codes) - len(set(codes))}", held=held)
    assert not lost, f"commands answered 2xx during the cut never took effect (request, now): {lost}"
    assert not hung, f"requests hung past their {BUDGET_SECONDS} s budget: {hung}"
    assert not odd, f"requests refused as the caller's fault during the cut: {odd}"
    assert not changed_by_refused, f"refused commands that changed something: {changed_by_refused}"
    assert counted, "a refused creation made a dossier, or an answered one is missing"
    assert twice == 0 and len(codes) == len(set(codes))


def _budgeted(client: httpx.Client) -> httpx.Client:
    """The same caller on a client of its own (one a thread), giving up after the budget."""
    return httpx.Client(base_url=client.base_url, headers=client.headers, timeout=BUDGET_SECONDS)


def _timed(action: str, dossier_id: str | None, send: Callable[[], httpx.Response]) -> tuple[Request, Any]:
    started = time.monotonic()
    try:
        answer = send()
    except httpx.TimeoutException:
        return Request(action, dossier_id, None, time.monotonic() - started), None
    body = answer.json() if answer.headers.get("content-type", "").startswith("application/json") else None
    return Request(action, dossier_id, answer.status_code, time.monotonic() - started), body


def _creating(client: httpx.Client, until: float) -> list[Request]:
    made = []
    with client:
        while time.monotonic() < until:
            request, body = _timed("create", None, lambda: client.post("/v1/dossiers", json=new_draft()))
            if request.status == 201:
                request = Request("create", body["id"], request.status, request.seconds)
            made.append(request)
    return made


def _commanding(client: httpx.Client, action: str, dossier_ids: list[str], until: float) -> list[Request]:
    path = "/v1/dossiers/{}/submit" if action == "submit" else "/v1/staff/dossiers/{}/accept"
    made = []
    with client:
        for dossier_id in dossier_ids:
            if time.monotonic() >= until:
                break
            made.append(_timed(action, dossier_id, partial(client.post, path.format(dossier_id)))[0])
    return made


def _ready(base_url: str) -> bool:
    try:
        return httpx.get(f"{base_url}/readyz", timeout=5).status_code == 200
    except httpx.TransportError:
        return False


def _status(citizen: httpx.Client, dossier_id: str) -> tuple[str | None, str | None]:
    """The dossier's status and lookup code as its owner reads them; none while the read model lacks it."""
    answer = citizen.get(f"/v1/dossiers/{dossier_id}")
    if answer.status_code == 404:
        return None, None
    detail = ok(answer)
    return detail["status"], detail.get("lookup_code")


def _took_effect(citizen: httpx.Client, request: Request) -> bool:
    assert request.dossier_id is not None
    status, lookup_code = _status(citizen, request.dossier_id)
    return {"create": status == "draft", "submit": status == "submitted",
            "accept": status == "received" and lookup_code is not None}[request.action]


def _unchanged(citizen: httpx.Client, request: Request) -> bool:
    """A refused creation has no dossier to look at: the count of the citizen's dossiers checks those."""
    if request.dossier_id is None:
        return True
    return _status(citizen, request.dossier_id)[0] == {"submit": "draft", "accept": "submitted"}[request.action]
