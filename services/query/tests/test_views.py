"""The detail's new parts (reason, clock, result) and the public lookup, from projected documents."""

from datetime import date, timedelta, timezone
from typing import Any

from services.query.domain.document import Document
from services.query.domain.views import detail, list_item, public_lookup
from services.query.tests.factory import (
    LOOKUP_CODE,
    catalog_documents,
    created,
    delivery,
    event,
    fold,
    issued,
    received,
    rejected,
    returned,
    staff_event,
    started,
    submitted,
    supplement,
    withdrawn,
)
from shared.messages import Envelope

VIETNAM = timezone(timedelta(hours=7))
LATE = date(2025, 5, 1)  # well after every due date below


def fold_all(*events: Envelope) -> Document:
    return fold(events, lambda code: "Tên thủ tục")


def shown(*events: Envelope) -> dict[str, Any]:
    """The detail of the dossier once `events` are applied, read late enough for every due date to be past."""
    return detail(fold_all(*events), LATE, VIETNAM, catalog_documents)


ACCEPTED = [event(created(), 1), event(submitted(), 2), staff_event(received(due=date(2025, 3, 24)), 3)]


def test_detail_of_a_received_dossier() -> None:
    full = detail(fold_all(*ACCEPTED), LATE, VIETNAM, catalog_documents)
    assert (full["lookup_code"], full["due_date"], full["overdue"]) == (LOOKUP_CODE, "2025-03-24", True)
    assert full["received_at"].utcoffset() == timedelta(0)
    assert (full["clock_paused"], full["remaining_working_days"], full["processing_days"]) == (False, None, 15)
    assert (full["reason"], full["result"], full["actions"]) == (None, None, [])


def test_a_paused_clock_is_never_overdue_and_shows_the_reason() -> None:
    full = shown(*ACCEPTED, staff_event(supplement(remaining=4), 4))
    assert (full["overdue"], full["clock_paused"], full["remaining_working_days"]) == (False, True, 4)
    assert full["reason"] == "Thiếu bản sao văn bằng"
    assert full["actions"] == ["edit", "submit"]


def test_rejection_reason_shown() -> None:
    full = detail(fold_all(event(created(), 1), event(submitted(), 2), staff_event(rejected("Sai"), 3)),
                  LATE, VIETNAM, catalog_documents)
    assert (full["status_label"], full["reason"], full["overdue"], full["actions"]) == (
        "Từ chối tiếp nhận", "Sai", False, [])


def test_result_as_the_portal_sees_it() -> None:
    ready = [*ACCEPTED, staff_event(started(), 4), staff_event(issued(), 5)]
    before = detail(fold_all(*ready), LATE, VIETNAM, catalog_documents)
    assert before["result"] == {"summary": "Cấp giấy phép số 12/GP", "delivery_method": None,
                                "postal_address": None, "tracking_number": None, "downloadable": False,
                                "document": {"filename": "giay-phep.pdf", "content_type": "application/pdf",
                                             "size_bytes": 52_000}}
    assert before["actions"] == ["choose_delivery"] and before["overdue"] is False
    online = detail(fold_all(*ready, event(delivery("online"), 6)), LATE, VIETNAM, catalog_documents)
    assert online["result"]["delivery_method"] == "online" and online["result"]["downloadable"] is True
    assert online["actions"] == ["choose_delivery", "download_result"]
    done = shown(*ready, event(delivery("online"), 6), staff_event(returned(), 7))
    assert (done["status"], done["actions"]) == ("result_returned", ["download_result", "rate"])


def test_the_list_item_keeps_its_shape() -> None:
    item = list_item(fold_all(*ACCEPTED, staff_event(supplement(), 4)), LATE, VIETNAM)
    assert set(item) == {"id", "lookup_code", "title", "applicant_name", "procedure_code", "procedure_name", "status",
                         "status_label", "created_at", "submitted_at", "due_date", "overdue", "version",
                         "attached_files", "working_days_left", "deadline_state", "original_due_date",
                         "rescheduled_late"}
    assert item["overdue"] is False


def test_public_lookup_carries_nothing_personal() -> None:
    answer = public_lookup(fold_all(*ACCEPTED, staff_event(supplement(), 4)))
    assert set(answer) == {"lookup_code", "procedure_name", "status", "status_label", "received_at",
                           "due_date", "history"}
    assert answer["status_label"] == "Yêu cầu bổ sung"
    # From its reception on: what the citizen did with the draft before is theirs alone.
    assert [entry["to"] for entry in answer["history"]] == ["received", "supplement_requested"]
    assert all(set(entry) == {"at", "to"} for entry in answer["history"])


def test_public_lookup_leaves_out_the_sendings_and_withdrawals_before_reception() -> None:
    back_and_forth = [event(created(), 1), event(submitted(), 2), event(withdrawn(), 3), event(submitted(), 4),
                      staff_event(received(due=date(2025, 3, 24)), 5), staff_event(started(), 6)]
    answer = public_lookup(fold_all(*back_and_forth))
    assert [entry["to"] for entry in answer["history"]] == ["received", "processing"]
