"""The deadline statistics: each dossier received counted in its month of reception (Vietnam time), under one
outcome as it stands today, a dossier rescheduled after its due date counted late whatever came after."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

from services.query.domain.statistics import outcome, summarize_deadlines
from services.query.tests.factory import (
    START,
    created,
    delivery,
    event,
    fold,
    issued,
    received,
    returned,
    staff_event,
    started,
    submitted,
)
from shared.lifecycle import DossierRescheduled
from shared.timezones import local_zone

VIETNAM = local_zone()
TODAY = date(2025, 3, 20)
DUE = date(2025, 3, 14)


def dossier(status: str, *, due: date = DUE, resolved: datetime | None = None, rescheduled_late: bool = False,
            paused: bool = False, received_at: datetime = datetime(2025, 3, 3, 2, tzinfo=UTC),
            code: str = "A") -> dict[str, Any]:
    history = [{"to": "received", "at": received_at}]
    if resolved is not None:
        history += [{"to": "result_ready", "at": resolved}, {"to": "result_returned", "at": resolved + timedelta(1)}]
    return {"procedure_code": code, "procedure_name": f"Thủ tục {code}", "received_at": received_at,
            "status": status, "due_date": due.isoformat(), "clock_paused": paused,
            "rescheduled_late": rescheduled_late, "history": history}


def test_each_received_dossier_has_one_outcome_judged_on_the_due_date_in_force() -> None:
    on_the_due_date = datetime(2025, 3, 14, 16, 59, tzinfo=UTC)  # 23:59 on the 14th in Hà Nội
    assert outcome(dossier("result_returned", resolved=on_the_due_date), TODAY, VIETNAM) == "resolved_on_time"
    a_minute_later = datetime(2025, 3, 14, 17, 0, tzinfo=UTC)  # the 15th already in Hà Nội
    assert outcome(dossier("result_returned", resolved=a_minute_later), TODAY, VIETNAM) == "resolved_late"
    # Resolved is the day the result was issued: not returned yet, it is resolved all the same.
    assert outcome(dossier("result_ready", resolved=on_the_due_date), TODAY, VIETNAM) == "resolved_on_time"
    assert outcome(dossier("processing"), TODAY, VIETNAM) == "overdue"
    assert outcome(dossier("processing", due=TODAY), TODAY, VIETNAM) == "in_progress"
    # The clock stopped for a supplement: never overdue, still in progress.
    assert outcome(dossier("supplement_requested", paused=True), TODAY, VIETNAM) == "in_progress"


def test_a_dossier_rescheduled_after_its_due_date_is_late_even_when_resolved_by_the_new_date() -> None:
    new_due = date(2025, 3, 28)
    by_the_new_date = datetime(2025, 3, 25, 3, tzinfo=UTC)
    assert outcome(dossier("result_returned", due=new_due, resolved=by_the_new_date), TODAY,
                   VIETNAM) == "resolved_on_time"
    assert outcome(dossier("result_returned", due=new_due, resolved=by_the_new_date, rescheduled_late=True),
                   TODAY, VIETNAM) == "resolved_late"
    # Still in progress, it is judged against the new date: not overdue (it is counted as rescheduled late).
    assert outcome(dossier("processing", due=new_due, rescheduled_late=True), TODAY, VIETNAM) == "in_progress"


def test_rows_per_procedure_and_month_of_reception_in_vietnam_time_and_their_totals() -> None:
    last_of_february = datetime(2025, 2, 28, 16, 30, tzinfo=UTC)  # 23:30 in Hà Nội
    first_of_march = datetime(2025, 2, 28, 17, 30, tzinfo=UTC)  # 00:30 on 1 March in Hà Nội
    counted = summarize_deadlines([
        dossier("processing", received_at=first_of_march),
        dossier("result_returned", resolved=datetime(2025, 3, 10, 3, tzinfo=UTC), received_at=first_of_march),
        dossier("result_returned", due=date(2025, 3, 28), resolved=datetime(2025, 3, 25, 3, tzinfo=UTC),
                rescheduled_late=True, received_at=last_of_february),
        dossier("received", due=TODAY, code="B"),
    ], TODAY, VIETNAM)
    assert [(row["procedure_code"], row["month"], row["procedure_name"]) for row in counted["rows"]] == [
        ("A", "2025-02", "Thủ tục A"), ("A", "2025-03", "Thủ tục A"), ("B", "2025-03", "Thủ tục B")]
    zero = {"received": 0, "resolved_on_time": 0, "resolved_late": 0, "rescheduled_late": 0, "overdue": 0,
            "in_progress": 0}
    assert [row["counts"] for row in counted["rows"]] == [
        {**zero, "received": 1, "resolved_late": 1, "rescheduled_late": 1},
        {**zero, "received": 2, "resolved_on_time": 1, "overdue": 1},
        {**zero, "received": 1, "in_progress": 1},
    ]
    assert counted["totals"] == {"received": 4, "resolved_on_time": 1, "resolved_late": 1, "rescheduled_late": 1,
                                 "overdue": 1, "in_progress": 1}
    assert summarize_deadlines([], TODAY, VIETNAM) == {"rows": [], "totals": zero}


def test_the_projected_document_holds_what_the_counting_reads() -> None:
    """From the events, as the read model folds them: rescheduled late, then resolved by the new date."""
    due, new_due = date(2025, 3, 4), date(2025, 3, 24)
    late = DossierRescheduled(status="processing", previous_due_date=due, new_due_date=new_due,
                              original_due_date=due, reason="Chờ ý kiến thẩm định", late=True, owner_id="citizen-1")
    document = fold([event(created(), 1), event(submitted(), 2), staff_event(received(due), 3),
                     staff_event(started(), 4), staff_event(late, 5), staff_event(issued(), 6),
                     event(delivery(), 7), event(returned(), 8)], lambda code: "Cấp giấy phép")
    assert START.date() < new_due  # the result was issued (the events' times) well before the new date
    assert outcome(document, TODAY, VIETNAM) == "resolved_late"
    assert summarize_deadlines([document], TODAY, VIETNAM)["totals"]["rescheduled_late"] == 1
