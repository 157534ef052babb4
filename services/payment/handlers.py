"""Payment's use cases share this: the dependencies they take, and how a decision gets stored.

Every change is decided on the record as loaded and stored only if nobody changed it meanwhile (the write
is conditional on its revision); otherwise it is loaded again and decided again, a bounded number of
times. Ten copies of one provider report arriving at once thus settle the payment once: the others find
it settled and are duplicates.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from uuid import uuid4

from services.payment.domain import Change, PaymentRequest
from services.payment.errors import DossierBusy, UnknownProvider, VersionConflict
from services.payment.providers.port import PaymentProvider
from services.payment.receipts import new_reference
from services.payment.references import PaymentReferences
from services.payment.refusals import CallbackRefusals
from services.payment.repository import PaymentRequests
from shared.correlation import current_correlation_id
from shared.errors import DossierNotFound
from shared.logging import get_logger
from shared.messages import Actor, Envelope, Payload, make_event, utc_now
from shared.staff_commands import StaffCommand, completed_answer

log = get_logger(__name__)

PRODUCER = "payment"
MAX_ATTEMPTS = 5

Decide = Callable[[PaymentRequest], Awaitable[Change | None]]


@dataclass(frozen=True)
class CommandResult:
    """What every command answers: the dossier, its status now and the version that records it."""

    id: str
    status: str
    version: int

    @classmethod
    def of(cls, record: PaymentRequest) -> "CommandResult":
        return cls(record.id, record.status.value, record.version)


@dataclass
class Payments:
    """The dependencies every handler needs, wired once by bootstrap (and by the tests)."""

    requests: PaymentRequests
    references: PaymentReferences
    refusals: CallbackRefusals
    online: PaymentProvider  # where new online payments go
    zone: tzinfo
    checkout_minutes: int
    published: Callable[[], None] = lambda: None
    refusal_stored: Callable[[], None] = lambda: None
    clock: Callable[[], datetime] = utc_now
    new_id: Callable[[], str] = lambda: uuid4().hex
    new_reference: Callable[[], str] = new_reference

    def provider(self, name: str) -> PaymentProvider:
        """The provider whose reports are accepted under `name`: only the one configured."""
        if name != self.online.name:
            raise UnknownProvider(provider=name[:32])
        return self.online

    def today(self, now: datetime) -> date:
        """The day `now` is in Vietnam."""
        return now.astimezone(self.zone).date()

    async def load(self, dossier_id: str, owner_id: str | None = None) -> PaymentRequest:
        """The record; for a citizen (`owner_id`), only their own: anyone else's is not found."""
        record = await self.requests.get(dossier_id)
        if record is None or (owner_id is not None and record.owner_id != owner_id):
            raise DossierNotFound()
        return record


async def change_request(
    payments: Payments, dossier_id: str, decide: Decide, *, actor: Actor, command: StaffCommand | None = None,
    owner_id: str | None = None,
) -> tuple[PaymentRequest, bool]:
    """Decide on the current record and store the change with its events; the record now, and whether
    this call changed it."""
    for _ in range(MAX_ATTEMPTS):
        record = await payments.load(dossier_id, owner_id)
        if command is not None and command.id in record.applied_commands:
            log.info("command_already_applied", dossier_id=dossier_id, command_id=command.id)
            return record, False
        decided = await decide(record)
        if decided is None:
            return record, False
        changed, payloads = decided
        events = [to_envelope(payload, changed, actor, command) for payload in payloads]
        if command is not None:
            events.append(completed_answer(command, PRODUCER, changed.id, changed.status.value, changed.version))
        try:
            await payments.requests.save(changed, record.revision, events, command.id if command else None)
        except VersionConflict:
            log.info("payment_request_changed_meanwhile", dossier_id=dossier_id, revision=record.revision)
            continue
        if events:
            payments.published()
        log.info("payment_request_changed", dossier_id=dossier_id, version=changed.version,
                 revision=changed.revision, status=changed.status.value, actor_kind=actor.kind,
                 message_types=[payload.message_type for payload in payloads])
        return changed, True
    raise DossierBusy(dossier_id=dossier_id)


def to_envelope(payload: Payload, record: PaymentRequest, actor: Actor, command: StaffCommand | None) -> Envelope:
    """A `dossier.*` payload takes the record's (new) version; a `payment.*` one, for accounting, none."""
    causation_id = command.id if command else None
    if payload.message_type.startswith("dossier."):
        return make_event(payload, producer=PRODUCER, dossier_id=record.id, version=record.version, actor=actor,
                          causation_id=causation_id)
    return Envelope(type=payload.message_type, producer=PRODUCER, dossier_id=record.id, actor=actor,
                    correlation_id=current_correlation_id(), causation_id=causation_id,
                    data=payload.model_dump(mode="json"))

