"""How the portal writes money and dates, as Vietnamese readers expect: "360.000 đồng", "26/11/2026".

The API speaks ISO dates and UTC instants; people read days and times in Vietnam's time zone.
"""

import re
from datetime import date, datetime

from services.gateway.portal.labels import UNTITLED
from shared.timezones import local_zone

VIETNAM = local_zone()
_TYPED_DAY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def titled(title: str | None) -> str:
    """A dossier's title, or what to call a draft saved before it had one."""
    return title or UNTITLED


def money(amount: int | None) -> str:
    """360000 → "360.000 đồng"."""
    if amount is None:
        return ""
    return f"{amount:,}".replace(",", ".") + " đồng"


def day(value: str | date | datetime | None) -> str:
    """A day (or the day of an instant, in Vietnam) as dd/mm/yyyy."""
    if not value:
        return ""
    if isinstance(value, str):
        value = _parse(value)
    if isinstance(value, datetime):
        value = value.astimezone(VIETNAM).date()
    return value.strftime("%d/%m/%Y")


def moment(value: str | datetime | None) -> str:
    """An instant in Vietnam's time as dd/mm/yyyy HH:MM."""
    if not value:
        return ""
    parsed = _parse(value) if isinstance(value, str) else value
    if not isinstance(parsed, datetime):
        return day(parsed)
    return parsed.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M")


def iso_day(typed: str) -> str | None:
    """A day typed in a form (yyyy-mm-dd from a date picker, or dd/mm/yyyy) as ISO; None when it is not one."""
    typed = typed.strip()
    found = _TYPED_DAY.match(typed)
    try:
        if found:
            return date(int(found[3]), int(found[2]), int(found[1])).isoformat()
        return date.fromisoformat(typed).isoformat()
    except ValueError:
        return None


def size(size_bytes: int | None) -> str:
    """A file's size for people: "12 KB", "1,5 MB", "11 MB"."""
    if size_bytes is None:
        return ""
    if size_bytes < 1024 * 1024:
        return f"{max(1, round(size_bytes / 1024))} KB"
    return f"{size_bytes / (1024 * 1024):.1f}".removesuffix(".0").replace(".", ",") + " MB"


def _parse(value: str) -> date | datetime:
    if "T" in value:
        return datetime.fromisoformat(value)
    return date.fromisoformat(value)
