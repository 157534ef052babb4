"""Staff commands as a holder receives them: reading one, answering it, and remembering a refusal.

Processing and payment both hold dossiers and both take staff commands through two doors (their internal
HTTP API and the commands exchange). A command that came over the bus is applied at most once: a completed
one is answered (`command.completed`) in the same write as the change it made, a refused one
(`command.rejected`) is stored once, under the command's id, in `CommandOutcomes`.
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from pymongo.errors import DuplicateKeyError

from shared.commands import CommandCompleted, CommandRejected
from shared.errors import DomainError, InvalidCommand, MissingDossierId, NotStaff, UnknownStaffAction
from shared.field_messages import field_messages
from shared.messages import Actor, Envelope, Payload, utc_now
from shared.outbox import ensure_outbox_index, outbox_fields
from shared.registry import PAYLOADS
from shared.staff_actions import COMMAND_PREFIX
from shared.store.port import Collection as StoreCollection
from shared.store.port import Database


@dataclass(frozen=True)
class StaffCommand:
    """A staff command that came over the bus: applied at most once, and answered."""

    id: str
    type: str
    correlation_id: str | None
    actor: Actor

    @classmethod
    def of(cls, envelope: Envelope) -> "StaffCommand":
        # Without a correlation id of its own, a command correlates by its id (as the bus logs it, and as
        # the events it causes carry it).
        return cls(envelope.id, envelope.type, envelope.correlation_id or envelope.id, envelope.actor)


def parse_staff_action(action: str, data: dict[str, Any], handled: Collection[str]) -> Payload:
    """The typed command for `action`, one of those `handled` here; UnknownStaffAction or InvalidCommand."""
    if action not in handled:
        raise UnknownStaffAction(action=action[:64])
    try:
        return PAYLOADS[COMMAND_PREFIX + action].model_validate(data)
    except ValidationError as error:
        fields = field_messages(error.errors())
        raise InvalidCommand({name or "data": message for name, message in fields.items()}) from None


def read_staff_command(envelope: Envelope, handled: Collection[str]) -> tuple[str, Payload]:
    """The dossier id and typed command of a staff command envelope, or the refusal saying what is wrong."""
    payload = parse_staff_action(envelope.type.removeprefix(COMMAND_PREFIX), envelope.data, handled)
    if envelope.actor.kind != "staff":
        raise NotStaff(actor_kind=envelope.actor.kind)
    if not envelope.dossier_id:
        raise MissingDossierId()
    return envelope.dossier_id, payload


def completed_answer(command: StaffCommand, producer: str, dossier_id: str, status: str, version: int) -> Envelope:
    return _answer(command, producer, dossier_id, CommandCompleted(
        command_id=command.id, command_type=command.type, dossier_id=dossier_id, status=status, version=version))


def rejected_answer(command: StaffCommand, producer: str, dossier_id: str | None, refusal: DomainError) -> Envelope:
    return _answer(command, producer, dossier_id, CommandRejected(
        command_id=command.id, command_type=command.type, dossier_id=dossier_id,
        code=refusal.code, reason=refusal.message))


def _answer(command: StaffCommand, producer: str, dossier_id: str | None, payload: Payload) -> Envelope:
    """On the events exchange, caused by the command and in its correlation, for the tool that sent it."""
    return Envelope(type=payload.message_type, producer=producer, dossier_id=dossier_id,
                    correlation_id=command.correlation_id, causation_id=command.id, actor=command.actor,
                    data=payload.model_dump(mode="json"))


class CommandOutcomes:
    """Refused staff commands, one document per command id, each with its own outbox.

    A refusal changes no dossier, so it gets a document of its own, keyed by the command id: storing the
    same refusal twice is a no-op, and a redelivered command that was refused stays refused.
    """

    COLLECTION = "command_outcomes"
    # Long past any redelivery of the command; the broker gives up on a message within minutes.
    KEEP_SECONDS = 30 * 24 * 3600

    def __init__(self, db: Database) -> None:
        self.collection: StoreCollection = db[self.COLLECTION]

    async def ensure_indexes(self) -> None:
        await ensure_outbox_index(self.collection)  # what the outbox relay reads, oldest change first
        await self.collection.create_index([("stored_at", 1)], expireAfterSeconds=self.KEEP_SECONDS)

    async def was_refused(self, command_id: str) -> bool:
        return await self.collection.find_one({"_id": command_id}, {"_id": 1}) is not None

    async def refuse(self, command_id: str, outcome: Envelope, now: datetime) -> bool:
        """Store the refusal for publishing; False when this command was refused already."""
        try:
            await self.collection.insert_one({
                "_id": command_id, "dossier_id": outcome.dossier_id, "code": outcome.data.get("code"),
                # Retention counts in wall-clock time, whatever clock the service's decisions use.
                "stored_at": utc_now(), "updated_at": now, **outbox_fields([outcome])})
        except DuplicateKeyError:
            return False
        return True
