"""Days in Vietnam and times as stored."""

from datetime import UTC, date, datetime, timedelta, timezone

from services.query.domain.dates import parse_day, start_of_day, stored_time, today_in
from shared.timezones import local_zone

VIETNAM = local_zone("Asia/Ho_Chi_Minh")


def test_a_vietnamese_day_starts_at_17_utc_the_day_before() -> None:
    assert start_of_day(date(2025, 3, 3), VIETNAM) == datetime(2025, 3, 2, 17, tzinfo=UTC)


def test_today_is_counted_in_vietnam() -> None:
    assert today_in(VIETNAM, datetime(2025, 3, 2, 18, tzinfo=UTC)) == date(2025, 3, 3)


def test_stored_times_are_utc_to_the_millisecond() -> None:
    moment = datetime(2025, 3, 3, 8, 0, 0, 123456, tzinfo=timezone(timedelta(hours=7)))
    assert stored_time(moment) == datetime(2025, 3, 3, 1, 0, 0, 123000, tzinfo=UTC)
    assert stored_time(datetime(2025, 1, 1)).tzinfo is UTC


def test_due_dates_as_days_or_timestamps() -> None:
    assert parse_day("2025-03-31", VIETNAM) == date(2025, 3, 31)
    assert parse_day("2025-03-30T18:00:00+00:00", VIETNAM) == date(2025, 3, 31)
    assert parse_day("soon", VIETNAM) is None
    assert parse_day(None, VIETNAM) is None
