"""The citizen pays (thanh toán): online at the provider, at the office, or by post.

Online, the payment gets a transaction reference unique across replicas and the answer carries the
provider's checkout URL; asked again while that checkout is open, the same one is answered. At the office
or by post, the choice is recorded and staff confirm the money when it arrives.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from services.payment.adapters.providers.port import Checkout
from services.payment.dependencies import PRODUCER, Payments
from services.payment.domain import paying
from services.payment.domain.payment_request import Payment, PaymentRequest
from shared.holder.write import Change, write_change
from shared.messages import Actor
from shared.payments import PaymentMethod

# Enough tries that a reference clash (80 random bits) never stops a payment; one is the rule.
RESERVE_ATTEMPTS = 3


@dataclass(frozen=True)
class PaymentAnswer:
    """The dossier (id, status, version) and the payment standing for the way the citizen chose."""

    id: str
    status: str
    version: int
    payment_id: str
    method: PaymentMethod
    state: str
    amount_vnd: int
    provider: str | None
    checkout_url: str | None


async def pay_dossier(payments: Payments, owner_id: str, dossier_id: str, method: PaymentMethod,
                      client_ip: str, command_key: str | None = None) -> PaymentAnswer:
    """Start (or answer the standing) payment; sent again under the same key, the first one is answered."""
    new = paying.NewPayment(id=payments.new_id())
    if method == "online":
        expires_at = payments.clock() + timedelta(minutes=payments.checkout_minutes)
        new = paying.NewPayment(id=new.id, provider=payments.online.name,
                                reference=await _reserve_reference(payments, dossier_id), expires_at=expires_at)

    async def decide(record: PaymentRequest) -> Change[PaymentRequest] | None:
        return paying.choose_how_to_pay(record, method, new, payments.clock())

    def outcome(record: PaymentRequest) -> dict[str, Any]:
        return {"id": record.id, "status": record.status.value, "version": record.version, "payment_id": new.id}

    try:
        written = await write_change(payments.requests, dossier_id, decide, producer=PRODUCER,
                                     actor=Actor(kind="citizen", id=owner_id), owner_id=owner_id,
                                     published=payments.published, command_key=command_key, outcome=outcome)
    except Exception:
        await _release(payments, new)
        raise
    record = written.record
    if not written.changed:
        await _release(payments, new)
    first = written.answer or {}
    # The payment this call started; else the one started by the first call under its key; else the standing one.
    payment = (_payment(record, new.id) if written.changed
               else _payment(record, first.get("payment_id", ""))
               or paying.standing_payment(record, method, payments.clock()))
    assert payment is not None  # a started payment is stored; an unchanged answer is one that stands
    result = written.result()
    return PaymentAnswer(
        id=result.id, status=result.status, version=result.version, payment_id=payment.id,
        method=payment.method, state=payment.state, amount_vnd=payment.amount_vnd, provider=payment.provider,
        checkout_url=_checkout_url(payments, payment, client_ip))


def _checkout_url(payments: Payments, payment: Payment, client_ip: str) -> str | None:
    if payment.reference is None or payment.expires_at is None or payment.provider != payments.online.name:
        return None
    return payments.online.checkout_url(Checkout(
        reference=payment.reference, amount_vnd=payment.amount_vnd,
        description=f"Thanh toan phi le phi ho so ma giao dich {payment.reference}",
        created_at=payment.started_at, expires_at=payment.expires_at, client_ip=client_ip))


def _payment(record: PaymentRequest, payment_id: str) -> Payment | None:
    return next((payment for payment in record.payments if payment.id == payment_id), None)


async def _reserve_reference(payments: Payments, dossier_id: str) -> str:
    for _ in range(RESERVE_ATTEMPTS):
        reference = payments.new_reference()
        if await payments.references.reserve(reference, dossier_id, payments.clock()):
            return reference
    raise RuntimeError("no free payment reference after several tries: is new_reference random?")


async def _release(payments: Payments, new: paying.NewPayment) -> None:
    if new.reference is not None:
        await payments.references.release(new.reference)
