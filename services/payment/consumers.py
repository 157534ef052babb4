"""The bus entrypoints: processing's payment requests (events exchange) and `staff.confirm-payment`
(commands exchange, through the holder kit's consumer: read, apply at most once, answer)."""

from collections.abc import Callable
from functools import partial

from services.payment.dependencies import Payments
from services.payment.handlers.staff_confirmation import apply_staff_action
from services.payment.reactions.when_payment_requested import when_payment_requested_take_over
from shared.holder.command_consumer import commands_queue, staff_commands_consumer
from shared.holder.staff_commands import CommandOutcomes
from shared.messages import Envelope
from shared.runtime import Consumer
from shared.statuses import Holder

REQUESTS_QUEUE = "payment"
COMMANDS_QUEUE = commands_queue(Holder.PAYMENT)


def payment_requests_consumer(payments: Payments) -> Consumer:
    async def on_payment_requested(event: Envelope) -> None:
        await when_payment_requested_take_over(payments, event)

    return Consumer(REQUESTS_QUEUE, ["dossier.payment_requested"], on_payment_requested)


def commands_consumer(payments: Payments, outcomes: CommandOutcomes, outcome_stored: Callable[[], None]) -> Consumer:
    """Payment's staff actions (`staff.confirm-payment`, as the table of staff actions says)."""
    return staff_commands_consumer(Holder.PAYMENT, partial(apply_staff_action, payments), outcomes,
                                   clock=payments.clock, outcome_stored=outcome_stored)
