"""Payment contracts (thanh toán phí, lệ phí): the hand-over to payment and back, and what accounting sees.

Processing hands a received or processing dossier to payment with `dossier.payment_requested`; payment
holds it while the citizen pays (its `dossier.payment_*` events carry the next versions) and hands it back
with `dossier.paid`. `payment.*` events (no dossier version) are for staff tools and accounting.
"""

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from shared.messages import Payload, StatusChange
from shared.statuses import Status

PaymentMethod = Literal["online", "at_office", "postal"]


class FeeLine(BaseModel):
    """One item of the request: a fee (phí) or a charge (lệ phí), in VND."""

    kind: Literal["phi", "le_phi"]
    name: str = Field(min_length=1, max_length=300)
    amount_vnd: int = Field(ge=0, le=10_000_000_000)


class PaymentRequested(StatusChange):
    """Processing asks the citizen to pay (yêu cầu thanh toán) and hands the dossier to payment.

    A dossier paid before is only ever asked for an additional fee (khoản phí bổ sung), and always says why."""

    message_type: str = Field(default="dossier.payment_requested", exclude=True)
    to_status: Status = Status.PAYMENT_REQUESTED
    reason: str | None = Field(default=None, description=(
        "Why staff ask: always given for an additional fee on a dossier paid before, may be given the first time"))
    items: list[FeeLine] = Field(min_length=1, max_length=50)
    amount_vnd: int = Field(gt=0)
    procedure_code: str
    owner_id: str
    lookup_code: str | None = Field(default=None, description=(
        "Mã hồ sơ, drawn at reception: what the checkout names and a transfer's content carries"))
    pay_by: date | None = Field(default=None, description=(
        "Hạn nộp (YYYY-MM-DD): the last day to pay at the office or by post, the office's payment days counted "
        "in working days from the request by processing; absent from a request made before it was computed"))


class PaymentStarted(Payload):
    """The citizen chose how to pay; for online payment, a checkout at the provider is open (pending)."""

    message_type: str = Field(default="dossier.payment_started", exclude=True)
    payment_id: str
    method: PaymentMethod
    amount_vnd: int
    provider: str | None = None


class PaymentFailed(Payload):
    """An online payment was cancelled or refused by the provider; the citizen may try again."""

    message_type: str = Field(default="dossier.payment_failed", exclude=True)
    payment_id: str
    method: PaymentMethod
    provider: str | None = None
    provider_code: str | None = None


class DossierPaid(StatusChange):
    """Paid (đã thanh toán): payment hands the dossier back to processing, with the receipt."""

    message_type: str = Field(default="dossier.paid", exclude=True)
    from_status: Status | None = Status.PAYMENT_REQUESTED
    to_status: Status = Status.PAID
    payment_id: str
    method: PaymentMethod
    amount_vnd: int
    receipt_number: str
    paid_at: datetime
    items: list[FeeLine] = Field(default_factory=list, max_length=50, description=(
        "The fee items this payment paid: those of the request. Empty from a payment release before they "
        "were carried; processing then knows them from its own request"))


class PaymentCompleted(Payload):
    """For accounting and staff tools: one completed payment, whatever the way it was paid."""

    message_type: str = Field(default="payment.completed", exclude=True)
    payment_id: str
    dossier_id: str
    method: PaymentMethod
    amount_vnd: int
    receipt_number: str
    paid_at: datetime
    provider: str | None = None
    provider_transaction_id: str | None = None


class RecalledPayment(BaseModel):
    """One payment settled on the dossier, as payment's record keeps it."""

    payment_id: str
    method: PaymentMethod
    amount_vnd: int
    receipt_number: str
    paid_at: datetime
    items: list[FeeLine] = Field(default_factory=list, max_length=50, description=(
        "The fee items it paid, when payment still has them (those of the dossier's latest request); "
        "empty for an earlier request"))


class PaidFeesRecalled(Payload):
    """Once per dossier, at payment's start: the payments settled before processing kept what was paid.

    A payment release before `dossier.paid` carried its items left processing with no record of fees paid,
    so it would ask for the procedure's fee again; with these it refuses to (a fee paid stays paid)."""

    message_type: str = Field(default="payment.paid_recalled", exclude=True)
    dossier_id: str
    payments: list[RecalledPayment] = Field(min_length=1, max_length=100)


class PaymentCallbackRefused(Payload):
    """A provider callback that failed its checks (forged, altered, unknown or replayed): nothing changed."""

    message_type: str = Field(default="payment.callback_refused", exclude=True)
    provider: str
    reason: Literal["bad_signature", "unknown_reference", "amount_mismatch", "replayed", "malformed"]
    reference: str | None = None


class RequestPayment(Payload):
    """Staff: ask for the procedure's fee items, or for the `items` given, and perhaps say why (`reason`).

    Once the dossier has been paid, only an additional fee (khoản phí bổ sung) may be asked: `items` none of
    which was paid already, and a `reason`."""

    message_type: str = Field(default="staff.request-payment", exclude=True)
    items: list[FeeLine] | None = Field(default=None, min_length=1, max_length=50)
    reason: str | None = Field(default=None, min_length=1, max_length=2000)


class ConfirmPayment(Payload):
    """Staff: a payment made at the office or by post was received, with its receipt number (số biên lai)."""

    message_type: str = Field(default="staff.confirm-payment", exclude=True)
    method: Literal["at_office", "postal"]
    receipt_number: str = Field(min_length=1, max_length=64)
