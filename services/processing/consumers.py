"""The bus entrypoints: intake's submissions (events exchange) and staff commands (commands exchange).

Thin: parse, call the handler, and for a command store its refusal as the answer. A handler that raises
anything else leaves the message to the bus's retries and, at the end of them, its dead-letter queue.
"""

from collections.abc import Callable

from services.processing.command_answers import StaffCommand, rejected
from services.processing.errors import DossierBusy
from services.processing.handlers import Processing
from services.processing.outcomes import CommandOutcomes
from services.processing.staff_commands import apply_staff_action, read_staff_command
from services.processing.when_dossier_submitted import when_dossier_submitted_take_over
from shared.errors import DomainError
from shared.logging import get_logger
from shared.messages import Envelope
from shared.messaging.port import COMMANDS
from shared.runtime import Consumer

log = get_logger(__name__)

SUBMISSIONS_QUEUE = "processing"
COMMANDS_QUEUE = "processing.commands"


def submissions_consumer(processing: Processing) -> Consumer:
    async def on_submitted(event: Envelope) -> None:
        await when_dossier_submitted_take_over(processing, event)

    return Consumer(SUBMISSIONS_QUEUE, ["dossier.submitted"], on_submitted)


def staff_commands_consumer(
    processing: Processing, outcomes: CommandOutcomes, outcome_stored: Callable[[], None],
) -> Consumer:
    async def on_staff_command(envelope: Envelope) -> None:
        await when_staff_command_apply_and_answer(processing, outcomes, outcome_stored, envelope)

    return Consumer(COMMANDS_QUEUE, ["staff.*"], on_staff_command, exchange=COMMANDS)


async def when_staff_command_apply_and_answer(
    processing: Processing, outcomes: CommandOutcomes, outcome_stored: Callable[[], None], envelope: Envelope,
) -> None:
    """Apply the command at most once; a completed one is answered with its change, a refused one here."""
    # Without a correlation id of its own, a command correlates by its id (as the bus logs it, and as the
    # events it causes carry it).
    command = StaffCommand(envelope.id, envelope.type, envelope.correlation_id or envelope.id, envelope.actor)
    if await outcomes.was_refused(command.id):
        log.info("command_already_refused", command_id=command.id)
        return
    try:
        dossier_id, payload = read_staff_command(envelope)
        result = await apply_staff_action(processing, dossier_id, payload, envelope.actor, command)
    except DossierBusy:
        raise  # not a refusal: the bus delivers it again later
    except DomainError as refusal:
        if await outcomes.refuse(command.id, rejected(command, envelope.dossier_id, refusal), processing.clock()):
            outcome_stored()
        log.info("command_rejected", command_id=command.id, command_type=command.type,
                 dossier_id=envelope.dossier_id, code=refusal.code)
        return
    log.info("command_completed", command_id=command.id, command_type=command.type, dossier_id=result.id,
             status=result.status, version=result.version)
