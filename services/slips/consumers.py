"""The bus entrypoint: the events that tell the slips about a dossier, and the steps that issue one, into
queue "slips" on the events exchange."""

from services.slips.dependencies import Slips
from services.slips.domain.facts import FACT_TYPES
from services.slips.domain.kinds import SLIP_EVENT_TYPES
from services.slips.reactions import when_step_done_issue_slip
from shared.messages import Envelope
from shared.runtime import Consumer

QUEUE = "slips"
BINDINGS = (*FACT_TYPES, *SLIP_EVENT_TYPES)


def dossier_steps_consumer(slips: Slips) -> Consumer:
    async def on_dossier_step(event: Envelope) -> None:
        await when_step_done_issue_slip(slips, event)

    return Consumer(QUEUE, list(BINDINGS), on_dossier_step)
