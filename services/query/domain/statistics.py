"""The deadline statistics (thống kê tình hình giải quyết hồ sơ): the dossiers received per procedure and month,
and how each stands against its due date. Pure, no I/O: the adapter hands over the dossiers received in the
range, this counts them.

Each dossier is counted in the month it was received in (Vietnam time), once under `received` and once under
exactly one outcome, as it stands on the day asked about:

- `resolved_on_time` (đúng hạn) / `resolved_late` (trễ hạn): its result was issued (đã có kết quả, the day the
  Department's clock stops; returned or not since) on or before the due date in force, or after it. A dossier
  rescheduled after its due date (xin lỗi, hẹn lại khi đã trễ hạn) is late even when the result came by the new
  date: the apology admits it.
- `overdue` (quá hạn): no result yet and the due date is past, by the countdown's own rule.
- `in_progress` (đang giải quyết, trong hạn): no result yet and still in time, the clock paused for a
  supplement included.

`rescheduled_late` counts, beside the outcome, the dossiers rescheduled after their first due date had passed.
"""

from collections.abc import Iterable
from datetime import date, datetime, tzinfo
from typing import Any

from services.query.domain.dates import as_utc, parse_day
from services.query.domain.overdue import is_overdue
from services.query.domain.ratings import month_of
from shared.statuses import Status

OUTCOMES = ("resolved_on_time", "resolved_late", "overdue", "in_progress")
RESOLVED = Status.RESULT_READY.value  # the status whose first entry in the history is the day resolved


def empty_counts() -> dict[str, int]:
    return {"received": 0, **dict.fromkeys(OUTCOMES, 0), "rescheduled_late": 0}


def resolved_on(document: dict[str, Any], zone: tzinfo) -> date | None:
    """The day (in `zone`) the result was first issued; None while there is none."""
    for entry in document.get("history") or ():
        if entry.get("to") == RESOLVED:
            moment: datetime = as_utc(entry["at"]) or entry["at"]
            return moment.astimezone(zone).date()
    return None


def outcome(document: dict[str, Any], today: date, zone: tzinfo) -> str:
    """Where one received dossier stands on `today`: one of `OUTCOMES`."""
    due = parse_day(document.get("due_date"), zone)
    resolved = resolved_on(document, zone)
    if resolved is not None:
        late = bool(document.get("rescheduled_late")) or (due is not None and resolved > due)
        return "resolved_late" if late else "resolved_on_time"
    if is_overdue(Status(document["status"]), due, today, bool(document.get("clock_paused"))):
        return "overdue"
    return "in_progress"


def summarize_deadlines(received: Iterable[dict[str, Any]], today: date, zone: tzinfo) -> dict[str, Any]:
    """Rows per procedure and month of reception (procedure code, then month, in order), each with its counts,
    and the totals over them. Each dossier is a read-model document with at least `procedure_code`,
    `procedure_name`, `received_at`, `status`, `due_date`, `clock_paused`, `rescheduled_late` and its history's
    `to` and `at`."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    totals = empty_counts()
    for document in received:
        code, month = document["procedure_code"], month_of(document["received_at"], zone)
        row = rows.setdefault((code, month), {"procedure_code": code, "procedure_name": document.get("procedure_name"),
                                              "month": month, "counts": empty_counts()})
        standing = outcome(document, today, zone)
        for counts in (row["counts"], totals):
            counts["received"] += 1
            counts[standing] += 1
            counts["rescheduled_late"] += bool(document.get("rescheduled_late"))
    return {"rows": [rows[key] for key in sorted(rows)], "totals": totals}
