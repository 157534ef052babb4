"""Staff confirm a payment made at the office or by post (xác nhận thanh toán), with the receipt number.

Both doors call this: the internal HTTP API (the gateway, after checking the staff role) and
`staff.confirm-payment` on the commands exchange, which also passes the `StaffCommand` so that a
redelivery changes nothing twice.
"""

from services.payment.dependencies import PRODUCER, Payments
from services.payment.domain import settling
from services.payment.domain.payment_request import OfflineMethod, PaymentRequest
from shared.errors import InvalidCommand, UnknownStaffAction
from shared.holder.staff_commands import StaffCommand
from shared.holder.write import Change, CommandResult, write_change
from shared.messages import Actor, Payload
from shared.payments import ConfirmPayment


async def apply_staff_action(
    payments: Payments, dossier_id: str, payload: Payload, actor: Actor, command: StaffCommand | None = None,
    command_key: str | None = None,
) -> CommandResult:
    """Call the handler of the command `payload` is: payment applies one staff action, `confirm-payment`."""
    if not isinstance(payload, ConfirmPayment):
        raise UnknownStaffAction(action=payload.message_type)
    return await confirm_payment(payments, dossier_id, actor, payload.method, payload.receipt_number, command,
                                 command_key)


async def confirm_payment(payments: Payments, dossier_id: str, actor: Actor, method: OfflineMethod,
                          receipt_number: str, command: StaffCommand | None = None,
                          command_key: str | None = None) -> CommandResult:
    receipt_number = receipt_number.strip()
    if not receipt_number:
        raise InvalidCommand({"receipt_number": "Vui lòng nhập số biên lai."})
    new_id = payments.new_id()

    async def decide(record: PaymentRequest) -> Change[PaymentRequest]:
        return settling.confirm_received(record, method, receipt_number, new_id, payments.clock())

    written = await write_change(payments.requests, dossier_id, decide, producer=PRODUCER, actor=actor,
                                 command=command, published=payments.published, command_key=command_key)
    return written.result()
