"""How every citizen command is stored: through the holders' write path, among the owner's dossiers only.

Every change goes through `shared.holder.write`: decided on the dossier as stored, kept only if nobody wrote
meanwhile, and otherwise decided again on what is stored now. So of two commands racing for one dossier,
one wins and the other meets the state the winner left: a command that names the version the citizen saw
(an edit always, a delete when the gateway had an If-Match) is refused `stale_version` (412) once the
dossier has moved on; one that names none (a submit, a plain delete, an attached or removed file) is refused
by that state if it no longer makes sense (`dossier_not_found` after a delete, `dossier_not_deletable` or
`transition_not_allowed` after a submit), and goes through if it still does.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable

from services.intake.dependencies import PRODUCER, Intake
from services.intake.domain import Dossier, Owner
from services.intake.errors import NotHandedBackYet
from shared.holder.write import Change, Outcome, Written, result_of, write_change
from shared.logging import get_logger
from shared.messages import Actor

log = get_logger(__name__)

# How often a command waiting for a hand-back looks again.
HAND_BACK_POLL_SECONDS = 0.02

Decide = Callable[[Dossier], Awaitable[Change[Dossier]]]


async def write_for_owner(intake: Intake, owner: Owner, dossier_id: str, decide: Decide,
                          command_key: str | None = None, outcome: Outcome[Dossier] = result_of) -> Written[Dossier]:
    """Decide and store through the kit, among the owner's dossiers only; under a key, once (its answer kept).

    A command naming a version only a hand-back on its way can have made (NotHandedBackYet) is decided again
    until that hand-back is in, for at most `hand_back_wait_seconds`.
    """
    deadline = time.monotonic() + intake.hand_back_wait_seconds
    waiting = False
    while True:
        try:
            # No owner_id for write_change: the repository's query filters by owner, the one place it is done.
            return await write_change(intake.repository.of_owner(owner.id), dossier_id, decide,
                                      producer=PRODUCER, actor=citizen(owner), published=intake.published,
                                      command_key=command_key, outcome=outcome)
        except NotHandedBackYet:
            if time.monotonic() >= deadline:
                log.info("hand_back_not_arrived", dossier_id=dossier_id)
                raise
            if not waiting:
                log.info("waiting_for_hand_back", dossier_id=dossier_id)
                waiting = True
        await asyncio.sleep(HAND_BACK_POLL_SECONDS)


def citizen(owner: Owner) -> Actor:
    return Actor(kind="citizen", id=owner.id)


async def forget_blobs(intake: Intake, dossier_id: str, blob_ids: Iterable[str]) -> None:
    """Delete the bytes of files no record points at any more (the record's change is already stored).

    The command has happened whatever becomes of this: a blob that cannot be deleted now is logged, by id,
    for a sweep (`BlobStore.ids()` against the records), never reported to the citizen as a failure.
    """
    for blob_id in blob_ids:
        try:
            await intake.blobs.delete(blob_id)
        except Exception:
            log.exception("blob_left_behind", dossier_id=dossier_id, blob_id=blob_id)
