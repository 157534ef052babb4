"""Days as the Department counts them: in Vietnam (Asia/Ho_Chi_Minh), whatever the server's zone."""

from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# Vietnam has kept UTC+7 without daylight saving since 1975: a safe stand-in where no tz database exists.
_VIETNAM = timezone(timedelta(hours=7), "Asia/Ho_Chi_Minh")


def local_zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except ZoneInfoNotFoundError:
        if name == "Asia/Ho_Chi_Minh":
            return _VIETNAM
        raise


def local_day(moment: datetime, zone: tzinfo) -> date:
    """The day `moment` falls on in `zone` (a naive moment is taken to be UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone).date()
