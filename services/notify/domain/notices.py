"""Which status changes the citizen is told about by email, with which template and which facts.

The decision table: each event type that warrants a message, its template and what the message says
beyond the dossier's own facts (title, procedure, lookup code). Anything not in the table sends nothing.
A dossier accepted again after a supplement keeps its code and was announced once already: nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

from shared.lifecycle import (
    DossierDueSoon,
    DossierOverdue,
    DossierReceived,
    DossierRejected,
    DossierRescheduled,
    ResultIssued,
    ResultReturned,
    SupplementRequested,
)
from shared.messages import Payload
from shared.payments import DossierPaid, PaymentRequested
from shared.timezones import local_day

TEMPLATES = ("received", "supplement_requested", "rejected", "payment_requested", "paid", "result_ready",
             "result_returned", "rescheduled", "due_soon", "overdue", "deadline_staff")

# What each message is, as the delivery log shows it to the citizen.
TEMPLATE_LABELS = {
    "received": "Thông báo tiếp nhận hồ sơ",
    "supplement_requested": "Thông báo yêu cầu bổ sung hồ sơ",
    "rejected": "Thông báo từ chối tiếp nhận hồ sơ",
    "payment_requested": "Thông báo yêu cầu thanh toán phí, lệ phí",
    "paid": "Xác nhận đã thanh toán",
    "result_ready": "Thông báo đã có kết quả",
    "result_returned": "Thông báo đã trả kết quả",
    "rescheduled": "Thư xin lỗi và hẹn lại ngày trả kết quả",
    "due_soon": "Thông báo hồ sơ sắp đến hạn trả kết quả",
    "overdue": "Thông báo hồ sơ quá hạn trả kết quả",
    "deadline_staff": "Cảnh báo thời hạn gửi phòng chuyên môn",
}


@dataclass(frozen=True)
class Notice:
    """A message to send: its template, its facts, and its recipient when it is not the dossier's owner (a
    division's mailbox); the owner's registered address is intake's to answer (reactions.py asks)."""

    template: str
    facts: dict[str, Any]
    recipient: str | None = None


def _received(event: DossierReceived, zone: tzinfo) -> Notice | None:
    if not event.first_reception:
        return None
    return Notice("received", {
        "lookup_code": event.lookup_code, "received_on": local_day(event.received_at, zone).isoformat(),
        "due_date": event.due_date.isoformat(), "processing_days": event.processing_days,
    })


def _supplement_requested(event: SupplementRequested, _zone: tzinfo) -> Notice:
    return Notice("supplement_requested", {
        "reason": event.reason, "remaining_working_days": event.remaining_working_days})


def _rejected(event: DossierRejected, _zone: tzinfo) -> Notice:
    return Notice("rejected", {"reason": event.reason})


def _payment_requested(event: PaymentRequested, _zone: tzinfo) -> Notice:
    return Notice("payment_requested", {
        "amount_vnd": event.amount_vnd, "items": [item.model_dump() for item in event.items],
        "reason": event.reason,
    })


def _paid(event: DossierPaid, zone: tzinfo) -> Notice:
    return Notice("paid", {
        "receipt_number": event.receipt_number, "amount_vnd": event.amount_vnd, "method": event.method,
        "paid_on": local_day(event.paid_at, zone).isoformat()})


def _result_issued(event: ResultIssued, _zone: tzinfo) -> Notice:
    return Notice("result_ready", {"summary": event.summary, "has_document": event.document is not None})


def _result_returned(event: ResultReturned, _zone: tzinfo) -> Notice:
    return Notice("result_returned", {"method": event.method})


def _rescheduled(event: DossierRescheduled, _zone: tzinfo) -> Notice:
    return Notice("rescheduled", {
        "reason": event.reason, "previous_due_date": event.previous_due_date.isoformat(),
        "new_due_date": event.new_due_date.isoformat()})


def _due_soon(event: DossierDueSoon, _zone: tzinfo) -> Notice:
    return Notice("due_soon", {"due_date": event.due_date.isoformat(),
                               "working_days_left": event.working_days_left})


def _overdue(event: DossierOverdue, _zone: tzinfo) -> Notice:
    return Notice("overdue", {"due_date": event.due_date.isoformat()})


def staff_notice_for(payload: Payload, mailbox_of: Callable[[str], str | None]) -> Notice | None:
    """The warning the division handling the procedure gets (phòng chuyên môn), at its mailbox; None for any
    other event, or a division without a mailbox configured."""
    if not isinstance(payload, DossierDueSoon | DossierOverdue):
        return None
    mailbox = mailbox_of(payload.procedure_code)
    if mailbox is None:
        return None
    left = payload.working_days_left if isinstance(payload, DossierDueSoon) else None
    return Notice("deadline_staff", {"kind": payload.message_type.removeprefix("dossier."),
                                     "due_date": payload.due_date.isoformat(), "working_days_left": left}, mailbox)


NOTICES: dict[type[Payload], Callable[[Any, tzinfo], Notice | None]] = {
    DossierReceived: _received,
    SupplementRequested: _supplement_requested,
    DossierRejected: _rejected,
    PaymentRequested: _payment_requested,
    DossierPaid: _paid,
    ResultIssued: _result_issued,
    ResultReturned: _result_returned,
    DossierRescheduled: _rescheduled,
    DossierDueSoon: _due_soon,
    DossierOverdue: _overdue,
}
# The routing keys of the events above: what notify's queue is bound to, with the dossier_facts ones.
NOTICE_TYPES = tuple(model.model_fields["message_type"].default for model in NOTICES)


def notice_for(payload: Payload, zone: tzinfo) -> Notice | None:
    """The message a status change calls for, or None."""
    decide = NOTICES.get(type(payload))
    return decide(payload, zone) if decide else None
