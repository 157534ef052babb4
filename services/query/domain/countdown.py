"""The countdown to the due date (còn N ngày làm việc, sắp đến hạn, quá hạn): computed when read, since days
pass without any event, on the same working-day calendar processing counts the due date in
(shared/working_calendar.py), on the day in Vietnam. Pure."""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import NamedTuple, Protocol

from services.query.domain.overdue import CLOCK_RUNS, is_overdue
from shared.statuses import Status


class WorkingDays(Protocol):
    def add_working_days(self, start: date, days: int) -> date: ...

    def working_days_between(self, start: date, end: date) -> int: ...


class DeadlineState(StrEnum):
    ON_TRACK = "on_track"  # còn hạn
    DUE_SOON = "due_soon"  # sắp đến hạn: no more than the configured working days left
    OVERDUE = "overdue"  # quá hạn: the due date is past
    PAUSED = "paused"  # tạm dừng: the clock stopped while a supplement is awaited


@dataclass(frozen=True)
class Countdown:
    calendar: WorkingDays
    due_soon_working_days: int  # DUE_SOON_WORKING_DAYS: "sắp đến hạn" from this many working days before

    def days_left(self, due_date: date, today: date) -> int:
        """Working days from `today` to the due date, today not counted (0 on the due date itself)."""
        return self.calendar.working_days_between(today, due_date)

    def due_soon_until(self, today: date) -> date:
        """The last due date that is "sắp đến hạn" on `today` (due dates are working days)."""
        return self.calendar.add_working_days(today, self.due_soon_working_days)


class Deadline(NamedTuple):
    working_days_left: int | None
    state: DeadlineState | None  # None: no clock (a draft, a refusal, a result already out)


def deadline(status: Status, due_date: date | None, today: date, countdown: Countdown, clock_paused: bool = False,
             remaining_working_days: int | None = None) -> Deadline:
    """Where the dossier stands against its due date on `today`; while paused, what was left when it stopped."""
    if clock_paused and remaining_working_days is not None:
        return Deadline(remaining_working_days, DeadlineState.PAUSED)
    if due_date is None or clock_paused or status not in CLOCK_RUNS:
        return Deadline(None, None)
    if is_overdue(status, due_date, today):
        return Deadline(0, DeadlineState.OVERDUE)
    left = countdown.days_left(due_date, today)
    return Deadline(left, DeadlineState.DUE_SOON if left <= countdown.due_soon_working_days else DeadlineState.ON_TRACK)
