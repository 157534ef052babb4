"""Dossier records in any status, and a weekdays-only calendar, for the pure decision tests."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from services.processing.domain.dossier import Delivery, Dossier, Result
from shared.lifecycle import DeliveryMethod, ResultDocument
from shared.statuses import Status

NOW = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)
TODAY = date(2026, 3, 3)  # a Tuesday
DOCUMENT = ResultDocument(id="doc-1", filename="giay-phep.pdf", content_type="application/pdf", size_bytes=3)
WITH_RESULT = {Status.RESULT_READY, Status.RESULT_RETURNED}
RECEIVED_OR_LATER = {Status.RECEIVED, Status.PROCESSING, Status.PAYMENT_REQUESTED, Status.PAID,
                     Status.RESULT_READY, Status.RESULT_RETURNED}


class WeekdaysOnly:
    """Monday to Friday, no holidays: enough to check what the decisions do with the calendar."""

    def add_working_days(self, start: date, days: int) -> date:
        day = start
        while days > 0:
            day += timedelta(days=1)
            days -= day.weekday() < 5
        return day

    def working_days_between(self, start: date, end: date) -> int:
        return sum((start + timedelta(days=n)).weekday() < 5 for n in range(1, (end - start).days + 1))

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5


def dossier(status: Status, *, version: int = 5, received: bool | None = None, document: bool = True,
            delivery: DeliveryMethod | None = None) -> Dossier:
    """A record in `status`; received (lookup code, due date) when the status implies it, unless told."""
    made = Dossier(id="d-1", owner_id="citizen-1", procedure_code="SYT-KCB-02", status=status,
                   version=version, updated_at=NOW)
    if received if received is not None else status in RECEIVED_OR_LATER:
        made = replace(made, lookup_code="000.00.17.H00-260302-0001", received_at=NOW - timedelta(days=1),
                       due_date=date(2026, 3, 16))
    if status in WITH_RESULT:
        made = replace(made, result=Result("Cấp giấy phép", NOW, DOCUMENT if document else None,
                                           Delivery(delivery) if delivery else None))
    return made
