"""Rebuilding by replay, and a document shaped for the portal."""

from datetime import date, timedelta, timezone

from services.query.domain.projection import project
from services.query.domain.replay import replay
from services.query.domain.views import detail, list_item
from services.query.tests.factory import catalog_documents, created, event, received, staff_event, submitted, updated

VIETNAM = timezone(timedelta(hours=7))


def names(code: str) -> str | None:
    return "Tên thủ tục"


def test_replay_equals_live_projection_and_skips_duplicates() -> None:
    first = [event(created(), 1), event(updated(title="B"), 2), event(submitted(), 3)]
    second = [event(created(), 1, dossier_id="d-2")]
    live = None
    for each in first:
        live = project(live, each, names)
    rebuilt = list(replay([first[0], first[1], first[1], first[2], *second], names))
    assert [document["_id"] for document in rebuilt] == ["d-1", "d-2"]
    assert rebuilt[0] == live


def test_replay_stops_a_dossier_at_a_gap() -> None:
    rebuilt = list(replay([event(created(), 1), event(submitted(), 3)], names))
    assert rebuilt[0]["version"] == 1


def test_list_item_and_detail_shapes() -> None:
    document = None
    for each in [event(created(), 1), event(submitted(), 2),
                 staff_event(received(due=date(2025, 3, 20), code="HS-1"), 3)]:
        document = project(document, each, names)
    assert document is not None
    item = list_item(document, date(2025, 3, 21), VIETNAM)
    assert set(item) == {"id", "lookup_code", "title", "applicant_name", "procedure_code", "procedure_name", "status",
                         "status_label", "created_at", "submitted_at", "due_date", "overdue", "version",
                         "attached_files", "working_days_left", "deadline_state", "original_due_date",
                         "rescheduled_late"}
    assert (item["status_label"], item["overdue"], item["lookup_code"]) == ("Đã tiếp nhận", True, "HS-1")
    assert item["created_at"].utcoffset() == timedelta(0)
    full = detail(document, date(2025, 3, 20), VIETNAM, catalog_documents)
    assert full["overdue"] is False and full["actions"] == []
    assert [entry["to"] for entry in full["history"]] == ["draft", "submitted", "received"]
    assert full["payment"] is None and full["result"] is None
    assert full["applicant"]["full_name"] == "Nguyễn Thị Đào"
