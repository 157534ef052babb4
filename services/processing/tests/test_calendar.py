"""The working-day calendar: which days count, and due dates (hạn xử lý) counted in working days."""

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from shared.working_calendar import (
    CALENDAR_FILE_ENV,
    InvalidCalendarFile,
    WorkingCalendar,
    load_calendar,
)


@pytest.fixture(scope="module")
def calendar() -> WorkingCalendar:
    """The calendar as shipped: the library's holidays plus the default adjustments file."""
    return load_calendar(Path(__file__).parents[3] / "shared" / "working_calendar.json")


def every_day(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def write(tmp_path: Path, content: object) -> Path:
    path = tmp_path / "x.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return path


# Which days are working days


def test_monday_to_friday_are_working_days_and_the_weekend_is_not(calendar):
    week = list(every_day(date(2025, 3, 10), date(2025, 3, 16)))  # Monday to Sunday, no holiday
    assert [calendar.is_working_day(day) for day in week] == [True] * 5 + [False] * 2


@pytest.mark.parametrize(
    "holiday",
    [date(2025, 1, 1), date(2025, 4, 30), date(2025, 5, 1), date(2025, 9, 2), date(2027, 1, 1), date(2026, 4, 30)],
    ids=str,
)
def test_fixed_holidays_are_days_off(calendar, holiday):
    assert not calendar.is_working_day(holiday)


def test_the_whole_tet_break_of_2026_is_off(calendar):
    # Tết Bính Ngọ: Monday 16 to Friday 20 February, between two weekends.
    assert [calendar.is_working_day(day) for day in every_day(date(2026, 2, 13), date(2026, 2, 23))] == (
        [True] + [False] * 9 + [True]
    )


def test_a_saturday_declared_a_working_day_counts(calendar):
    assert calendar.is_working_day(date(2025, 4, 26))  # known to the library: 30/4 swap of 2025
    assert not calendar.is_working_day(date(2025, 5, 2))
    assert calendar.is_working_day(date(2026, 1, 10))  # from the data file: New Year swap of 2026
    assert calendar.add_working_days(date(2026, 1, 9), 1) == date(2026, 1, 10)


def test_an_extra_day_off_from_the_data_file_does_not_count(calendar):
    assert not calendar.is_working_day(date(2026, 1, 2))
    # Received Wednesday 31 December 2025: 1/1 holiday, 2/1 extra day off, then the weekend.
    assert calendar.add_working_days(date(2025, 12, 31), 1) == date(2026, 1, 5)


def test_the_library_alone_knows_nothing_of_the_data_file():
    bare = WorkingCalendar()
    assert bare.is_working_day(date(2026, 1, 2))
    assert not bare.is_working_day(date(2026, 1, 10))


def test_any_year_works(calendar):
    assert not calendar.is_working_day(date(2040, 9, 2))
    assert calendar.is_working_day(date(2040, 3, 6))  # a Tuesday


def test_a_datetime_is_refused_because_its_day_depends_on_the_time_zone(calendar):
    with pytest.raises(TypeError, match="date"):
        calendar.is_working_day(datetime(2026, 2, 12, 23, 30))


# Due dates


def test_a_dossier_received_just_before_tet_skips_the_weekends_and_the_whole_break(calendar):
    # Thursday 12 Feb 2026, 5 working days: Fri 13, then (14-22 off) Mon 23, Tue 24, Wed 25, Thu 26.
    assert calendar.add_working_days(date(2026, 2, 12), 5) == date(2026, 2, 26)
    # Friday 24 Jan 2025, 3 working days: Tết Ất Tỵ is off from Saturday 25 Jan to Sunday 2 Feb.
    assert calendar.add_working_days(date(2025, 1, 24), 3) == date(2025, 2, 5)


def test_the_day_of_receipt_is_not_counted(calendar):
    assert calendar.add_working_days(date(2025, 3, 10), 1) == date(2025, 3, 11)
    assert calendar.add_working_days(date(2025, 3, 14), 1) == date(2025, 3, 17)  # Friday → Monday


def test_receipt_on_a_sunday_counts_from_monday(calendar):
    assert calendar.add_working_days(date(2025, 3, 9), 1) == date(2025, 3, 10)
    assert calendar.add_working_days(date(2025, 3, 9), 5) == date(2025, 3, 14)


def test_zero_days_is_the_day_itself_or_the_next_working_day(calendar):
    assert calendar.add_working_days(date(2025, 3, 10), 0) == date(2025, 3, 10)
    assert calendar.add_working_days(date(2025, 3, 9), 0) == date(2025, 3, 10)
    assert calendar.add_working_days(date(2026, 2, 14), 0) == date(2026, 2, 23)


def test_a_negative_processing_time_is_refused(calendar):
    with pytest.raises(ValueError, match="negative"):
        calendar.add_working_days(date(2025, 3, 10), -1)


def test_working_days_between_counts_after_start_up_to_end(calendar):
    assert calendar.working_days_between(date(2025, 3, 10), date(2025, 3, 14)) == 4
    assert calendar.working_days_between(date(2025, 3, 14), date(2025, 3, 16)) == 0
    assert calendar.working_days_between(date(2025, 3, 14), date(2025, 3, 10)) == 0
    assert calendar.working_days_between(date(2025, 3, 14), date(2025, 3, 14)) == 0
    assert calendar.remaining_working_days(date(2026, 2, 12), date(2026, 2, 26)) == 5


def test_due_date_and_working_days_between_are_inverse_across_2025_to_2027(calendar):
    for day in every_day(date(2025, 1, 1), date(2027, 12, 31)):
        for days in (1, 2, 3, 5, 7, 10, 15, 20, 30):
            due = calendar.add_working_days(day, days)
            assert calendar.working_days_between(day, due) == days, (day, days)
            # The due date is the first day reaching the count, so it is itself a working day.
            assert calendar.is_working_day(due), (day, days)
            assert calendar.working_days_between(day, due - timedelta(days=1)) == days - 1, (day, days)
        if calendar.is_working_day(day):
            assert calendar.working_days_between(day, calendar.add_working_days(day, 0)) == 0


# The adjustments file


def test_a_custom_adjustments_file_replaces_the_default(tmp_path):
    path = write(tmp_path, {
        "_comment": "test",
        "extra_days_off": [{"date": "2025-03-12", "note": "a Wednesday off"}],
        "working_days": [{"date": "2025-03-16"}],
    })
    custom = load_calendar(tmp_path / "x.json")
    assert not custom.is_working_day(date(2025, 3, 12))
    assert custom.is_working_day(date(2025, 3, 16))  # a Sunday
    assert custom.is_working_day(date(2026, 1, 2))  # the default file's day off is not in this one
    assert custom.add_working_days(date(2025, 3, 11), 1) == date(2025, 3, 13)
    assert load_calendar(str(path)).is_working_day(date(2025, 3, 16))


def test_the_environment_variable_names_the_file(tmp_path, monkeypatch):
    path = write(tmp_path, {"extra_days_off": [{"date": "2025-03-12"}]})
    monkeypatch.setenv(CALENDAR_FILE_ENV, str(path))
    assert not load_calendar().is_working_day(date(2025, 3, 12))


def test_the_default_file_is_used_without_path_or_environment(monkeypatch):
    monkeypatch.delenv(CALENDAR_FILE_ENV, raising=False)
    assert not load_calendar().is_working_day(date(2026, 1, 2))


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("{not json", "not valid JSON"),
        ([], "top level must be an object"),
        ({"extra_day_off": []}, "unknown key"),
        ({"working_days": {"date": "2025-03-16"}}, "must be a list"),
        ({"working_days": ["2025-03-16"]}, r"working_days\[0\]: expected an object"),
        ({"extra_days_off": [{"date": "2025/03/12"}]}, "'2025/03/12' is not in the form YYYY-MM-DD"),
        ({"extra_days_off": [{"date": "20250312"}]}, "not in the form YYYY-MM-DD"),
        ({"extra_days_off": [{"date": "2025-02-30"}]}, "'2025-02-30' does not exist"),
        ({"extra_days_off": [{"date": "2025-03-12", "note": 3}]}, "note"),
        (
            {"extra_days_off": [{"date": "2025-03-12"}], "working_days": [{"date": "2025-03-12"}]},
            "in both extra_days_off and working_days: 2025-03-12",
        ),
    ],
    ids=["json", "top", "key", "list", "entry", "slashes", "compact", "no-such-day", "note", "both"],
)
def test_a_malformed_file_raises_naming_the_problem(tmp_path, content, problem):
    path = write(tmp_path, content)
    with pytest.raises(InvalidCalendarFile, match=problem) as raised:
        load_calendar(path)
    assert str(path) in str(raised.value)


def test_a_missing_file_raises_naming_it(tmp_path):
    with pytest.raises(InvalidCalendarFile, match="cannot be read"):
        load_calendar(tmp_path / "absent.json")
