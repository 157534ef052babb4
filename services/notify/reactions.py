"""The reaction to a dossier's status change: learn what it tells of the dossier and, when the change is
one the citizen is told about, record the delivery it owes (the log's `pending`), then let it be acked.

Exactly one delivery per status change and template: its id is (dossier, version, template), and the
insert of a second one fails on it. The address and the phone are the ones registered with the account,
which no event carries: intake answers them (`POST /dossiers/contacts`, several dossiers' at once), asked
only for a delivery not in the log yet, so that a redelivered event asks nothing once what it owes is
recorded.
While intake does not answer, the event is tried again (the bus's retries). A dossier whose owner registered
no address gets a delivery failed at once, for the log to say why.
"""

from dataclasses import replace
from typing import cast

from services.notify.dependencies import Notify
from services.notify.domain.attachments import ATTACHED_SLIPS, slip_facts
from services.notify.domain.delivery import NO_REGISTERED_EMAIL, Delivery, DeliveryState, delivery_id
from services.notify.domain.dossier_facts import FACT_TYPES, DossierFacts, learned_from
from services.notify.domain.notices import NOTICE_TYPES, Notice, notice_for, staff_notice_for
from services.notify.domain.reports import failed_report
from services.notify.domain.sms_text import SMS_TEXTS
from services.notify.errors import RecipientNotKnownYet
from shared.dossier_content import DossierContactsAnswer, IntakeUnreachable
from shared.logging import get_logger
from shared.messages import Envelope, Payload
from shared.messaging.port import PermanentFailure
from shared.producers import read_event
from shared.slips import SlipIssued

log = get_logger(__name__)

CONSUMED = frozenset({*FACT_TYPES, *NOTICE_TYPES})
SLIP_ANNOUNCEMENTS = frozenset({"slip.issued"})


async def when_status_changed_record_delivery(notify: Notify, event: Envelope) -> None:
    dossier_id, version, payload = _read(event)
    learned = learned_from(payload)
    if learned is not None:
        await notify.book.learn(dossier_id, version, learned)
    notice = notice_for(payload, notify.zone)
    if notice is None:
        return
    facts = await notify.book.get(dossier_id)
    if facts is None:
        raise RecipientNotKnownYet(dossier_id)
    # The division's warning first: a redelivery records neither twice (each has its own delivery id).
    staff = staff_notice_for(payload, notify.mailbox_of)
    if staff is not None:
        await _record(notify, event, dossier_id, version, staff, facts)
    await _record(notify, event, dossier_id, version, notice, facts)


async def _record(notify: Notify, event: Envelope, dossier_id: str, version: int, notice: Notice,
                  facts: DossierFacts) -> None:
    delivery = _delivery(notify, event, dossier_id, version, notice, facts)
    if await notify.deliveries.is_recorded(delivery.id):
        # The mail's delivery is recorded last, after its SMS: this change was handled, and a redelivery of
        # its event asks intake nothing.
        log.info("delivery_already_recorded", delivery_id=delivery.id, dossier_id=dossier_id, version=version,
                 template=notice.template, event_id=event.id)
        return
    if delivery.recipient is None:  # the owner's notice, not a division's: to the account's address
        contacts = await _owner_contacts(notify, dossier_id)
        delivery = replace(delivery, recipient=contacts.owner_email)
        await _record_sms(notify, delivery, contacts.owner_phone)
    recorded = await _insert(notify, delivery, notice)
    log.info("delivery_recorded" if recorded else "delivery_already_recorded", delivery_id=delivery.id,
             dossier_id=dossier_id, version=version, template=notice.template, event_id=event.id,
             has_recipient=delivery.recipient is not None)


async def _owner_contacts(notify: Notify, dossier_id: str) -> DossierContactsAnswer:
    """The address and phone registered with the account, as intake answers them; none when intake has no
    such dossier (the delivery then fails at once, NoRegisteredEmail). Intake away: the event is tried again."""
    try:
        found = await notify.contacts.contacts(dossier_id)
    except IntakeUnreachable as error:
        log.warning("intake_unreachable", dossier_id=dossier_id, failure=str(error))
        raise
    return found or DossierContactsAnswer()


async def _insert(notify: Notify, delivery: Delivery, notice: Notice) -> bool:
    if delivery.recipient is None:
        recorded = await notify.deliveries.record_failed(
            delivery, NO_REGISTERED_EMAIL, failed_report(delivery, NO_REGISTERED_EMAIL, delivery.created_at))
        if recorded:
            notify.published()
        return recorded
    if notify.attach_slips and notice.template in ATTACHED_SLIPS:
        return await _record_with_slip(notify, delivery)
    recorded = await notify.deliveries.record(delivery)
    if recorded:
        notify.recorded()
    return recorded


async def _record_sms(notify: Notify, mail: Delivery, phone: str | None) -> None:
    """The same notice by SMS, to the phone registered with the account, when it has one and the notice
    is one told by SMS (domain/sms_text.py). Its own delivery, id and outcome; no slip to wait for."""
    if not notify.sends_sms or not phone or mail.template not in SMS_TEXTS:
        return
    sms = replace(mail, id=delivery_id(mail.dossier_id, mail.version, mail.template, "sms"), channel="sms",
                  recipient=phone, state=DeliveryState.PENDING)
    recorded = await notify.deliveries.record(sms)
    if recorded:
        notify.recorded()
    log.info("delivery_recorded" if recorded else "delivery_already_recorded", delivery_id=sms.id,
             dossier_id=sms.dossier_id, version=sms.version, template=sms.template, channel="sms")


async def _record_with_slip(notify: Notify, delivery: Delivery) -> bool:
    """Record a delivery whose message carries its step's slip: due at once when the slip is known,
    else waiting for `slip.issued`. Looked up again after the insert: an announcement stored meanwhile
    released nothing, since there was nothing yet to release."""
    slip = await notify.issued_slips.for_event(delivery.for_event_id)
    if slip is not None:
        recorded = await notify.deliveries.record(replace(delivery, facts={**delivery.facts, "slip": slip}))
    else:
        recorded = await notify.deliveries.record(replace(delivery, state=DeliveryState.WAITING))
        slip = await notify.issued_slips.for_event(delivery.for_event_id)
        if slip is not None:
            await notify.deliveries.release_waiting(delivery.for_event_id, slip, notify.clock())
    if slip is not None:
        notify.recorded()
    return recorded


async def when_slip_issued_release_delivery(notify: Notify, event: Envelope) -> None:
    """A slip was issued: the delivery waiting to carry it is due now (or, not recorded yet, will be)."""
    if event.dossier_id is None:
        raise PermanentFailure(f"{event.type} {event.id} without a dossier id")
    issued = cast(SlipIssued, read_event(event, SLIP_ANNOUNCEMENTS))  # only the slips service's
    if not notify.attach_slips or issued.kind not in ATTACHED_SLIPS.values():
        return
    slip = slip_facts(event.dossier_id, issued)
    await notify.issued_slips.record(issued.for_event_id, slip)
    if await notify.deliveries.release_waiting(issued.for_event_id, slip, notify.clock()):
        notify.recorded()
    log.info("slip_for_delivery_known", dossier_id=event.dossier_id, slip_id=issued.slip_id, kind=issued.kind)


def _read(event: Envelope) -> tuple[str, int, Payload]:
    # The types notify's queue is bound to, each from the service that writes it (shared/producers.py).
    payload = read_event(event, CONSUMED)
    assert event.dossier_id is not None and event.version is not None  # read_event refuses one without
    return event.dossier_id, event.version, payload


def _delivery(
    notify: Notify, event: Envelope, dossier_id: str, version: int, notice: Notice, facts: DossierFacts,
) -> Delivery:
    """The delivery, with the facts its message will be written from, as they are now; addressed to the
    notice's own recipient, or to nobody yet (the owner's address is asked only if the log lacks it)."""
    return Delivery(
        id=delivery_id(dossier_id, version, notice.template), dossier_id=dossier_id, version=version,
        template=notice.template, for_event_id=event.id, correlation_id=event.correlation_id or event.id,
        recipient=notice.recipient, created_at=notify.clock(),
        facts={"dossier_id": dossier_id, "title": facts.title,
               "procedure_name": notify.procedure_name(facts.procedure_code),
               "lookup_code": facts.lookup_code, **notice.facts},
    )
