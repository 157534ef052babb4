"""The holder's write path: decide on the record as loaded, store the change only if nobody wrote meanwhile.

Every write is conditional on the revision the decision was made on; on a conflict the record is loaded
again and decided again, a bounded number of times. Two decisions taken at the same moment (a withdraw and
an accept, ten copies of one provider report) thus end in one outcome, and the loser is refused by the state
the winner left. The events of a change are stored in the same write (the outbox), and a staff command's
id with them, so that a redelivered command changes nothing twice; so is the answer to a command sent under
a key (`command_keys`), so that the same command sent again answers its first outcome.

Work that must not be repeated when a decision is retried (drawing a lookup code, storing a document) is
done by the caller once, outside `decide`, or remembered by it across calls.
"""

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Generic, NamedTuple, Protocol, TypeVar

from shared.correlation import current_correlation_id
from shared.errors import DossierNotFound
from shared.holder.command_keys import KeptAnswer, answer_to
from shared.holder.errors import DossierBusy, VersionConflict
from shared.holder.staff_commands import StaffCommand, completed_answer
from shared.logging import get_logger
from shared.messages import Actor, Envelope, Payload, make_event
from shared.statuses import Status

log = get_logger(__name__)

MAX_ATTEMPTS = 5


class HeldRecord(Protocol):
    """What the write path needs of a holder's record of a dossier."""

    @property
    def id(self) -> str: ...

    @property
    def owner_id(self) -> str: ...

    @property
    def status(self) -> Status: ...

    @property
    def version(self) -> int: ...

    @property
    def revision(self) -> int:
        """What the next write is conditional on: the version, or a counter of every stored change."""

    @property
    def applied_commands(self) -> tuple[str, ...]: ...

    @property
    def command_answers(self) -> tuple[KeptAnswer, ...]:
        """The answers of recent commands sent under a key (`shared.holder.command_keys`)."""


R = TypeVar("R", bound=HeldRecord)


class HeldRecords(Protocol[R]):
    """A holder's repository: one record per dossier, saved with its events if nobody else wrote."""

    @property
    def record_name(self) -> str:
        """What one record is called in the logs (`dossier`, `payment_request`): `<name>_changed` and so on."""

    async def get(self, dossier_id: str) -> R | None: ...

    async def save(self, record: R, previous_revision: int, events: Sequence[Envelope],
                   command_id: str | None = None, answered: KeptAnswer | None = None) -> None:
        """Store the change (and `answered`, the key and answer of the command); VersionConflict if the stored
        revision is no longer `previous_revision`."""


class Change(NamedTuple, Generic[R]):
    """A decision: the changed record and the payloads it publishes.

    A tuple, so that a reader of a decision may also unpack it: `record, [payload] = reception.reject(...)`."""

    record: R
    payloads: Sequence[Payload] = ()


@dataclass(frozen=True)
class Written(Generic[R]):
    """The record as it is now, and whether this call changed it (False: nothing to do, or a redelivery).

    `answer`: for a command sent under a key, what it answers: its first outcome when it is a repeat."""

    record: R
    changed: bool
    answer: Mapping[str, Any] | None = None

    def result(self) -> "CommandResult":
        """The command's answer: the first outcome kept under its key, else the record as it is now."""
        if self.answer is not None:
            return CommandResult(self.answer["id"], self.answer["status"], self.answer["version"])
        return CommandResult.of(self.record)


@dataclass(frozen=True)
class CommandResult:
    """What every command answers: the dossier, its status now and the version that records it."""

    id: str
    status: str
    version: int

    @classmethod
    def of(cls, record: HeldRecord) -> "CommandResult":
        return cls(record.id, record.status.value, record.version)


Decide = Callable[[R], Awaitable[Change[R] | None]]
# What a command sent under a key answers, kept with its change: by default the record's id, status, version.
Outcome = Callable[[R], Mapping[str, Any]]


def result_of(record: HeldRecord) -> dict[str, Any]:
    return asdict(CommandResult.of(record))


async def load_held(records: HeldRecords[R], dossier_id: str, owner_id: str | None = None) -> R:
    """The record; for a citizen (`owner_id`), only their own: anyone else's is not found."""
    record = await records.get(dossier_id)
    if record is None or (owner_id is not None and record.owner_id != owner_id):
        raise DossierNotFound()
    return record


async def write_change(
    records: HeldRecords[R], dossier_id: str, decide: Decide[R], *, producer: str, actor: Actor,
    command: StaffCommand | None = None, owner_id: str | None = None, published: Callable[[], None] = lambda: None,
    command_key: str | None = None, outcome: Outcome[R] = result_of,
) -> Written[R]:
    """Decide on the current record and store the change with its events; DossierBusy when it never sticks.

    `command_key`: the scoped key the command was sent under; its answer (`outcome` of the changed record)
    is stored with the change, and a repeat of the key answers it again, deciding nothing."""
    for _ in range(MAX_ATTEMPTS):
        record = await load_held(records, dossier_id, owner_id)
        if command is not None and command.id in record.applied_commands:
            # Redelivered: it was applied, and its answer stored, with the change it made.
            log.info("command_already_applied", dossier_id=dossier_id, command_id=command.id)
            return Written(record, changed=False)
        first = answer_to(record.command_answers, command_key)
        if first is not None:
            # Sent again (its answer was lost on the way back): applied once, answered as it was then.
            log.info("command_key_answered_again", dossier_id=dossier_id)
            return Written(record, changed=False, answer=first)
        decided = await decide(record)
        if decided is None:
            # Nothing to change: nothing kept, the answer is the record as it stands (so is a repeat's).
            return Written(record, changed=False, answer=None if command_key is None else outcome(record))
        changed = decided.record
        events = [event_of(payload, changed, producer, actor, command) for payload in decided.payloads]
        if command is not None:
            events.append(completed_answer(command, producer, changed.id, changed.status.value, changed.version))
        answered = None if command_key is None else KeptAnswer(command_key, outcome(changed))
        try:
            await records.save(changed, record.revision, events, command.id if command else None, answered)
        except VersionConflict:
            log.info(f"{records.record_name}_changed_meanwhile", dossier_id=dossier_id, revision=record.revision)
            continue
        if events:
            published()
        log.info(f"{records.record_name}_changed", dossier_id=dossier_id, version=changed.version,
                 status=changed.status.value, actor_kind=actor.kind,
                 message_types=[payload.message_type for payload in decided.payloads])
        return Written(changed, changed=True, answer=None if answered is None else answered.answer)
    raise DossierBusy(dossier_id=dossier_id)


def event_of(payload: Payload, record: HeldRecord, producer: str, actor: Actor,
             command: StaffCommand | None = None) -> Envelope:
    """A `dossier.*` payload takes the record's (new) version; any other (`payment.*`, for accounting) none."""
    causation_id = command.id if command else None
    if payload.message_type.startswith("dossier."):
        return make_event(payload, producer=producer, dossier_id=record.id, version=record.version, actor=actor,
                          causation_id=causation_id)
    return Envelope(type=payload.message_type, producer=producer, dossier_id=record.id, actor=actor,
                    correlation_id=current_correlation_id(), causation_id=causation_id,
                    data=payload.model_dump(mode="json"))
