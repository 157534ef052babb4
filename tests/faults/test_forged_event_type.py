"""A forged event of a type nobody writes, on a bound routing key, over the real broker: dead-lettered, the
read model unchanged, and the real acceptance that follows applied (issue 17: it used to read
`result_returned`, and the acceptance was dropped as a duplicate)."""

import time
from uuid import uuid4

import pytest

from shared.messages import Envelope
from tests.support.figures import report_figure
from tests.support.histories import CLERK, dossier_history
from tests.support.query_on_rabbitmq import query_on_rabbitmq
from tests.support.raw_amqp import DeadLetter, raw_amqp
from tests.support.waiting import eventually

pytestmark = pytest.mark.rabbitmq


async def test_a_forged_event_type_is_dead_lettered_and_the_real_acceptance_applied() -> None:
    dossier_id = str(uuid4())
    history = dossier_history(dossier_id)
    async with query_on_rabbitmq(max_attempts=5) as query, raw_amqp(query.amqp_url, query.namespace) as raw:
        for event in history[:3]:
            await query.publisher.publish(event)
        await query.reaches(dossier_id, 3)
        forged = Envelope(type="dossier.frobnicated", producer="processing", dossier_id=dossier_id, version=4,
                          actor=CLERK, data={"from_status": "submitted", "to_status": "result_returned"})
        sent = time.monotonic()
        await raw.publish(forged.model_dump_json().encode(), routing_key="dossier.received")
        dead: list[DeadLetter] = []

        async def dead_lettered() -> bool:
            dead.extend(await raw.take_dead_letters("query"))
            return bool(dead)

        await eventually(dead_lettered, timeout=20, what="the forged event dead-lettered")
        seconds = time.monotonic() - sent
        after_forgery = await query.detail(dossier_id)
        await query.publisher.publish(history[3])  # the real acceptance, version 4
        await query.reaches(dossier_id, 4)
        accepted = await query.detail(dossier_id)
    [letter] = dead
    held = (after_forgery["status"], after_forgery["version"], accepted["status"]) == ("submitted", 3, "received")
    report_figure("forged event type", "dossier.frobnicated v4 (to result_returned) on key dossier.received, "
                  "then the real acceptance", f"dead-lettered ({letter.reason}) after {letter.attempts} try in "
                  f"{seconds:.2f} s; read model {after_forgery['status']} v{after_forgery['version']} → "
                  f"{accepted['status']} v{accepted['version']}", held=held)
    assert Envelope.model_validate_json(letter.body).type == "dossier.frobnicated"
    assert (letter.reason, letter.attempts) == ("unknown_type", 1)
    assert (after_forgery["status"], after_forgery["version"]) == ("submitted", 3)
    assert (accepted["status"], accepted["version"], accepted["lookup_code"]) == ("received", 4, "H35.22-260303-0001")
