"""The outcome events answering a staff command (command.completed / command.rejected).

Both go out on the events exchange, caused by the command (causation id = the command's id) and in its
correlation, so that the staff tool that sent it can match the answer.
"""

from dataclasses import dataclass

from services.processing.domain import Dossier
from shared.commands import CommandCompleted, CommandRejected
from shared.errors import DomainError
from shared.messages import Actor, Envelope, Payload

PRODUCER = "processing"


@dataclass(frozen=True)
class StaffCommand:
    """A staff command that came over the bus: applied at most once, and answered."""

    id: str
    type: str
    correlation_id: str | None
    actor: Actor


def completed(command: StaffCommand, dossier: Dossier) -> Envelope:
    return _answer(command, dossier.id, CommandCompleted(
        command_id=command.id, command_type=command.type, dossier_id=dossier.id,
        status=dossier.status.value, version=dossier.version))


def rejected(command: StaffCommand, dossier_id: str | None, refusal: DomainError) -> Envelope:
    return _answer(command, dossier_id, CommandRejected(
        command_id=command.id, command_type=command.type, dossier_id=dossier_id,
        code=refusal.code, reason=refusal.message))


def _answer(command: StaffCommand, dossier_id: str | None, payload: Payload) -> Envelope:
    return Envelope(type=payload.message_type, producer=PRODUCER, dossier_id=dossier_id,
                    correlation_id=command.correlation_id, causation_id=command.id, actor=command.actor,
                    data=payload.model_dump(mode="json"))
