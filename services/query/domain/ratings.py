"""The satisfaction summary (tổng hợp đánh giá mức độ hài lòng): ratings counted per procedure and month.

Months are Vietnam's: a rating given at 23:30 on the last day of a month in Hà Nội counts in that month,
whatever UTC says. Pure, no I/O: the adapter hands over the ratings in the range, this counts them.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any

from services.query.domain.dates import as_utc, start_of_day
from shared.errors import InvalidFields
from shared.lifecycle import RATING_LABELS

LEVELS = tuple(RATING_LABELS)


def parse_month(value: str) -> date:
    """"2026-03" as the first day of that month (the API checked the shape)."""
    year, month = value.split("-")
    return date(int(year), int(month), 1)


def _next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


@dataclass(frozen=True)
class MonthRange:
    """The months asked for, both ends included; either end may be open."""

    first: date | None = None
    last: date | None = None

    @classmethod
    def of(cls, from_month: str | None, to_month: str | None) -> "MonthRange":
        asked = cls(parse_month(from_month) if from_month else None, parse_month(to_month) if to_month else None)
        if asked.first and asked.last and asked.first > asked.last:
            raise InvalidFields({"to_month": "Đến tháng: không được trước “Từ tháng”."})
        return asked

    def bounds(self, zone: tzinfo) -> tuple[datetime | None, datetime | None]:
        """The stored times the range starts at and ends before, in `zone`."""
        start = start_of_day(self.first, zone) if self.first else None
        end = start_of_day(_next_month(self.last), zone) if self.last else None
        return start, end


def month_of(moment: datetime, zone: tzinfo) -> str:
    local = (as_utc(moment) or moment).astimezone(zone)
    return f"{local.year:04d}-{local.month:02d}"


def empty_counts() -> dict[str, int]:
    return {**dict.fromkeys(LEVELS, 0), "total": 0}


def summarize(ratings: Iterable[dict[str, Any]], zone: tzinfo) -> dict[str, Any]:
    """Rows per procedure and month (procedure code, then month, in order), each with its count per level,
    and the totals over them. Each rating is a read-model document's `procedure_code`, `procedure_name`
    and `rating`."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    totals = empty_counts()
    for document in ratings:
        rating = document["rating"]
        code, month = document["procedure_code"], month_of(rating["rated_at"], zone)
        row = rows.setdefault((code, month), {"procedure_code": code, "procedure_name": document.get("procedure_name"),
                                              "month": month, "counts": empty_counts()})
        for counts in (row["counts"], totals):
            counts[rating["level"]] += 1
            counts["total"] += 1
    return {"rows": [rows[key] for key in sorted(rows)], "totals": totals}
