"""The bus door of a holder's staff actions: a queue bound to the actions it applies, each applied at most once.

A completed command is answered (`command.completed`) by the write path, in the same write as its change; a
refused one (`command.rejected`) is stored here, once, under the command's id. A dossier that stays busy is
not a refusal: the message goes back to the bus, which delivers it again later. Anything else a handler
raises is left to the bus's retries and, at the end of them, its dead-letter queue.
"""

from collections.abc import Awaitable, Callable
from datetime import datetime

from shared.errors import DomainError
from shared.holder.errors import DossierBusy
from shared.holder.staff_commands import CommandOutcomes, StaffCommand, read_staff_command, rejected_answer
from shared.holder.write import CommandResult
from shared.logging import get_logger
from shared.messages import Actor, Envelope, Payload
from shared.messaging.port import COMMANDS
from shared.runtime import Consumer
from shared.staff_actions import BY_NAME, applied_by
from shared.statuses import Holder

log = get_logger(__name__)

# Apply the typed command to the dossier: the handler both doors (HTTP and bus) end in.
ApplyCommand = Callable[[str, Payload, Actor, StaffCommand], Awaitable[CommandResult]]


def commands_queue(holder: Holder) -> str:
    """The queue of the staff commands `holder` applies."""
    return f"{holder.value}.commands"


def staff_commands_consumer(
    holder: Holder, apply: ApplyCommand, outcomes: CommandOutcomes, *, clock: Callable[[], datetime],
    outcome_stored: Callable[[], None] = lambda: None,
) -> Consumer:
    """`<holder>.commands`, bound to `staff.<action>` for each action the table says `holder` applies."""
    actions = applied_by(holder)

    async def on_staff_command(envelope: Envelope) -> None:
        command = StaffCommand.of(envelope)
        if await outcomes.was_refused(command.id):
            log.info("command_already_refused", command_id=command.id)
            return
        try:
            dossier_id, payload = read_staff_command(envelope, actions)
            result = await apply(dossier_id, payload, envelope.actor, command)
        except DossierBusy:
            raise  # not a refusal: the bus delivers it again later
        except DomainError as refusal:
            answer = rejected_answer(command, holder.value, envelope.dossier_id, refusal)
            if await outcomes.refuse(command.id, answer, clock()):
                outcome_stored()
            log.info("command_rejected", command_id=command.id, command_type=command.type,
                     dossier_id=envelope.dossier_id, code=refusal.code)
            return
        log.info("command_completed", command_id=command.id, command_type=command.type, dossier_id=result.id,
                 status=result.status, version=result.version)

    bindings = [BY_NAME[action].routing_key for action in actions]
    return Consumer(commands_queue(holder), bindings, on_staff_command, exchange=COMMANDS)
