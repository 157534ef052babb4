"""Days and times as the Department counts them: in Vietnam (Asia/Ho_Chi_Minh), whatever the server's zone."""

from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

VIETNAM = "Asia/Ho_Chi_Minh"
# Vietnam has kept UTC+7 without daylight saving since 1975: a safe stand-in where no tz database exists.
_VIETNAM_FIXED = timezone(timedelta(hours=7), VIETNAM)


def local_zone(name: str = VIETNAM) -> tzinfo:
    try:
        return ZoneInfo(name)
    except ZoneInfoNotFoundError:
        if name == VIETNAM:
            return _VIETNAM_FIXED
        raise


def local_day(moment: datetime, zone: tzinfo) -> date:
    """The day `moment` falls on in `zone` (a naive moment is taken to be UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone).date()
