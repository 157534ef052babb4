"""Rescheduling with an apology (hẹn lại ngày trả kết quả): the pure decision."""

from dataclasses import replace
from datetime import date

import pytest

from services.processing.domain.deadlines import reschedule, warn
from services.processing.errors import RescheduleNotLater, RescheduleNotOpen, RescheduleNotWorkingDay
from services.processing.tests.dossiers import NOW, TODAY, WeekdaysOnly, dossier
from shared.lifecycle import DossierDueSoon, DossierOverdue, DossierRescheduled
from shared.statuses import Status

CALENDAR = WeekdaysOnly()


@pytest.mark.parametrize("status", [Status.RECEIVED, Status.PROCESSING, Status.PAID])
def test_a_dossier_being_worked_on_gets_a_later_working_day(status: Status) -> None:
    before = dossier(status)
    change = reschedule(before, date(2026, 3, 20), "Chờ ý kiến của Sở Xây dựng", TODAY, NOW, CALENDAR)
    assert (change.record.due_date, change.record.original_due_date) == (date(2026, 3, 20), date(2026, 3, 16))
    assert (change.record.status, change.record.version, change.record.rescheduled_late) == (status, 6, False)
    [event] = change.payloads
    assert isinstance(event, DossierRescheduled)
    assert (event.previous_due_date, event.new_due_date, event.original_due_date) == (
        date(2026, 3, 16), date(2026, 3, 20), date(2026, 3, 16))
    assert (event.reason, event.late, event.status, event.owner_id) == (
        "Chờ ý kiến của Sở Xây dựng", False, status, "citizen-1")


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.SUPPLEMENT_REQUESTED, Status.PAYMENT_REQUESTED,
                                    Status.RESULT_READY, Status.RESULT_RETURNED, Status.REJECTED])
def test_other_statuses_are_refused(status: Status) -> None:
    with pytest.raises(RescheduleNotOpen) as refused:
        reschedule(dossier(status), date(2026, 3, 20), "lý do", TODAY, NOW, CALENDAR)
    assert refused.value.http_status == 409 and "hẹn lại" in refused.value.message


@pytest.mark.parametrize("new_due_date", [date(2026, 3, 16), date(2026, 3, 13)])
def test_only_a_later_day_than_the_due_date(new_due_date: date) -> None:
    with pytest.raises(RescheduleNotLater) as refused:
        reschedule(dossier(Status.PROCESSING), new_due_date, "lý do", TODAY, NOW, CALENDAR)
    assert refused.value.http_status == 422


def test_a_late_dossier_cannot_be_given_a_day_already_past() -> None:
    late = dossier(Status.PROCESSING)
    with pytest.raises(RescheduleNotLater):
        reschedule(late, date(2026, 3, 18), "lý do", date(2026, 3, 19), NOW, CALENDAR)


def test_only_a_working_day() -> None:
    with pytest.raises(RescheduleNotWorkingDay) as refused:
        reschedule(dossier(Status.PROCESSING), date(2026, 3, 21), "lý do", TODAY, NOW, CALENDAR)  # a Saturday
    assert refused.value.http_status == 422 and "ngày làm việc" in refused.value.message


def test_rescheduled_after_its_due_date_it_is_late_for_good() -> None:
    late = reschedule(dossier(Status.PROCESSING), date(2026, 3, 20), "lý do", date(2026, 3, 17), NOW, CALENDAR)
    assert late.record.rescheduled_late and late.payloads[0].late  # type: ignore[attr-defined]
    # Rescheduled again in time for the new date: still late, and the first due date is still the original.
    again = reschedule(late.record, date(2026, 3, 24), "lý do khác", date(2026, 3, 18), NOW, CALENDAR)
    assert again.record.rescheduled_late and again.record.original_due_date == date(2026, 3, 16)
    assert again.payloads[0].previous_due_date == date(2026, 3, 20)  # type: ignore[attr-defined]


def test_a_dossier_without_a_due_date_is_refused() -> None:
    with pytest.raises(RescheduleNotOpen):
        reschedule(replace(dossier(Status.PROCESSING), due_date=None), date(2026, 3, 20), "lý do", TODAY, NOW,
                   CALENDAR)


def test_the_watch_warns_once_per_kind_and_due_date() -> None:
    received = dossier(Status.PROCESSING)  # due Monday 16 March 2026
    assert warn(received, date(2026, 3, 11), NOW, CALENDAR, 2) is None  # three working days left
    soon = warn(received, date(2026, 3, 12), NOW, CALENDAR, 2)
    assert soon is not None
    [payload] = soon.payloads
    assert isinstance(payload, DossierDueSoon) and (payload.due_date, payload.working_days_left) == (
        date(2026, 3, 16), 2)
    assert soon.record.version == received.version + 1 and soon.record.warned == ("due_soon:2026-03-16",)
    assert warn(soon.record, date(2026, 3, 13), NOW, CALENDAR, 2) is None  # warned already for this date
    assert warn(soon.record, date(2026, 3, 16), NOW, CALENDAR, 2) is None  # due today: not late yet
    late = warn(soon.record, date(2026, 3, 17), NOW, CALENDAR, 2)
    assert late is not None and isinstance(late.payloads[0], DossierOverdue)
    assert warn(late.record, date(2026, 3, 18), NOW, CALENDAR, 2) is None
    # A new appointment may warn again, for its own date.
    moved = reschedule(late.record, date(2026, 3, 24), "lý do", date(2026, 3, 18), NOW, CALENDAR).record
    again = warn(moved, date(2026, 3, 20), NOW, CALENDAR, 2)
    assert again is not None and isinstance(again.payloads[0], DossierDueSoon)


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.PAYMENT_REQUESTED, Status.RESULT_READY])
def test_the_watch_leaves_what_processing_does_not_hold_or_has_answered(status: Status) -> None:
    assert warn(dossier(status, received=True), date(2026, 3, 20), NOW, CALENDAR, 2) is None
