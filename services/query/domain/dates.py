"""Times as the read model keeps them (UTC, to the millisecond) and days as citizens count them (Vietnam)."""

from datetime import UTC, date, datetime, time, tzinfo


def stored_time(moment: datetime) -> datetime:
    """The form both stores give back (they are opened tz-aware): UTC, whole milliseconds.

    Storing exactly that keeps a document equal to itself after a round trip (and after a rebuild).
    A naive time is taken to be UTC already.
    """
    utc = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    return utc.replace(microsecond=utc.microsecond // 1000 * 1000)


def as_utc(moment: datetime | None) -> datetime | None:
    """A stored time as an explicit UTC time, whichever way the store handed it back."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def start_of_day(day: date, zone: tzinfo) -> datetime:
    """The stored time at which `day` begins in `zone`."""
    return stored_time(datetime.combine(day, time.min, tzinfo=zone))


def today_in(zone: tzinfo, now: datetime | None = None) -> date:
    return (now or datetime.now(UTC)).astimezone(zone).date()


def parse_day(value: object, zone: tzinfo) -> date | None:
    """A due date as events carry it ("2025-03-31", or a full timestamp read as a day in `zone`)."""
    if isinstance(value, datetime):
        return (as_utc(value) or value).astimezone(zone).date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment.astimezone(zone).date() if moment.tzinfo else moment.date()


def parse_time(value: object) -> datetime | None:
    """A timestamp from an event's data (JSON carries them as ISO strings), in stored form."""
    if isinstance(value, datetime):
        return stored_time(value)
    if isinstance(value, str):
        try:
            return stored_time(datetime.fromisoformat(value))
        except ValueError:
            return None
    return None
