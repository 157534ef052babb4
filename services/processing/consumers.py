"""The bus entrypoints: dossiers handed to processing (events exchange) and staff commands (commands exchange).

Thin: parse, call the handler, and for a command store its refusal as the answer. A handler that raises
anything else leaves the message to the bus's retries and, at the end of them, its dead-letter queue.
"""

from collections.abc import Callable

from services.processing.command_answers import StaffCommand, rejected
from services.processing.errors import DossierBusy
from services.processing.handlers import Processing
from services.processing.staff_commands import apply_staff_action, read_staff_command
from services.processing.when_dossier_paid import when_dossier_paid_take_back
from services.processing.when_dossier_submitted import when_dossier_submitted_take_over
from shared.commands import PROCESSING_ACTIONS
from shared.errors import DomainError
from shared.logging import get_logger
from shared.messages import Envelope
from shared.messaging.port import COMMANDS, PermanentFailure
from shared.runtime import Consumer
from shared.staff_commands import COMMAND_PREFIX, CommandOutcomes

log = get_logger(__name__)

HAND_OVERS_QUEUE = "processing"
COMMANDS_QUEUE = "processing.commands"
# Each action to its holder: `staff.confirm-payment` goes to payment alone, so no `staff.*` here.
COMMAND_BINDINGS = tuple(COMMAND_PREFIX + action for action in PROCESSING_ACTIONS)


def hand_overs_consumer(processing: Processing) -> Consumer:
    """Intake hands a dossier over on submission (`dossier.submitted`), payment once paid (`dossier.paid`)."""
    reactions = {"dossier.submitted": when_dossier_submitted_take_over, "dossier.paid": when_dossier_paid_take_back}

    async def on_hand_over(event: Envelope) -> None:
        reaction = reactions.get(event.type)
        if reaction is None:
            raise PermanentFailure(f"processing does not take {event.type} ({event.id})")
        await reaction(processing, event)

    return Consumer(HAND_OVERS_QUEUE, list(reactions), on_hand_over)


def staff_commands_consumer(
    processing: Processing, outcomes: CommandOutcomes, outcome_stored: Callable[[], None],
) -> Consumer:
    async def on_staff_command(envelope: Envelope) -> None:
        await when_staff_command_apply_and_answer(processing, outcomes, outcome_stored, envelope)

    return Consumer(COMMANDS_QUEUE, list(COMMAND_BINDINGS), on_staff_command, exchange=COMMANDS)


async def when_staff_command_apply_and_answer(
    processing: Processing, outcomes: CommandOutcomes, outcome_stored: Callable[[], None], envelope: Envelope,
) -> None:
    """Apply the command at most once; a completed one is answered with its change, a refused one here."""
    command = StaffCommand.of(envelope)
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
