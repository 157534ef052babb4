"""One dossier's whole history as its producers publish it: ten versioned events from the draft to the
returned result, through a payment, and notify's reports about three of them."""

from datetime import UTC, date, datetime, timedelta

from shared.lifecycle import DossierReceived, ProcessingStarted, ResultIssued, ResultReturned
from shared.messages import Actor, DossierContent, DossierSubmitted, DraftCreated, DraftUpdated, Envelope, Payload
from shared.notifications import NotificationFailed, NotificationSent
from shared.payments import DossierPaid, FeeLine, PaymentRequested, PaymentStarted
from shared.producers import PRODUCERS
from shared.statuses import Status

OWNER = "citizen-history"
CITIZEN = Actor(kind="citizen", id=OWNER)
CLERK = Actor(kind="staff", id="clerk-history")
START = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)
FEE = [FeeLine(kind="le_phi", name="Lệ phí cấp giấy phép", amount_vnd=150_000)]


def content(title: str) -> DossierContent:
    return DossierContent.model_validate({
        "procedure_code": "SYT-KCB-01", "title": title, "form": {},
        "applicant": {"full_name": "Trần Thị Bích", "id_number": "001203004005", "phone": "0901234567",
                      "email": "bich@example.vn", "address": "Huế"}})


def _steps(owner: str) -> list[tuple[Payload, Actor]]:
    at = START + timedelta(days=1)
    return [
        (DraftCreated(owner_id=owner, content=content("Hồ sơ nháp")), CITIZEN),
        (DraftUpdated(content=content("Cấp giấy phép hành nghề")), CITIZEN),
        (DossierSubmitted(from_status=Status.DRAFT, owner_id=owner, content=content("Cấp giấy phép hành nghề")),
         CITIZEN),
        (DossierReceived(lookup_code="H35.22-260303-0001", received_at=at, due_date=date(2026, 3, 31),
                         processing_days=20, owner_id=owner), CLERK),
        (ProcessingStarted(from_status=Status.RECEIVED), CLERK),
        (PaymentRequested(from_status=Status.PROCESSING, items=FEE, amount_vnd=150_000,
                          procedure_code="SYT-KCB-01", owner_id=owner), CLERK),
        (PaymentStarted(payment_id="pay-1", method="at_office", amount_vnd=150_000), CITIZEN),
        (DossierPaid(payment_id="pay-1", method="at_office", amount_vnd=150_000, receipt_number="BL-0001",
                     paid_at=at + timedelta(days=2), items=FEE), CLERK),
        (ResultIssued(from_status=Status.PAID, summary="Giấy phép đã được cấp"), CLERK),
        (ResultReturned(method="at_office"), CLERK),
    ]


def dossier_history(dossier_id: str, owner: str = OWNER) -> list[Envelope]:
    """The dossier's ten events, versions 1 to 10, an hour apart, each from the service that writes it."""
    return [Envelope(type=payload.message_type, producer=PRODUCERS[payload.message_type], dossier_id=dossier_id,
                     version=version, actor=actor, occurred_at=START + timedelta(hours=version),
                     data=payload.model_dump(mode="json"))
            for version, (payload, actor) in enumerate(_steps(owner), start=1)]


def notification_reports(history: list[Envelope]) -> list[Envelope]:
    """Notify's reports on the reception, the payment and the returned result: two sent, one failed."""
    received, paid, returned = history[3], history[7], history[9]
    reports: list[Payload] = [
        NotificationSent(notification_id=f"{received.dossier_id}-received", template="received",
                         for_event_id=received.id, masked_recipient="b***@example.vn",
                         sent_at=received.occurred_at + timedelta(minutes=1)),
        NotificationFailed(notification_id=f"{paid.dossier_id}-paid", template="paid", for_event_id=paid.id,
                           error_type="SMTPRecipientsRefused", failed_at=paid.occurred_at + timedelta(minutes=5)),
        NotificationSent(notification_id=f"{returned.dossier_id}-result_returned", template="result_returned",
                         for_event_id=returned.id, masked_recipient="b***@example.vn",
                         sent_at=returned.occurred_at + timedelta(minutes=1)),
    ]
    return [Envelope(type=report.message_type, producer="notify", dossier_id=received.dossier_id,
                     data=report.model_dump(mode="json")) for report in reports]
