"""One dossier's ten events delivered in reverse over the real broker, with MAX_ATTEMPTS=5: the early ones
wait, kept, for their predecessors, without using up their tries, and the read model ends at version 10
(issue 17: each retry round applied only the next missing version, so 6 to 10 were dead-lettered). A gap
that never closes is reported: a log line, the gauge and /readyz."""

import contextlib
import time
from uuid import uuid4

import pytest
from prometheus_client import REGISTRY
from structlog.testing import capture_logs

from tests.support.figures import report_figure
from tests.support.histories import dossier_history
from tests.support.query_on_rabbitmq import query_on_rabbitmq
from tests.support.raw_amqp import raw_amqp
from tests.support.waiting import eventually

pytestmark = pytest.mark.rabbitmq


def retried_so_far() -> float:
    return REGISTRY.get_sample_value("hoso_messages_retried_total", {"service": "query", "queue": "query",
                                                                     "type": "dossier.draft_created"}) or 0.0


async def test_a_reversed_stream_ends_at_its_last_version() -> None:
    dossier_id = str(uuid4())
    history = dossier_history(dossier_id)
    retried_before = retried_so_far()
    async with query_on_rabbitmq(max_attempts=5) as query, raw_amqp(query.amqp_url, query.namespace) as raw:
        started = time.monotonic()
        for event in reversed(history):
            await query.publisher.publish(event)
        with contextlib.suppress(AssertionError):  # the figure says how far it got, the asserts below fail it
            await query.reaches(dossier_id, 10, timeout=15)
        seconds = time.monotonic() - started
        detail = await query.detail(dossier_id)
        dead = await raw.take_dead_letters("query")
    report_figure("reversed event stream", "10 events of one dossier published newest first, MAX_ATTEMPTS=5",
                  f"read model at v{detail['version']} of 10 in {seconds:.2f} s; {len(dead)} dead-lettered",
                  held=detail["version"] == 10 and not dead)
    assert (detail["version"], detail["status"]) == (10, "result_returned")
    assert [entry["to"] for entry in detail["history"]] == [
        "draft", "submitted", "received", "processing", "payment_requested", "paid", "result_ready",
        "result_returned"]
    assert dead == []
    assert retried_so_far() == retried_before  # waiting used up no tries


async def test_a_gap_that_never_closes_is_reported() -> None:
    dossier_id = str(uuid4())
    history = dossier_history(dossier_id)
    with capture_logs() as logs:
        async with query_on_rabbitmq(max_attempts=5, gap_report_seconds=0.5) as query:
            for event in history[1:4]:  # version 1 never comes
                await query.publisher.publish(event)
            started = time.monotonic()

            async def reported() -> bool:
                answer = await query.client.get("/readyz")
                return answer.status_code == 200 and answer.json().get("unclosed_gaps") == 1

            await eventually(reported, timeout=20, what="/readyz reporting the unclosed gap")
            seconds = time.monotonic() - started
            gauge = REGISTRY.get_sample_value("hoso_read_model_unclosed_gaps", {"service": "query"})
            # Closing it later still applies everything kept.
            await query.publisher.publish(history[0])
            await query.reaches(dossier_id, 4)
    lines = [line for line in logs if line["event"] == "read_model_gap_unclosed"]
    report_figure("gap that never closes", "versions 2-4 of a dossier published, version 1 withheld",
                  f"reported {seconds:.1f} s after them (a gap is reported once 0.5 s old): {len(lines)} log line, "
                  f"gauge {gauge}, /readyz unclosed_gaps 1; applied to v4 once v1 came",
                  held=bool(lines) and gauge == 1)
    assert [(line["dossier_id"], line["stored_version"], line["highest_kept"]) for line in lines] == [
        (dossier_id, 0, 4)]
    assert gauge == 1
