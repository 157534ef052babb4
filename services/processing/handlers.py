"""Processing's use cases share this: the dependencies they take, and how a decision gets stored.

Every change is decided on the dossier as loaded and stored only if nobody changed it meanwhile (the
write is conditional on that version); otherwise it is loaded again and decided again, a bounded number
of times. Two decisions taken at the same moment (a withdraw and an accept) thus end in one outcome, and
the loser is refused by the state the winner left.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from uuid import uuid4

from services.processing.command_answers import PRODUCER, StaffCommand, completed
from services.processing.documents import ResultDocuments
from services.processing.domain import Change, Dossier, WorkingDays
from services.processing.errors import DossierBusy, VersionConflict
from services.processing.repository import DossierRepository
from shared.errors import DossierNotFound
from shared.logging import get_logger
from shared.messages import Actor, make_event, utc_now
from shared.procedures import ProcedureCatalog
from shared.timezones import local_day

log = get_logger(__name__)

MAX_ATTEMPTS = 5

Decide = Callable[[Dossier], Awaitable[Change | None]]


@dataclass(frozen=True)
class CommandResult:
    """What every command answers: the dossier, its status now and the version that records it."""

    id: str
    status: str
    version: int

    @classmethod
    def of(cls, dossier: Dossier) -> "CommandResult":
        return cls(dossier.id, dossier.status.value, dossier.version)


@dataclass
class Processing:
    """The dependencies every handler needs, wired once by bootstrap (and by the tests)."""

    dossiers: DossierRepository
    documents: ResultDocuments
    catalog: ProcedureCatalog
    calendar: WorkingDays
    next_lookup_code: Callable[[date], Awaitable[str]]
    zone: tzinfo
    max_document_bytes: int
    published: Callable[[], None] = lambda: None
    clock: Callable[[], datetime] = utc_now
    new_id: Callable[[], str] = lambda: uuid4().hex

    def today(self, now: datetime | None = None) -> date:
        """The day it is (or `now` was) in Vietnam."""
        return local_day(now or self.clock(), self.zone)

    async def load(self, dossier_id: str, owner_id: str | None = None) -> Dossier:
        """The dossier; for a citizen (`owner_id`), only their own: anyone else's is not found."""
        dossier = await self.dossiers.get(dossier_id)
        if dossier is None or (owner_id is not None and dossier.owner_id != owner_id):
            raise DossierNotFound()
        return dossier


async def change_dossier(
    processing: Processing, dossier_id: str, decide: Decide, *, actor: Actor,
    command: StaffCommand | None = None, owner_id: str | None = None,
) -> Dossier:
    """Decide on the current dossier and store the change with its events; the dossier as it is now."""
    for _ in range(MAX_ATTEMPTS):
        dossier = await processing.load(dossier_id, owner_id)
        if command is not None and command.id in dossier.applied_commands:
            # Redelivered: it was applied, and its answer stored, with the change it made.
            log.info("command_already_applied", dossier_id=dossier_id, command_id=command.id)
            return dossier
        decided = await decide(dossier)
        if decided is None:
            return dossier
        changed, payload = decided
        events = [make_event(payload, producer=PRODUCER, dossier_id=dossier_id, version=changed.version,
                             actor=actor, causation_id=command.id if command else None)]
        if command is not None:
            events.append(completed(command, changed))
        try:
            await processing.dossiers.save(changed, dossier.version, events, command.id if command else None)
        except VersionConflict:
            log.info("dossier_changed_meanwhile", dossier_id=dossier_id, version=dossier.version)
            continue
        processing.published()
        log.info("dossier_changed", dossier_id=dossier_id, message_type=payload.message_type, version=changed.version,
                 status=changed.status.value, actor_kind=actor.kind)
        return changed
    raise DossierBusy(dossier_id=dossier_id)
