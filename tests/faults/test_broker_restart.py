"""The broker restarted mid-stream (issue 17, scenario 1): `make run-services` over a RabbitMQ node of the
test's own (tests/support/broker_node.py: the shared broker is never restarted), while citizens create,
attach, submit and clerks accept dossiers through the gateway; once a third of the acceptances are
answered the broker's app is stopped, left stopped a few seconds, and started again, as an operator does.

Nothing may be lost or doubled: every acceptance answered 2xx is in the read model, each dossier received
once, each transition in its history once, each lookup code once; every service ready again without a
restart of its own; the consumed queues taken in once the stream is over and the broker back (within a bound
that grows with the stream), and the outboxes empty within 60 s after that. A command
refused during the outage (5xx, or no answer) must have changed nothing: the client sends it again with the same
Idempotency-Key, and a repeat that finds it applied (409 on a submit or an acceptance, a second file on an
attachment, one dossier too many on a creation) breaks the test.

How many dossiers: FAULTS_BROKER_RESTART_DOSSIERS, which `make faults` sets to 2,000 (about 7 minutes of
streaming on this 2-core machine alone, slips' receipts the bulk of it);
60 in an ordinary `make test` (about a minute here).
"""

import contextlib
import json
import os
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import Any
from uuid import uuid4

import httpx
import pytest

from services.distributed import SERVICES
from services.sample_files import sample_pdf
from tests.e2e.client import new_draft, ok, sign_in
from tests.e2e.conftest import Product, run_services
from tests.support.broker_node import BrokerNode, own_broker_node
from tests.support.documents import required_documents
from tests.support.figures import report_figure
from tests.support.processes import LOG_DIR, free_port
from tests.support.waiting import eventually_sync

DOSSIERS = int(os.environ.get("FAULTS_BROKER_RESTART_DOSSIERS", "60"))
# The suite's 300 s per test holds the 60 of `make test`; the stream grows with the dossiers (about half a
# second each here), so its bound does too: a stream that stalls still fails, on a bound its size allows.
SECONDS_PER_DOSSIER = 1.5

pytestmark = [pytest.mark.rabbitmq, pytest.mark.slow, pytest.mark.e2e,
              pytest.mark.timeout(max(300, 180 + SECONDS_PER_DOSSIER * DOSSIERS))]

CLIENTS = 4  # each a citizen and a clerk, working through its share of the dossiers one after the other
STOPPED_SECONDS = 5.0  # how long the broker's app stays stopped
BACKLOG_SECONDS = 60.0  # the outboxes must be empty this long after the consumed queues are
# How long the consumers may take to empty their queues after the stream (slips lags most: 225 receipts
# behind at the end of 2,000, some 40 s of layout).
DRAIN_SECONDS = max(BACKLOG_SECONDS, 0.25 * DOSSIERS)
COMMAND_SECONDS = 120.0  # how long a client keeps sending one command again before it gives up
RETRY_PAUSE_SECONDS = 0.5
SAMPLE_SECONDS = 0.25
LOG_NAME = "faults-broker-restart"


@dataclass
class Stream:
    """What the clients did, shared between their threads and the one restarting the broker."""

    accepted: int = 0  # acceptances answered 2xx so far
    sent: list[str] = field(default_factory=list)  # dossiers whose acceptance was sent
    answered: list[str] = field(default_factory=list)  # … and answered 2xx
    created: Counter[str] = field(default_factory=Counter)  # dossiers created, by citizen
    refused: Counter[str] = field(default_factory=Counter)  # 5xx or no answer, by action: each sent again
    waited_for_hand_over: int = 0  # an acceptance that found processing without the dossier yet (404)
    applied_though_refused: list[tuple[str, str, int]] = field(default_factory=list)  # (action, dossier, status)
    unexpected: list[tuple[str, str, int, str]] = field(default_factory=list)
    made: list[tuple[float, str, int | None]] = field(default_factory=list)  # (sent at, action, status or None)
    lock: threading.Lock = field(default_factory=threading.Lock)


@dataclass
class Timeline:
    stopped_at: float = 0.0
    back_at: float = 0.0
    stopped_wall: datetime | None = None  # when the app was stopped, as the services' logs write time
    samples: list[tuple[float, int, bool]] = field(default_factory=list)  # (when, received, every service ready)


@pytest.fixture()
def restartable_product(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Product, BrokerNode, list[str]]]:
    """`make run-services` over a node of the test's own; every service's own URL, for its /readyz and /metrics."""
    with own_broker_node() as node:
        monkeypatch.setenv("AMQP_URL", node.url)  # the run and its topology's clean-up both on this node
        ports = {variable: str(free_port()) for _name, variable, _offset in SERVICES}
        for product in run_services(ports, log_name=LOG_NAME):
            yield product, node, [f"http://127.0.0.1:{port}" for port in ports.values()]


def test_a_broker_restart_mid_stream_loses_nothing_and_doubles_nothing(
        restartable_product: tuple[Product, BrokerNode, list[str]]) -> None:
    product, node, services = restartable_product
    stream, timeline = Stream(), Timeline()
    shares = [DOSSIERS // CLIENTS + (1 if index < DOSSIERS % CLIENTS else 0) for index in range(CLIENTS)]
    started = time.monotonic()
    watching = threading.Event()
    with sign_in(product.base_url, roles=["staff"]) as watcher, ThreadPoolExecutor(CLIENTS + 2) as pool:
        documents = [document["code"] for document in required_documents(watcher, "SYT-KCB-01")]
        watch = pool.submit(_watch, product.base_url, [product.base_url, *services], timeline, watching)
        restart = pool.submit(_restart_after_a_third, node, stream, timeline)
        clients = [pool.submit(_client, product.base_url, share, documents, stream) for share in shares]
        try:
            for client in clients:
                client.result()
            streamed_seconds = time.monotonic() - started
            restart.result()
            # The stream itself keeps the outboxes busy: the backlog counts once it is over and the broker back,
            # and once the consumers have taken in what the stream queued (slips, laying out a slip for each
            # receipt, is still at it after a long stream: that is its throughput, not the restart's doing).
            over_at = max(time.monotonic(), timeline.back_at)
            backlog_when_over = sum(_backlog(url) for url in services)
            queued = _queued_within(services, over_at + DRAIN_SECONDS)
            settled_from = time.monotonic()
            drained_after = settled_from - over_at
            backlog = _backlog_within(services, settled_from + BACKLOG_SECONDS)
            emptied_after = time.monotonic() - settled_from
            with contextlib.suppress(AssertionError):  # what is missing then is counted below and fails the test
                eventually_sync(lambda: (_received(watcher) or 0) >= len(stream.answered), timeout=BACKLOG_SECONDS,
                                what="every answered acceptance in the read model")
        finally:
            watching.set()  # else the pool would wait for the sampler for ever
        watch.result()
        details = [detail for part in pool.map(partial(_details, product.base_url), _parts(stream.sent, CLIENTS))
                   for detail in part]
        mine = sum(_count_of(product.base_url, citizen) for citizen in stream.created)
    received = [detail for detail in details if detail is not None and detail["status"] == "received"]
    lost = sorted(set(stream.answered) - {detail["id"] for detail in received})
    twice = sum(len(detail["history"]) - len({(h["from"], h["to"]) for h in detail["history"]})
                for detail in details if detail is not None)
    codes = [detail["lookup_code"] for detail in received if detail.get("lookup_code")]
    doubled_files = [detail["id"] for detail in details
                     if detail is not None and detail["attached_files"] != len(documents)]
    doubled_codes = len(codes) - len(set(codes))
    resumed = _resumed_after(timeline)
    ready = _ready_after(timeline)
    alive = product.supervisor_pid is not None and _alive(product.supervisor_pid)
    counted = mine == sum(stream.created.values())
    during = Counter(f"{action} {status or 'no answer'}" for sent_at, action, status in stream.made
                     if timeline.stopped_at <= sent_at < timeline.back_at)
    links_back = _links_back(timeline)
    held = (not lost and not twice and not doubled_codes and not doubled_files and not stream.applied_though_refused
            and not stream.unexpected and ready is not None and alive and queued == 0 and backlog == 0 and counted
            and len(stream.answered) == len(stream.sent) == DOSSIERS)
    report_figure(
        "broker restart mid-stream", f"{DOSSIERS} dossiers created, attached, submitted and accepted through /v1 by "
        f"{CLIENTS} citizen/clerk pairs; the broker's app stopped once a third were accepted, {STOPPED_SECONDS:.0f} s "
        "stopped, started again (a node of the test's own)",
        f"acceptances answered {len(stream.answered)} of {len(stream.sent)} sent ({sum(stream.refused.values())} "
        f"refusals sent again: {dict(sorted(stream.refused.items()))}, {stream.waited_for_hand_over} waits for the "
        f"hand-over); received in the read model {len(received)}; duplicate history entries {twice}; duplicate lookup "
        f"codes {doubled_codes}; commands sent while it was stopped: {dict(sorted(during.items()))}; flow resumed "
        f"{_seconds(resumed)} after the broker was back, every service ready {_seconds(ready)} after it without a "
        f"restart (each link back, from its log: {links_back}); at the stream's end {backlog_when_over} events in "
        f"the outboxes, the consumed queues taken in {drained_after:.1f} s after it ({queued} left), outbox backlog "
        f"{BACKLOG_SECONDS:.0f} s after that {backlog} (empty {emptied_after:.1f} s after it); "
        f"{streamed_seconds:.0f} s in all", held=held)
    assert not lost, f"{len(lost)} acceptances answered 2xx are not in the read model, e.g. {lost[:5]}"
    assert not stream.applied_though_refused, \
        f"commands refused during the outage that had changed something: {stream.applied_though_refused[:5]}"
    assert not stream.unexpected, f"answers no client should get: {stream.unexpected[:5]}"
    assert twice == 0 and doubled_codes == 0, f"{twice} duplicate history entries, {doubled_codes} duplicate codes"
    assert not doubled_files, f"dossiers with a file attached twice: {doubled_files[:5]}"
    assert counted, f"the citizens hold {mine} dossiers, {sum(stream.created.values())} were answered created"
    assert len(stream.answered) == len(stream.sent) == DOSSIERS, "acceptances left unanswered"
    assert alive, "`make run-services` stopped: a service died during the restart"
    assert ready is not None, f"not every service was ready again after the restart (links: {links_back})"
    assert queued == 0, f"{queued} messages still queued {DRAIN_SECONDS:.0f} s after the stream"
    assert backlog == 0, f"{backlog} events still in the outboxes {BACKLOG_SECONDS:.0f} s after the queues emptied"


def _client(base_url: str, share: int, documents: list[str], stream: Stream) -> None:
    with sign_in(base_url) as citizen, sign_in(base_url, roles=["staff"]) as staff:
        owner = citizen.headers["Authorization"]
        for _ in range(share):
            created = _send(citizen, "create", "/v1/dossiers", stream, json=new_draft())
            if created is None or created.status_code != 201:
                continue
            dossier_id = created.json()["id"]
            with stream.lock:
                stream.created[owner] += 1
            for code in documents:
                boundary = uuid4().hex  # the same body at every try: a repeat must match its first request
                _send(citizen, "attach", f"/v1/dossiers/{dossier_id}/documents/{code}", stream, dossier_id,
                      files={"file": (f"{code}.pdf", sample_pdf(code), "application/pdf")},
                      headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
            _send(citizen, "submit", f"/v1/dossiers/{dossier_id}/submit", stream, dossier_id)
            with stream.lock:
                stream.sent.append(dossier_id)
            if _accept(staff, dossier_id, stream):
                with stream.lock:
                    stream.answered.append(dossier_id)
                    stream.accepted += 1


def _accept(staff: httpx.Client, dossier_id: str, stream: Stream) -> bool:
    """Accept as a clerk would: again, with a new key, while processing has not received the dossier yet."""
    deadline = time.monotonic() + COMMAND_SECONDS
    while time.monotonic() < deadline:
        answer = _send(staff, "accept", f"/v1/staff/dossiers/{dossier_id}/accept", stream, dossier_id)
        if answer is None:
            return False
        if answer.status_code < 300:
            return True
        if answer.status_code != 404 or answer.json()["error"]["code"] != "dossier_not_found":
            return False
        with stream.lock:
            stream.waited_for_hand_over += 1
        time.sleep(RETRY_PAUSE_SECONDS)
    return False


def _send(client: httpx.Client, action: str, path: str, stream: Stream, dossier_id: str = "",
          **request: Any) -> httpx.Response | None:
    """One command, sent again with the same Idempotency-Key while refused (5xx) or unanswered.

    A repeat of a refused submission or acceptance that answers 409 found it applied: the refusal lied.
    A 404 on an acceptance is the caller's to handle (the hand-over not there yet); other 4xx are noted.
    """
    headers = {"Idempotency-Key": uuid4().hex, **request.pop("headers", {})}
    refused_before = False
    deadline = time.monotonic() + COMMAND_SECONDS
    while time.monotonic() < deadline:
        sent_at = time.monotonic()
        try:
            answer = client.post(path, headers=headers, **request)
        except httpx.TransportError:
            answer = None
        with stream.lock:
            stream.made.append((sent_at, action, None if answer is None else answer.status_code))
        if answer is not None and answer.status_code < 500:
            if answer.status_code == 409 and refused_before:
                with stream.lock:
                    stream.applied_though_refused.append((action, dossier_id, answer.status_code))
            elif answer.status_code >= 400 and not (action == "accept" and answer.status_code == 404):
                with stream.lock:
                    stream.unexpected.append((action, dossier_id, answer.status_code, answer.text[:200]))
            return answer
        refused_before = True
        with stream.lock:
            stream.refused[action] += 1
        time.sleep(RETRY_PAUSE_SECONDS)
    with stream.lock:
        stream.unexpected.append((action, dossier_id, 0, f"still refused after {COMMAND_SECONDS:.0f} s"))
    return None


def _restart_after_a_third(node: BrokerNode, stream: Stream, timeline: Timeline) -> None:
    eventually_sync(lambda: stream.accepted >= DOSSIERS // 3, timeout=COMMAND_SECONDS * 5,
                    what="a third of the acceptances answered before the restart")
    timeline.stopped_at, timeline.stopped_wall = time.monotonic(), datetime.now(UTC)
    node.stop_app()
    time.sleep(STOPPED_SECONDS)  # the fault itself: the broker away this long
    node.start_app()
    timeline.back_at = time.monotonic()


def _watch(base_url: str, ready_urls: list[str], timeline: Timeline, done: threading.Event) -> None:
    """Sample the read model's received count and every service's readiness until told to stop."""
    with sign_in(base_url, roles=["staff"]) as staff:
        while not done.wait(SAMPLE_SECONDS):
            received = _received(staff)
            if received is not None:  # else a slow answer: the next sample tells
                timeline.samples.append((time.monotonic(), received, all(_ready(url) for url in ready_urls)))


def _resumed_after(timeline: Timeline) -> float | None:
    """From the broker's return to the first sample with more dossiers received than when it came back."""
    after = [(when, received) for when, received, _ready in timeline.samples if when >= timeline.back_at]
    if not after:
        return None
    baseline = after[0][1]
    return next((when - timeline.back_at for when, received in after if received > baseline), None)


def _ready_after(timeline: Timeline) -> float | None:
    return next((when - timeline.back_at for when, _received, ready in timeline.samples
                 if when >= timeline.back_at and ready), None)


def _links_back(timeline: Timeline) -> str:
    """How long after the broker's return each service logged its link back (from the run's log)."""
    back: dict[str, float] = {}
    log = (LOG_DIR / f"{LOG_NAME}.log").read_text(encoding="utf-8", errors="replace")
    for line in log.splitlines():
        if '"bus.broker_reachable_again"' not in line or timeline.stopped_wall is None:
            continue
        for entry in _entries(line):
            if entry.get("event") != "bus.broker_reachable_again":
                continue
            at = datetime.fromisoformat(entry["timestamp"])
            if at > timeline.stopped_wall and entry["service"] not in back:
                back[entry["service"]] = (at - timeline.stopped_wall).total_seconds() - (timeline.back_at -
                                                                                         timeline.stopped_at)
    # A link may come back just before `start_app` returns (it waits for the whole boot): that is 0.0 s.
    return ", ".join(f"{name} {max(seconds, 0.0):.1f} s" for name, seconds in sorted(back.items())) or "none logged"


def _entries(line: str) -> Iterator[dict[str, Any]]:
    """The JSON log entries in one line of the run's log: the services share it, and two writes sometimes meet
    on one line."""
    decoder = json.JSONDecoder()
    index = 0
    while (start := line.find("{", index)) != -1:
        try:
            entry, index = decoder.raw_decode(line, start)
        except json.JSONDecodeError:
            index = start + 1
            continue
        if isinstance(entry, dict):
            yield entry


def _backlog_within(services: list[str], until: float) -> int:
    """The events waiting in every service's outboxes, polled until none are or `until` passes."""
    while True:
        waiting = sum(_backlog(url) for url in services)
        if waiting == 0 or time.monotonic() >= until:
            return waiting
        time.sleep(SAMPLE_SECONDS)


def _queued_within(services: list[str], until: float) -> int:
    """The messages waiting in every service's consumed queues (as each samples them), polled until none
    are or `until` passes."""
    while True:
        waiting = sum(_gauge(url, "hoso_consumer_lag_messages") for url in services)
        if waiting == 0 or time.monotonic() >= until:
            return waiting
        time.sleep(SAMPLE_SECONDS)


def _backlog(service_url: str) -> int:
    return _gauge(service_url, "hoso_outbox_backlog")


def _gauge(service_url: str, name: str) -> int:
    """The sum of a gauge's samples on a service's /metrics."""
    metrics = httpx.get(f"{service_url}/metrics", timeout=10).text
    return round(sum(float(line.rsplit(" ", 1)[1]) for line in metrics.splitlines()
                     if line.startswith(f"{name}{{")))


def _received(staff: httpx.Client) -> int | None:
    """The dossiers the read model shows received; None when it did not answer in time (a loaded machine)."""
    try:
        answer = staff.get("/v1/staff/status-counts")
    except httpx.TransportError:
        return None
    return int(answer.json().get("received", 0)) if answer.status_code == 200 else None


def _ready(url: str) -> bool:
    try:
        return httpx.get(f"{url}/readyz", timeout=5).status_code == 200
    except httpx.TransportError:
        return False


def _details(base_url: str, dossier_ids: list[str]) -> list[dict[str, Any] | None]:
    """Each dossier as a clerk reads it; None for one the read model lacks."""
    with sign_in(base_url, roles=["staff"]) as staff:
        answers = [staff.get(f"/v1/staff/dossiers/{dossier_id}") for dossier_id in dossier_ids]
    return [None if answer.status_code == 404 else ok(answer) for answer in answers]


def _parts(items: list[str], count: int) -> list[list[str]]:
    return [items[index::count] for index in range(count)]


def _count_of(base_url: str, authorization: str) -> int:
    """How many dossiers a citizen holds, all statuses: one too many means a refused creation made one."""
    counts: dict[str, int] = ok(httpx.get(f"{base_url}/v1/me/status-counts", headers={"Authorization": authorization},
                                          timeout=15))
    return sum(counts.values())


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _seconds(value: float | None) -> str:
    return "never" if value is None else f"{value:.1f} s"

