"""A dossier while payment holds it (yêu cầu thanh toán), and every payment made on it. Pure, no I/O.

One record per dossier. It holds the current request (its fee items: phí, lệ phí) and all the payments
(lần thanh toán) made on this and on earlier requests of the dossier, so that a provider's late report on
any of them can still be recognised. The decisions that change it are in `requests.py` (taking a request
over), `paying.py` (the citizen's choice) and `settling.py` (provider reports and staff confirmations); a
change answers a `Change` whose `dossier.*` payloads take the record's new version and whose `payment.*` ones
(for accounting) none.
"""

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal

from shared.holder.command_keys import KeptAnswer
from shared.payments import FeeLine, PaymentMethod
from shared.statuses import Status

# `superseded`: a choice to pay at the office or by post that the citizen replaced by another way to pay.
PaymentState = Literal["pending", "paid", "failed", "cancelled", "superseded"]
OfflineMethod = Literal["at_office", "postal"]
OFFLINE: frozenset[PaymentMethod] = frozenset({"at_office", "postal"})


@dataclass(frozen=True)
class Payment:
    """One way the citizen set out to pay one request (một lần thanh toán), and how it ended."""

    id: str
    request_version: int  # the version of the request it pays (the dossier's, at `dossier.payment_requested`)
    method: PaymentMethod
    amount_vnd: int
    state: PaymentState
    started_at: datetime
    provider: str | None = None
    reference: str | None = None  # mã giao dịch: what the online provider knows this payment by
    expires_at: datetime | None = None
    settled_at: datetime | None = None
    receipt_number: str | None = None  # số biên lai
    provider_code: str | None = None
    provider_transaction_id: str | None = None

    def open_at(self, now: datetime) -> bool:
        """Pending and, online, still payable at the provider (its checkout has not expired)."""
        return self.state == "pending" and (self.expires_at is None or now < self.expires_at)


@dataclass(frozen=True)
class PaymentRequest:
    """The dossier as payment knows it: who owes what, whether payment holds it, and the payments made."""

    id: str
    owner_id: str
    procedure_code: str
    status: Status  # payment_requested while payment holds it; paid once handed back
    version: int  # the dossier's
    requested_version: int  # the version the current request was made at
    items: tuple[FeeLine, ...]
    amount_vnd: int
    requested_at: datetime
    updated_at: datetime
    reason: str | None = None  # why staff asked: always given for an additional fee (khoản phí bổ sung)
    lookup_code: str | None = None  # mã hồ sơ, for the checkout to name the dossier paid for
    # Every stored change counts here, also those that leave the dossier's version alone (a late report on
    # a payment of a request already paid): writes are conditional on it.
    revision: int = 1
    payments: tuple[Payment, ...] = ()
    applied_commands: tuple[str, ...] = ()
    # Recent citizen and staff commands sent under a key, with their answers: a repeat is answered, not applied.
    command_answers: tuple[KeptAnswer, ...] = ()
    # Processing has been told of the payments settled here: by `dossier.paid` with its items for every
    # record this release stores, by `payment.paid_recalled` for one stored before (`recalling.py`).
    paid_recalled: bool = True

    @property
    def held(self) -> bool:
        """Payment holds the dossier (one writer per dossier state): only now may it emit versioned events."""
        return self.status is Status.PAYMENT_REQUESTED

    def current(self) -> tuple[Payment, ...]:
        """The payments of the current request, oldest first."""
        return tuple(payment for payment in self.payments if payment.request_version == self.requested_version)

    def latest(self) -> Payment | None:
        current = self.current()
        return current[-1] if current else None

    def by_reference(self, reference: str) -> Payment | None:
        return next((payment for payment in self.payments if payment.reference == reference), None)

    def with_payments(self, *changed: Payment) -> tuple[Payment, ...]:
        """The payments with `changed` in place of those with the same id, new ones last."""
        by_id = {payment.id: payment for payment in changed}
        kept = tuple(by_id.pop(payment.id, payment) for payment in self.payments)
        return kept + tuple(by_id.values())

    def next_revision(self, now: datetime, **changes: Any) -> "PaymentRequest":
        """The record with `changes`, stored as the next revision."""
        return replace(self, revision=self.revision + 1, updated_at=now, **changes)
