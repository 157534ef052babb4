"""Provider reports (kết quả thanh toán từ cổng thanh toán): checked, then settled once.

The checks, in order: the signature (constant-time), the transaction reference (known), the amount (the
payment's), and the payment's state (a report contradicting how it was settled is a replay). Any failure
changes nothing, is logged without personal data and publishes `payment.callback_refused`. A duplicate
of a report already applied is acknowledged and changes nothing.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from services.payment.adapters.providers.port import CallbackAnswer, PaymentProvider, ProviderReply
from services.payment.dependencies import PRODUCER, Payments
from services.payment.domain import settling
from services.payment.domain.payment_request import PaymentRequest, PaymentState
from services.payment.domain.receipts import online_receipt_number
from services.payment.domain.reports import ProviderReport
from services.payment.errors import CallbackRefused
from shared.correlation import current_correlation_id
from shared.holder.write import Change, write_change
from shared.logging import get_logger
from shared.messages import SYSTEM, Actor, Envelope
from shared.payments import PaymentCallbackRefused

log = get_logger(__name__)


@dataclass(frozen=True)
class ReturnView:
    """What the browser's way back from the provider shows: the verified outcome and where the payment is."""

    verified: bool
    outcome: str | None = None
    state: PaymentState | None = None
    amount_vnd: int | None = None
    receipt_number: str | None = None
    dossier_id: str | None = None  # where the portal brings the citizen back to


async def receive_report(payments: Payments, provider_name: str, params: Mapping[str, str] | None) -> ProviderReply:
    """A provider's callback (IPN): settle what it reports and answer as its protocol expects.

    `params` None: the parameters could not be read (repeated, too many, too long): malformed.
    """
    provider = payments.provider(provider_name)
    answer, _ = await settle_reported(payments, provider, params)
    return provider.reply(answer)


async def settle_reported(payments: Payments, provider: PaymentProvider,
                          params: Mapping[str, str] | None) -> tuple[CallbackAnswer, PaymentRequest | None]:
    """Check the report and settle the payment it is about; the answer, and the record as it is now."""
    dossier_id: str | None = None
    reported_paid = False
    try:
        if params is None:
            raise CallbackRefused("malformed")
        report = provider.verify(params, payments.clock())
        reported_paid = report.outcome == "paid"
        dossier_id = await payments.references.dossier_of(report.reference)
        record = await payments.requests.get(dossier_id) if dossier_id else None
        if record is None:
            raise CallbackRefused("unknown_reference", report.reference)
        receipt_number = online_receipt_number(report.reference, payments.today(payments.clock()))

        async def decide(current: PaymentRequest) -> Change[PaymentRequest] | None:
            return settling.settle_report(current, report, receipt_number, payments.clock())

        # The citizen paid (or gave up): the change is theirs, reported by the provider.
        written = await write_change(payments.requests, record.id, decide, producer=PRODUCER,
                                     actor=Actor(kind="citizen", id=record.owner_id), published=payments.published)
    except CallbackRefused as refusal:
        await _refuse(payments, provider.name, refusal, dossier_id, params)
        if refusal.reason == "replayed" and reported_paid:
            # Genuine and paid, yet the request was paid otherwise: the citizen may have paid twice.
            log.error("payment_reported_paid_after_settlement", provider=provider.name, dossier_id=dossier_id,
                      reference=refusal.reference, action="check with the provider and refund if charged")
        return CallbackAnswer("refused", refusal.reason), None
    log.info("payment_report_received", provider=provider.name, dossier_id=dossier_id, reference=report.reference,
             outcome=report.outcome, settled=written.changed)
    return CallbackAnswer("settled" if written.changed else "duplicate"), written.record


async def read_return(payments: Payments, provider_name: str, params: Mapping[str, str]) -> ReturnView:
    """The browser's way back (return URL): verified, never settling anything (the report does that)."""
    provider = payments.provider(provider_name)
    try:
        report: ProviderReport = provider.verify(params, payments.clock())
    except CallbackRefused:
        return ReturnView(verified=False)
    dossier_id = await payments.references.dossier_of(report.reference)
    record = await payments.requests.get(dossier_id) if dossier_id else None
    payment = record.by_reference(report.reference) if record else None
    if payment is None:
        return ReturnView(verified=False)
    return ReturnView(verified=True, outcome=report.outcome, state=payment.state, amount_vnd=payment.amount_vnd,
                      receipt_number=payment.receipt_number, dossier_id=dossier_id)


async def _refuse(payments: Payments, provider: str, refusal: CallbackRefused, dossier_id: str | None,
                  params: Mapping[str, str] | None) -> None:
    # Never the parameters themselves: they may carry a card's bank, a customer's details, the signature.
    log.warning("payment_callback_refused", provider=provider, reason=refusal.reason, reference=refusal.reference,
                dossier_id=dossier_id, parameter_count=len(params) if params is not None else None)
    payload = PaymentCallbackRefused(provider=provider, reason=refusal.reason, reference=refusal.reference)
    await payments.refusals.store(Envelope(
        type=payload.message_type, producer=PRODUCER, dossier_id=dossier_id, actor=SYSTEM,
        correlation_id=current_correlation_id(), data=payload.model_dump(mode="json")), payments.clock())
    payments.refusal_stored()
