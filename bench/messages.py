"""The messages the bench sends: staff commands as a staff tool sends them, and a sample event for sizing."""

from datetime import UTC, date, datetime
from uuid import uuid4

import aio_pika

from shared.commands import AcceptDossier
from shared.lifecycle import DossierReceived
from shared.messages import Actor, Envelope

CLERK = Actor(kind="staff", id="clerk-bench")


def accept_command(dossier_id: str) -> Envelope:
    """`staff.accept` for one dossier, from a clerk (DESIGN.md: routing key `staff.<action>`)."""
    return Envelope(id=str(uuid4()), type=AcceptDossier().message_type, producer="bench-staff-tool",
                    dossier_id=dossier_id, actor=CLERK, data={})


def amqp_message(envelope: Envelope) -> aio_pika.Message:
    """What RabbitBus.publish makes of an envelope: persistent JSON with the envelope's id and type."""
    return aio_pika.Message(envelope.model_dump_json().encode(), content_type="application/json",
                            delivery_mode=aio_pika.DeliveryMode.PERSISTENT, message_id=envelope.id,
                            correlation_id=envelope.correlation_id, type=envelope.type,
                            timestamp=envelope.occurred_at)


def sample_event_body() -> bytes:
    """A `dossier.received` event as processing publishes it: the message every accepted dossier causes and
    the read model waits for; the broker ceiling is measured with bodies of its size."""
    payload = DossierReceived(lookup_code="000.00.17.H00-251126-0042", received_at=datetime.now(UTC),
                              due_date=date(2025, 12, 24), processing_days=20, owner_id="citizen-0a1b2c3d")
    envelope = Envelope(type=payload.message_type, producer="processing", dossier_id=str(uuid4()), version=3,
                        correlation_id=str(uuid4()), causation_id=str(uuid4()), actor=CLERK,
                        data=payload.model_dump(mode="json"))
    return envelope.model_dump_json().encode()
