"""Intake's use cases: one function per citizen command, each storing the change with its event."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import uuid4

from services.intake import domain
from services.intake.domain import Dossier, Owner
from services.intake.repository import DossierRepository
from shared.errors import DossierNotFound
from shared.logging import get_logger
from shared.messages import Actor, DossierContent, Envelope, Payload, StatusChange, make_event, utc_now
from shared.procedures import ProcedureCatalog
from shared.statuses import Status

PRODUCER = "intake"
log = get_logger(__name__)


@dataclass(frozen=True)
class CommandResult:
    """What every command answers: the dossier, its status now and the version that records it."""

    id: str
    status: str
    version: int


@dataclass
class Intake:
    """The dependencies every handler needs, wired once by bootstrap (and by the tests)."""

    repository: DossierRepository
    catalog: ProcedureCatalog
    published: Callable[[], None] = lambda: None
    clock: Callable[[], datetime] = utc_now
    new_id: Callable[[], str] = lambda: str(uuid4())

    async def load(self, dossier_id: str, owner: Owner) -> Dossier:
        dossier = await self.repository.get(dossier_id, owner.id)
        if dossier is None:
            raise DossierNotFound()
        return dossier


def _event(payload: Payload, dossier: Dossier, version: int) -> Any:
    return make_event(payload, producer=PRODUCER, dossier_id=dossier.id, version=version,
                      actor=Actor(kind="citizen", id=dossier.owner.id))


async def create_draft(intake: Intake, owner: Owner, content: DossierContent) -> CommandResult:
    dossier, payload = domain.create_draft(intake.new_id(), owner, content, intake.catalog, intake.clock())
    await intake.repository.add(dossier, [_event(payload, dossier, dossier.version)])
    intake.published()
    return CommandResult(dossier.id, dossier.status, dossier.version)


async def edit_dossier(
    intake: Intake, owner: Owner, dossier_id: str, changes: dict[str, Any], expected_version: int,
) -> CommandResult:
    dossier = await intake.load(dossier_id, owner)
    edited, payload = domain.edit(dossier, changes, expected_version, intake.catalog, intake.clock())
    await intake.repository.save(edited, dossier.version, [_event(payload, edited, edited.version)])
    intake.published()
    return CommandResult(edited.id, edited.status, edited.version)


async def delete_draft(
    intake: Intake, owner: Owner, dossier_id: str, expected_version: int | None,
) -> CommandResult:
    dossier = await intake.load(dossier_id, owner)
    payload = domain.delete(dossier, expected_version)
    await intake.repository.remove(dossier, [_event(payload, dossier, dossier.version + 1)])
    intake.published()
    return CommandResult(dossier.id, "deleted", dossier.version + 1)


async def submit_dossier(intake: Intake, owner: Owner, dossier_id: str) -> CommandResult:
    dossier = await intake.load(dossier_id, owner)
    submitted, payload = domain.submit(dossier, intake.catalog, intake.clock())
    await intake.repository.save(submitted, dossier.version, [_event(payload, submitted, submitted.version)])
    intake.published()
    return CommandResult(submitted.id, Status.SUBMITTED, submitted.version)


async def when_dossier_handed_back_take_it_back(intake: Intake, event: Envelope) -> None:
    """Processing withdrew the dossier or asked for a supplement: intake holds it again, at that version."""
    change = StatusChange.model_validate(event.data)
    if event.dossier_id is None or event.version is None:
        return
    dossier = await intake.repository.get_any(event.dossier_id)
    if dossier is None:
        log.warning("handed_back_unknown_dossier", dossier_id=event.dossier_id, event_type=event.type)
        return
    taken_back = domain.take_back(dossier, change.to_status, event.version, intake.clock())
    if taken_back is None:
        return
    # A StaleVersion here (another replica took it back first) fails the delivery; the retry finds it done.
    await intake.repository.save(taken_back, dossier.version, [])
