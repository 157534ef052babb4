"""Staff confirm a payment made at the office or by post (xác nhận thanh toán), with the receipt number.

Both doors call this: the internal HTTP API (the gateway, after checking the staff role) and
`staff.confirm-payment` on the commands exchange, which also passes the `StaffCommand` so that a
redelivery changes nothing twice.
"""

from services.payment import settling
from services.payment.domain import Change, OfflineMethod, PaymentRequest
from services.payment.handlers import CommandResult, Payments, change_request
from shared.errors import InvalidCommand
from shared.messages import Actor
from shared.staff_commands import StaffCommand


async def confirm_payment(payments: Payments, dossier_id: str, actor: Actor, method: OfflineMethod,
                          receipt_number: str, command: StaffCommand | None = None) -> CommandResult:
    receipt_number = receipt_number.strip()
    if not receipt_number:
        raise InvalidCommand({"receipt_number": "Vui lòng nhập số biên lai."})
    new_id = payments.new_id()

    async def decide(record: PaymentRequest) -> Change:
        return settling.confirm_received(record, method, receipt_number, new_id, payments.clock())

    record, _ = await change_request(payments, dossier_id, decide, actor=actor, command=command)
    return CommandResult.of(record)
