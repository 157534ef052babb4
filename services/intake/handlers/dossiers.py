"""Intake's use cases: one function per citizen command, each storing the change with its event.

Every change goes through the holders' write path (`shared.holder.write`): decided on the dossier as
stored, kept only if nobody wrote meanwhile, and otherwise decided again on what is stored now. So of two
commands racing for one dossier, one wins and the other meets the state the winner left: a command that
names the version the citizen saw (an edit always, a delete when the gateway had an If-Match) is refused
`stale_version` (412) once the dossier has moved on; one that names none (a submit, a plain delete) is
refused by that state if it no longer makes sense (`dossier_not_found` after a delete,
`dossier_not_deletable` or `transition_not_allowed` after a submit), and goes through if it still does.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from services.intake import domain
from services.intake.dependencies import PRODUCER, Intake
from services.intake.domain import Dossier, Owner
from services.intake.errors import NotHandedBackYet
from shared.holder.write import Change, CommandResult, Written, event_of, write_change
from shared.logging import get_logger
from shared.messages import Actor, DossierContent

log = get_logger(__name__)

# How often a command waiting for a hand-back looks again.
HAND_BACK_POLL_SECONDS = 0.02

Decide = Callable[[Dossier], Awaitable[Change[Dossier]]]


async def create_draft(intake: Intake, owner: Owner, content: DossierContent) -> CommandResult:
    """Start a dossier (lưu nháp): version 1, a draft."""
    dossier, payload = domain.create_draft(intake.new_id(), owner, content, intake.catalog, intake.clock())
    # A new id: no one else can have written it, so there is nothing to decide again.
    await intake.repository.add(dossier, [event_of(payload, dossier, PRODUCER, _citizen(owner))])
    intake.published()
    return CommandResult.of(dossier)


async def edit_dossier(
    intake: Intake, owner: Owner, dossier_id: str, changes: dict[str, Any], expected_version: int,
) -> CommandResult:
    """Change a draft or a dossier under supplement request, on the version the citizen saw."""
    async def decide(dossier: Dossier) -> Change[Dossier]:
        edited, payload = domain.edit(dossier, changes, expected_version, intake.catalog, intake.clock())
        return Change(edited, [payload])

    written = await _write(intake, owner, dossier_id, decide)
    return CommandResult.of(written.record)


async def delete_draft(
    intake: Intake, owner: Owner, dossier_id: str, expected_version: int | None,
) -> CommandResult:
    """Delete a draft (xoá hồ sơ chưa gửi)."""
    async def decide(dossier: Dossier) -> Change[Dossier]:
        deleted, payload = domain.delete(dossier, expected_version)
        return Change(deleted, [payload])

    written = await _write(intake, owner, dossier_id, decide)
    return CommandResult(written.record.id, "deleted", written.record.version)


async def submit_dossier(intake: Intake, owner: Owner, dossier_id: str) -> CommandResult:
    """Send the dossier (gửi hồ sơ) as it is stored now; processing holds it from here on."""
    async def decide(dossier: Dossier) -> Change[Dossier]:
        submitted, payload = domain.submit(dossier, intake.catalog, intake.clock())
        return Change(submitted, [payload])

    written = await _write(intake, owner, dossier_id, decide)
    return CommandResult.of(written.record)


async def _write(intake: Intake, owner: Owner, dossier_id: str, decide: Decide) -> Written[Dossier]:
    """Decide and store through the kit, among the owner's dossiers only.

    A command naming a version only a hand-back on its way can have made (NotHandedBackYet) is decided again
    until that hand-back is in, for at most `hand_back_wait_seconds`.
    """
    deadline = time.monotonic() + intake.hand_back_wait_seconds
    waiting = False
    while True:
        try:
            # No owner_id for write_change: the repository's query filters by owner, the one place it is done.
            return await write_change(intake.repository.of_owner(owner.id), dossier_id, decide,
                                      producer=PRODUCER, actor=_citizen(owner), published=intake.published)
        except NotHandedBackYet:
            if time.monotonic() >= deadline:
                log.info("hand_back_not_arrived", dossier_id=dossier_id)
                raise
            if not waiting:
                log.info("waiting_for_hand_back", dossier_id=dossier_id)
                waiting = True
        await asyncio.sleep(HAND_BACK_POLL_SECONDS)


def _citizen(owner: Owner) -> Actor:
    return Actor(kind="citizen", id=owner.id)
