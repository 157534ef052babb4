"""The rating in the read model: folded into the detail, and counted per procedure and month in Vietnam."""

from datetime import UTC, datetime

import pytest

from services.query.domain.actions import actions_open_to_owner
from services.query.domain.dates import stored_time
from services.query.domain.ratings import MonthRange, summarize
from services.query.domain.views import rating_view
from services.query.tests.factory import (
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
from shared.errors import InvalidFields
from shared.lifecycle import DossierRated
from shared.statuses import Status
from shared.timezones import local_zone

VIETNAM = local_zone()
RATED_AT = datetime(2025, 3, 31, 17, 30, tzinfo=UTC)  # 00:30 on 1 April in Hà Nội


def returned_then_rated() -> list:
    return [event(created(), 1), event(submitted(), 2), staff_event(received(), 3), staff_event(started(), 4),
            staff_event(issued(), 5), event(delivery(), 6), event(returned(), 7),
            event(DossierRated(level="dissatisfied", comment="Phải bổ sung nhiều lần", rated_at=RATED_AT), 8)]


def test_the_rating_is_folded_in_and_the_status_stays() -> None:
    document = fold(returned_then_rated(), lambda code: "Cấp giấy phép")
    assert (document["status"], document["version"]) == ("result_returned", 8)
    assert document["rating"] == {"level": "dissatisfied", "comment": "Phải bổ sung nhiều lần",
                                  "rated_at": stored_time(RATED_AT)}
    # A rating is no status change: the history ends with the return.
    assert [entry["to"] for entry in document["history"]][-2:] == ["result_ready", "result_returned"]
    assert rating_view(document["rating"]) == {"level": "dissatisfied", "label": "Không hài lòng",
                                               "comment": "Phải bổ sung nhiều lần", "rated_at": RATED_AT}
    assert rating_view(None) is None


def test_rating_is_open_once_the_result_is_returned_and_until_rated() -> None:
    assert "rate" in actions_open_to_owner(Status.RESULT_RETURNED, None)
    assert "rate" not in actions_open_to_owner(Status.RESULT_RETURNED, None, rated=True)
    assert "rate" not in actions_open_to_owner(Status.RESULT_READY, None)


def rating(code: str, level: str, at: datetime, name: str = "Thủ tục") -> dict:
    return {"procedure_code": code, "procedure_name": name, "rating": {"level": level, "rated_at": at}}


def test_the_summary_counts_per_procedure_and_month_in_vietnam_time() -> None:
    ratings = [
        rating("B", "satisfied", datetime(2025, 3, 10, 3, 0, tzinfo=UTC)),
        rating("A", "very_satisfied", datetime(2025, 3, 31, 16, 59, tzinfo=UTC)),  # 23:59 on 31 March
        rating("A", "dissatisfied", RATED_AT),  # April already in Hà Nội
        rating("A", "very_satisfied", datetime(2025, 3, 2, 0, 0, tzinfo=UTC)),
        rating("A", "satisfied", datetime(2025, 4, 20, 9, 0, tzinfo=UTC)),
    ]
    summary = summarize(ratings, VIETNAM)
    assert [(row["procedure_code"], row["month"], row["counts"]) for row in summary["rows"]] == [
        ("A", "2025-03", {"very_satisfied": 2, "satisfied": 0, "dissatisfied": 0, "total": 2}),
        ("A", "2025-04", {"very_satisfied": 0, "satisfied": 1, "dissatisfied": 1, "total": 2}),
        ("B", "2025-03", {"very_satisfied": 0, "satisfied": 1, "dissatisfied": 0, "total": 1}),
    ]
    assert summary["totals"] == {"very_satisfied": 2, "satisfied": 2, "dissatisfied": 1, "total": 5}
    assert summarize([], VIETNAM) == {"rows": [], "totals": {"very_satisfied": 0, "satisfied": 0,
                                                             "dissatisfied": 0, "total": 0}}


def test_a_month_range_starts_and_ends_at_midnight_in_vietnam() -> None:
    start, end = MonthRange.of("2025-03", "2025-12").bounds(VIETNAM)
    assert start == datetime(2025, 2, 28, 17, 0, tzinfo=UTC)
    assert end == datetime(2025, 12, 31, 17, 0, tzinfo=UTC)  # 1 January 2026, 00:00 in Hà Nội
    assert MonthRange.of(None, None).bounds(VIETNAM) == (None, None)


def test_a_range_that_ends_before_it_starts_is_refused_on_its_field() -> None:
    with pytest.raises(InvalidFields) as refused:
        MonthRange.of("2025-05", "2025-04")
    assert refused.value.fields == {"to_month": "Đến tháng: không được trước “Từ tháng”."}
