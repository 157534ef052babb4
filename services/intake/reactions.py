"""Intake's bus reactions: processing hands a dossier back to the citizen, and intake holds it again.

Withdrawn (rút hồ sơ) it comes back a draft; sent back for a supplement (yêu cầu bổ sung) it comes back
`supplement_requested`, remembering the documents the request names: in the status the event says, at the
event's version. Each reaction has the shape of every hand-over (`shared.holder.hand_over`): an event without
a dossier id or version, an invalid payload, an unknown dossier or a hand-back out of turn is dead-lettered at
once; a write that meets another is decided again on the dossier as stored, where a duplicate or older
delivery changes nothing.
"""

from services.intake import domain
from services.intake.dependencies import PRODUCER, Intake
from services.intake.domain import Dossier
from shared.holder.hand_over import TakeOver, take_hand_over
from shared.holder.write import Change, write_change
from shared.lifecycle import DossierWithdrawn, SupplementRequested
from shared.messages import SYSTEM, Envelope, StatusChange


async def when_dossier_withdrawn_take_it_back(intake: Intake, event: Envelope) -> None:
    """The citizen withdrew the dossier before reception: it is their draft again."""
    await take_hand_over(event, DossierWithdrawn, _take_back(intake))


async def when_supplement_requested_take_it_back(intake: Intake, event: Envelope) -> None:
    """The Reception and Result Return Unit asked for a supplement: the citizen completes the dossier."""
    await take_hand_over(event, SupplementRequested, _take_back(intake))


def _take_back(intake: Intake) -> TakeOver[StatusChange]:
    async def take_back(dossier_id: str, version: int, change: StatusChange) -> None:
        # A supplement request names the documents the citizen must add files to before sending it again.
        requested = change.documents if isinstance(change, SupplementRequested) else ()

        async def decide(dossier: Dossier) -> Change[Dossier] | None:
            taken_back = domain.take_back(dossier, change.to_status, version, intake.clock(), requested)
            return None if taken_back is None else Change(taken_back)

        # Nothing to publish: processing's event already told everyone else.
        await write_change(intake.repository.of_any_owner(), dossier_id, decide, producer=PRODUCER, actor=SYSTEM)

    return take_back
