"""The sandbox's checkout (trang thanh toán thử nghiệm): what its page shows, and what its buttons do.

Pressing "Thanh toán" or "Huỷ" makes the sandbox provider report the outcome, signed, through the same
checks and settlement as any provider's report; the browser then goes to the return URL.
"""

from dataclasses import dataclass
from datetime import datetime

from services.payment.adapters.providers.sandbox import SandboxProvider
from services.payment.dependencies import Payments
from services.payment.domain.payment_request import Payment, PaymentRequest
from services.payment.domain.reports import Outcome
from services.payment.errors import UnknownPayment, UnknownProvider
from services.payment.handlers.provider_callbacks import settle_reported
from shared.office import load_office
from shared.payments import FeeLine
from shared.procedures import load_catalog


@dataclass(frozen=True)
class CheckoutView:
    reference: str
    amount_vnd: int
    items: tuple[FeeLine, ...]
    payable: bool  # pending and not expired: the buttons are shown
    state: str
    expires_at: datetime | None
    lookup_code: str | None  # None for a request taken over before payment kept it
    payee: str  # to whom: the Department, as the office's data names it
    procedure: str  # what for: the procedure's name (its items are listed besides)


@dataclass(frozen=True)
class Pressed:
    """Where the browser goes next, and the dossier's version and status after the report."""

    redirect_to: str
    dossier_id: str | None
    version: int | None
    status: str | None


def sandbox_of(payments: Payments) -> SandboxProvider:
    """The sandbox, when it is the provider configured; it has no checkout anywhere else."""
    if not isinstance(payments.online, SandboxProvider):
        raise UnknownProvider(provider="sandbox")
    return payments.online


async def checkout_view(payments: Payments, reference: str) -> CheckoutView:
    sandbox_of(payments)
    record, payment = await _payment(payments, reference)
    office = load_office()
    return CheckoutView(reference=reference, amount_vnd=payment.amount_vnd, items=record.items,
                        payable=payment.open_at(payments.clock()), state=payment.state,
                        expires_at=payment.expires_at, lookup_code=record.lookup_code,
                        payee=f"{office.unit}, {office.name}", procedure=_procedure_name(record.procedure_code))


async def press(payments: Payments, reference: str, outcome: Outcome) -> Pressed:
    """The citizen pressed pay or cancel: the sandbox reports it, signed, as a provider's callback would."""
    sandbox = sandbox_of(payments)
    _, payment = await _payment(payments, reference)
    now = payments.clock()
    if payment.state == "pending" and not payment.open_at(now):
        outcome = "failed"  # past its expiry a checkout takes no money, as a bank's would not (VNPay: "11")
    report = sandbox.report(reference, payment.amount_vnd, outcome, f"SBX{payments.new_id()[:16].upper()}", now)
    _, record = await settle_reported(payments, sandbox, report)
    if record is None:  # refused (pressed after it was settled the other way): nothing to wait for
        return Pressed(sandbox.return_url(report), None, None, None)
    return Pressed(sandbox.return_url(report), record.id, record.version, record.status.value)


async def _payment(payments: Payments, reference: str) -> tuple[PaymentRequest, Payment]:
    dossier_id = await payments.references.dossier_of(reference)
    record = await payments.requests.get(dossier_id) if dossier_id else None
    payment = record.by_reference(reference) if record else None
    if record is None or payment is None or payment.provider != "sandbox":
        raise UnknownPayment()
    return record, payment


def _procedure_name(code: str) -> str:
    # A procedure dropped from the catalog since the request still has its code to show.
    catalog = load_catalog()
    return catalog.get(code).name if code in catalog else code
