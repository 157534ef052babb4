"""Intake's bus entrypoint: the queue by which processing hands dossiers back, each event to its reaction."""

from collections.abc import Awaitable, Callable

from services.intake.dependencies import Intake
from services.intake.reactions import when_dossier_withdrawn_take_it_back, when_supplement_requested_take_it_back
from shared.messages import Envelope
from shared.messaging.port import PermanentFailure
from shared.runtime import Consumer

QUEUE = "intake"

Reaction = Callable[[Intake, Envelope], Awaitable[None]]
REACTIONS: dict[str, Reaction] = {
    "dossier.withdrawn": when_dossier_withdrawn_take_it_back,
    "dossier.supplement_requested": when_supplement_requested_take_it_back,
}


def hand_backs_consumer(intake: Intake) -> Consumer:
    """`intake`, bound to each event by which processing gives a dossier back to the citizen."""
    async def on_hand_back(event: Envelope) -> None:
        reaction = REACTIONS.get(event.type)
        if reaction is None:
            raise PermanentFailure(f"intake does not take {event.type} ({event.id})")
        await reaction(intake, event)

    return Consumer(QUEUE, list(REACTIONS), on_hand_back)
