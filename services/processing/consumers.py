"""The bus entrypoints: dossiers handed to processing (events exchange) and staff commands (commands exchange).

Thin: each message goes to its reaction or, for a staff command, through the holder kit's consumer (read,
apply at most once, answer) to the one dispatch both doors share.
"""

from collections.abc import Callable
from functools import partial

from services.processing.dependencies import Processing
from services.processing.handlers.staff_commands import apply_staff_action
from services.processing.reactions.when_dossier_paid import when_dossier_paid_take_back
from services.processing.reactions.when_dossier_submitted import when_dossier_submitted_take_over
from services.processing.reactions.when_paid_fees_recalled import when_paid_fees_recalled_backfill
from shared.holder.command_consumer import commands_queue, staff_commands_consumer
from shared.holder.staff_commands import CommandOutcomes
from shared.messages import Envelope
from shared.messaging.port import PermanentFailure
from shared.runtime import Consumer
from shared.statuses import Holder

HAND_OVERS_QUEUE = "processing"
COMMANDS_QUEUE = commands_queue(Holder.PROCESSING)


def hand_overs_consumer(processing: Processing) -> Consumer:
    """Intake hands a dossier over on submission (`dossier.submitted`), payment once paid (`dossier.paid`);
    payment also recalls, once, what was paid before processing kept it (`payment.paid_recalled`)."""
    reactions = {"dossier.submitted": when_dossier_submitted_take_over, "dossier.paid": when_dossier_paid_take_back,
                 "payment.paid_recalled": when_paid_fees_recalled_backfill}

    async def on_hand_over(event: Envelope) -> None:
        reaction = reactions.get(event.type)
        if reaction is None:
            raise PermanentFailure(f"processing does not take {event.type} ({event.id})")
        await reaction(processing, event)

    return Consumer(HAND_OVERS_QUEUE, list(reactions), on_hand_over)


def commands_consumer(
    processing: Processing, outcomes: CommandOutcomes, outcome_stored: Callable[[], None],
) -> Consumer:
    """Processing's staff actions (`staff.accept`… as the table of staff actions says; not `confirm-payment`)."""
    return staff_commands_consumer(Holder.PROCESSING, partial(apply_staff_action, processing), outcomes,
                                   clock=processing.clock, outcome_stored=outcome_stored)
