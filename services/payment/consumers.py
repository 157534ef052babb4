"""The bus entrypoints: processing's payment requests (events exchange) and `staff.confirm-payment`
(commands exchange). Thin: parse, call the handler, and for a command store its refusal as the answer."""

from collections.abc import Callable

from services.payment.errors import DossierBusy
from services.payment.handlers import PRODUCER, Payments
from services.payment.staff_confirmation import confirm_payment
from services.payment.when_payment_requested import when_payment_requested_take_over
from shared.commands import PAYMENT_ACTIONS
from shared.errors import DomainError
from shared.logging import get_logger
from shared.messages import Envelope
from shared.messaging.port import COMMANDS
from shared.payments import ConfirmPayment
from shared.runtime import Consumer
from shared.staff_commands import COMMAND_PREFIX, CommandOutcomes, StaffCommand, read_staff_command, rejected_answer

log = get_logger(__name__)

REQUESTS_QUEUE = "payment"
COMMANDS_QUEUE = "payment.commands"
COMMAND_BINDINGS = tuple(COMMAND_PREFIX + action for action in PAYMENT_ACTIONS)


def payment_requests_consumer(payments: Payments) -> Consumer:
    async def on_payment_requested(event: Envelope) -> None:
        await when_payment_requested_take_over(payments, event)

    return Consumer(REQUESTS_QUEUE, ["dossier.payment_requested"], on_payment_requested)


def staff_commands_consumer(payments: Payments, outcomes: CommandOutcomes,
                            outcome_stored: Callable[[], None]) -> Consumer:
    async def on_staff_command(envelope: Envelope) -> None:
        await when_staff_command_apply_and_answer(payments, outcomes, outcome_stored, envelope)

    return Consumer(COMMANDS_QUEUE, list(COMMAND_BINDINGS), on_staff_command, exchange=COMMANDS)


async def when_staff_command_apply_and_answer(
    payments: Payments, outcomes: CommandOutcomes, outcome_stored: Callable[[], None], envelope: Envelope,
) -> None:
    """Apply the command at most once; a completed one is answered with its change, a refused one here."""
    command = StaffCommand.of(envelope)
    if await outcomes.was_refused(command.id):
        log.info("command_already_refused", command_id=command.id)
        return
    try:
        dossier_id, payload = read_staff_command(envelope, PAYMENT_ACTIONS)
        assert isinstance(payload, ConfirmPayment)  # payment's only staff action
        result = await confirm_payment(payments, dossier_id, envelope.actor, payload.method, payload.receipt_number,
                                       command)
    except DossierBusy:
        raise  # not a refusal: the bus delivers it again later
    except DomainError as refusal:
        answer = rejected_answer(command, PRODUCER, envelope.dossier_id, refusal)
        if await outcomes.refuse(command.id, answer, payments.clock()):
            outcome_stored()
        log.info("command_rejected", command_id=command.id, command_type=command.type,
                 dossier_id=envelope.dossier_id, code=refusal.code)
        return
    log.info("command_completed", command_id=command.id, command_type=command.type, dossier_id=result.id,
             status=result.status, version=result.version)
