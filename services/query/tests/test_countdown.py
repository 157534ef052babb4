"""The countdown to the due date (còn N ngày làm việc, sắp đến hạn, quá hạn) on the real working-day calendar."""

from datetime import date

import pytest

from services.query.domain.countdown import Countdown, DeadlineState, deadline
from shared.statuses import Status
from shared.working_calendar import load_calendar

COUNTDOWN = Countdown(load_calendar(), due_soon_working_days=2)
DUE = date(2025, 5, 6)  # a Tuesday, after the 30/4 and 1/5 holidays and the 2 May 2025 day off
S = Status


@pytest.mark.parametrize(("today", "left", "state"), [
    # Fri 25 April: Sat 26 (worked, swapped for 2 May), Mon 28, Tue 29, then Mon 5 and Tue 6 (30/4-2/5 off).
    (date(2025, 4, 25), 5, DeadlineState.ON_TRACK),
    (date(2025, 4, 29), 2, DeadlineState.DUE_SOON),  # Tue: Mon 5 and Tue 6 are left, the holidays are not counted
    (date(2025, 5, 3), 2, DeadlineState.DUE_SOON),  # a Saturday
    (date(2025, 5, 5), 1, DeadlineState.DUE_SOON),
    (DUE, 0, DeadlineState.DUE_SOON),  # due today: not late yet
    (date(2025, 5, 7), 0, DeadlineState.OVERDUE),
])
def test_working_days_left_on_the_holiday_calendar(today: date, left: int, state: DeadlineState) -> None:
    assert deadline(S.PROCESSING, DUE, today, COUNTDOWN) == (left, state)


def test_the_setting_moves_when_it_is_due_soon() -> None:
    early = Countdown(load_calendar(), due_soon_working_days=4)
    assert deadline(S.RECEIVED, DUE, date(2025, 4, 28), early).state is DeadlineState.DUE_SOON
    never = Countdown(load_calendar(), due_soon_working_days=0)
    assert deadline(S.RECEIVED, DUE, date(2025, 5, 5), never).state is DeadlineState.ON_TRACK
    assert deadline(S.RECEIVED, DUE, DUE, never).state is DeadlineState.DUE_SOON


def test_the_clock_stopped_for_a_supplement_keeps_what_was_left() -> None:
    # Weeks past the old due date, while the citizen completes the dossier: paused, never overdue.
    paused = deadline(S.SUPPLEMENT_REQUESTED, DUE, date(2025, 6, 2), COUNTDOWN, clock_paused=True,
                      remaining_working_days=3)
    assert paused == (3, DeadlineState.PAUSED)


@pytest.mark.parametrize("status", [S.DRAFT, S.REJECTED, S.RESULT_READY, S.RESULT_RETURNED])
def test_no_countdown_where_no_clock_runs(status: Status) -> None:
    assert deadline(status, DUE, date(2025, 5, 20), COUNTDOWN) == (None, None)


def test_due_soon_until_is_the_last_due_date_due_soon() -> None:
    assert COUNTDOWN.due_soon_until(date(2025, 4, 29)) == date(2025, 5, 6)
    assert COUNTDOWN.due_soon_until(date(2025, 5, 6)) == date(2025, 5, 8)
