"""Working days (ngày làm việc) of Vietnamese state agencies, for due dates (hạn xử lý) of dossiers.

Two sources make the calendar:

- the `holidays` library's Vietnam calendar: the statutory holidays (1/1, lunar Tết, Hùng Kings' day,
  30/4, 1/5, 2/9 and its adjacent day), the days off in lieu (nghỉ bù) of those falling on a weekend,
  and the swaps the library already knows (e.g. 2 May 2025 off, Saturday 26 April 2025 worked);
- the government's yearly decisions the library lacks, kept as data in an adjustments file an operator
  can update without a release (default `working_calendar.json` beside this module, or the file named
  by the environment variable `WORKING_CALENDAR_FILE`):

      {
        "_comment": "free text (a string or a list of strings), ignored",
        "extra_days_off": [{"date": "YYYY-MM-DD", "note": "why: the decision that grants it"}],
        "working_days": [{"date": "YYYY-MM-DD", "note": "why: e.g. Saturday worked (làm bù) for ..."}]
      }

  `extra_days_off` (ngày nghỉ bù / nghỉ thêm theo quyết định) are days off on top of the library's;
  `working_days` are days worked although the library says otherwise: a Saturday or Sunday declared a
  working day (làm bù), or a correction of the library. The file wins over the library; a date may not
  be in both lists. "note" is optional but should cite the decision.

Saturday and Sunday are the weekend: state agencies work Monday to Friday.
"""

import json
import os
import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import holidays

DEFAULT_CALENDAR_FILE = Path(__file__).with_name("working_calendar.json")
CALENDAR_FILE_ENV = "WORKING_CALENDAR_FILE"

_ONE_DAY = timedelta(days=1)
_SATURDAY = 5
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_LISTS = ("extra_days_off", "working_days")


class InvalidCalendarFile(ValueError):
    """The adjustments file cannot be used; the message names the file and what is wrong in it."""


class WorkingCalendar:
    """Which days are working days, and due dates counted in working days (ngày làm việc).

    Each year's holidays are computed on first use and cached, so any year works.
    """

    def __init__(self, extra_days_off: Iterable[date] = (), working_days: Iterable[date] = ()) -> None:
        self._extra_days_off = frozenset(extra_days_off)
        self._working_days = frozenset(working_days)
        both = self._extra_days_off & self._working_days
        if both:
            raise ValueError(f"dates both off and worked: {', '.join(sorted(map(str, both)))}")
        self._years: dict[int, tuple[frozenset[date], frozenset[date]]] = {}

    def is_working_day(self, day: date) -> bool:
        """Whether the agency works on `day`: a weekday that is no holiday, or a weekend day worked."""
        _check_is_day(day)
        if day in self._working_days:
            return True
        if day in self._extra_days_off:
            return False
        days_off, weekend_days_worked = self._library_year(day.year)
        if day in days_off:
            return False
        return day.weekday() < _SATURDAY or day in weekend_days_worked

    def add_working_days(self, start: date, days: int) -> date:
        """The due date of a dossier received on `start` with `days` working days to process it.

        The day of receipt is not counted: counting starts on the next working day. With `days` = 0 the
        due date is `start` itself if it is a working day, else the next working day.
        """
        _check_is_day(start)
        if days < 0:
            raise ValueError(f"a processing time cannot be negative: {days} working days")
        day = start
        if days == 0:
            while not self.is_working_day(day):
                day += _ONE_DAY
            return day
        counted = 0
        while counted < days:
            day += _ONE_DAY
            if self.is_working_day(day):
                counted += 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days fall strictly after `start` up to and including `end` (0 if end <= start).

        The inverse of `add_working_days` for a processing time of one day or more:
        `working_days_between(d, add_working_days(d, n)) == n`.
        """
        _check_is_day(start)
        _check_is_day(end)
        count, day = 0, start + _ONE_DAY
        while day <= end:
            if self.is_working_day(day):
                count += 1
            day += _ONE_DAY
        return count

    def remaining_working_days(self, today: date, due: date) -> int:
        """What is left of the processing time on `today` (0 once due): the clock a supplement stops."""
        return self.working_days_between(today, due)

    def _library_year(self, year: int) -> tuple[frozenset[date], frozenset[date]]:
        """The library's days off and weekend days worked in `year`, computed once."""
        cached = self._years.get(year)
        if cached is None:
            # A swap listed under one year may fall in the next or the previous one (the 2015 New Year
            # swap was worked on Saturday 27 December 2014), so the neighbouring years are read too.
            library = holidays.country_holidays("VN", years=(year - 1, year, year + 1))
            days_off = frozenset(day for day in library if day.year == year)
            worked = frozenset(day for day in library.weekend_workdays if day.year == year)
            cached = self._years[year] = (days_off, worked)
        return cached


def load_calendar(path: str | Path | None = None) -> WorkingCalendar:
    """The calendar with the adjustments file at `path`, else `$WORKING_CALENDAR_FILE`, else the default."""
    source = Path(path or os.environ.get(CALENDAR_FILE_ENV) or DEFAULT_CALENDAR_FILE)
    try:
        document = json.loads(source.read_text(encoding="utf-8"))
    except OSError as error:
        raise InvalidCalendarFile(f"{source}: cannot be read ({error.strerror or error})") from error
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise InvalidCalendarFile(f"{source}: not valid JSON ({error})") from error
    adjustments = _parse(document, source)
    return WorkingCalendar(adjustments["extra_days_off"], adjustments["working_days"])


def _parse(document: Any, source: Path) -> dict[str, list[date]]:
    """The dates of each list in the file, or `InvalidCalendarFile` saying where the file is wrong."""
    if not isinstance(document, dict):
        raise InvalidCalendarFile(f"{source}: the top level must be an object with {' and '.join(_LISTS)}")
    # Unknown keys are refused rather than ignored: a misspelt list would silently drop its dates.
    unknown = sorted(set(document) - {"_comment", *_LISTS})
    if unknown:
        raise InvalidCalendarFile(f"{source}: unknown key(s) {', '.join(unknown)}; expected {', '.join(_LISTS)}")
    parsed: dict[str, list[date]] = {}
    for name in _LISTS:
        entries = document.get(name, [])
        if not isinstance(entries, list):
            raise InvalidCalendarFile(f"{source}: {name} must be a list of {{\"date\": \"YYYY-MM-DD\"}} objects")
        parsed[name] = [_parse_entry(entry, f"{source}: {name}[{index}]") for index, entry in enumerate(entries)]
    both = sorted(set(parsed["extra_days_off"]) & set(parsed["working_days"]))
    if both:
        raise InvalidCalendarFile(
            f"{source}: date(s) in both extra_days_off and working_days: {', '.join(map(str, both))}"
        )
    return parsed


def _parse_entry(entry: Any, where: str) -> date:
    """One entry's date; `where` locates it in the error message."""
    if not isinstance(entry, dict) or "date" not in entry:
        raise InvalidCalendarFile(f"{where}: expected an object with a \"date\", got {entry!r}")
    if not isinstance(entry.get("note", ""), str):
        raise InvalidCalendarFile(f"{where}: \"note\" must be a string")
    value = entry["date"]
    # fromisoformat alone would also take "20250102"; the file promises YYYY-MM-DD and keeps to it.
    if not isinstance(value, str) or not _ISO_DAY.fullmatch(value):
        raise InvalidCalendarFile(f"{where}: date {value!r} is not in the form YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise InvalidCalendarFile(f"{where}: date {value!r} does not exist ({error})") from error


def _check_is_day(value: date) -> None:
    """Refuses a datetime: the caller must first decide which day it is in Vietnam."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"expected a date (the day in Vietnam), got {type(value).__name__}: {value!r}")
