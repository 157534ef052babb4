"""Applying each kind of event to a read-model document."""

from datetime import timedelta

import pytest

from services.query.domain.dates import stored_time
from services.query.domain.document import Document
from services.query.domain.projection import UnreadableEvent, project
from services.query.tests.factory import (
    CITIZEN,
    OWNER,
    START,
    created,
    deleted,
    event,
    fold,
    received,
    status_change,
    submitted,
    updated,
)
from shared.messages import Actor, Envelope

NAMES = {"SYT-KCB-01": "Cấp mới giấy phép hành nghề khám bệnh, chữa bệnh"}


def names(code: str) -> str | None:
    return NAMES.get(code)


def fold_all(*events: Envelope) -> Document:
    return fold(events, names)


def test_draft_created_sets_owner_content_status_and_history() -> None:
    document = project(None, event(created(), 1), names)
    assert document["_id"] == "d-1" and document["version"] == 1
    assert (document["owner_id"], document["status"], document["deleted"]) == (OWNER, "draft", False)
    assert document["title"] == "Cấp giấy phép hành nghề"
    assert document["procedure_name"] == NAMES["SYT-KCB-01"]
    assert document["applicant"]["full_name"] == "Nguyễn Thị Đào"
    assert document["form"] == {"chuyen_mon": "Bác sĩ"}
    assert document["created_at"] == document["filed_at"] == stored_time(START + timedelta(hours=1))
    assert document["history"] == [{"at": document["created_at"], "from": None, "to": "draft",
                                    "actor": {"kind": "citizen", "id": OWNER}, "reason": None,
                                    "documents": []}]
    assert document["lookup_code"] is None and document["submitted_at"] is None


def test_search_text_folds_title_procedure_and_applicant() -> None:
    text = project(None, event(created(), 1), names)["search_text"]
    assert "cap giay phep hanh nghe" in text
    assert "kham benh, chua benh" in text
    assert "nguyen thi dao" in text


def test_draft_updated_replaces_content_only() -> None:
    edit = updated(title="Tiêu đề mới", full_name="Trần Văn Bình")
    document = fold_all(event(created(), 1), event(edit, 2))
    assert document["title"] == "Tiêu đề mới" and document["version"] == 2
    assert document["status"] == "draft" and len(document["history"]) == 1
    assert "tran van binh" in document["search_text"] and "dao" not in document["search_text"]
    assert document["updated_at"] == stored_time(START + timedelta(hours=2))


def test_draft_deleted_leaves_a_tombstone_with_its_version() -> None:
    document = fold_all(event(created(), 1), event(deleted(), 2))
    assert document["deleted"] is True and document["version"] == 2


def test_submitted_sets_status_and_submission_time() -> None:
    document = fold_all(event(created(), 1), event(submitted(), 2))
    assert document["status"] == "submitted"
    assert document["submitted_at"] == document["filed_at"] == stored_time(START + timedelta(hours=2))
    assert [(entry["from"], entry["to"]) for entry in document["history"]] == [
        (None, "draft"), ("draft", "submitted")]


def test_unknown_type_with_a_status_is_a_generic_status_change() -> None:
    received = status_change("dossier.transferred", 3, {
        "from_status": "submitted", "to_status": "received", "lookup_code": "H35.22-250303-0001",
        "due_date": "2025-04-01", "received_at": "2025-03-03T04:30:00+00:00", "ignored": "x"})
    document = fold_all(event(created(), 1), event(submitted(), 2), received)
    assert (document["status"], document["version"]) == ("received", 3)
    assert document["lookup_code"] == "H35.22-250303-0001"
    assert document["due_date"] == "2025-04-01"
    assert document["received_at"] == stored_time(START + timedelta(hours=3))
    assert "ignored" not in document
    assert "h35.22-250303-0001" in document["search_text"]
    assert document["history"][-1] == {"at": stored_time(START + timedelta(hours=3)), "from": "submitted",
                                       "to": "received", "actor": {"kind": "staff", "id": "clerk-7"},
                                       "reason": None, "documents": []}


def test_generic_status_change_keeps_the_reason() -> None:
    asked = status_change("dossier.sent_back", 3,
                          {"from_status": "submitted", "to_status": "supplement_requested",
                           "reason": "Thiếu bản sao văn bằng"})
    document = fold_all(event(created(), 1), event(submitted(), 2), asked)
    assert document["last_reason"] == "Thiếu bản sao văn bằng"
    assert document["history"][-1]["reason"] == "Thiếu bản sao văn bằng"


def test_generic_change_back_to_draft_is_filed_at_creation_again() -> None:
    withdrawn = status_change("dossier.reopened", 3, {"from_status": "submitted", "to_status": "draft"})
    document = fold_all(event(created(), 1), event(submitted(), 2), withdrawn)
    assert document["status"] == "draft" and document["submitted_at"] is None
    assert document["filed_at"] == document["created_at"]


def test_unknown_type_without_a_status_only_advances_the_version() -> None:
    before = fold_all(event(created(), 1))
    after = project(before, status_change("dossier.note_added", 2, {"note": "x"}), names)
    assert after["version"] == 2
    assert {key: value for key, value in after.items() if key not in ("version", "updated_at")} == {
        key: value for key, value in before.items() if key not in ("version", "updated_at")}


def test_project_leaves_the_given_document_untouched() -> None:
    before = fold_all(event(created(), 1))
    project(before, event(submitted(), 2), names)
    assert before["status"] == "draft" and len(before["history"]) == 1


def test_unknown_procedure_has_no_name() -> None:
    document = project(None, event(created(procedure_code="SYT-XYZ"), 1), names)
    assert document["procedure_code"] == "SYT-XYZ" and document["procedure_name"] is None


@pytest.mark.parametrize("bad", [
    status_change("dossier.moved", 2, {"to_status": "teleported"}),
    status_change("dossier.draft_updated", 2, {"content": {"title": ""}}),
])
def test_unreadable_events_are_named(bad: Envelope) -> None:
    with pytest.raises(UnreadableEvent):
        project(fold_all(event(created(), 1)), bad, names)


def test_actor_of_a_system_event_is_recorded() -> None:
    system = status_change("dossier.payment_completed", 3, {"from_status": "payment_requested",
                                                            "to_status": "paid"})
    system = system.model_copy(update={"actor": Actor(kind="system", id="payment")})
    document = fold_all(event(created(), 1), event(submitted(), 2), system)
    assert document["history"][-1]["actor"] == {"kind": "system", "id": "payment"}
    assert CITIZEN.kind == document["history"][0]["actor"]["kind"]


def test_the_history_names_the_officer_who_acted_and_never_a_citizen() -> None:
    officer = Actor(kind="staff", id="clerk-7", name="Nguyễn Thị Lan")
    # A citizen's envelope with a name (no door sets one) must still not put their name beside the change.
    named_citizen = Actor(kind="citizen", id=OWNER, name="Nguyễn Thị Đào")
    document = fold_all(event(created(), 1), event(submitted(), 2, actor=named_citizen),
                        event(received(), 3, actor=officer))
    assert [entry["actor"] for entry in document["history"]] == [
        {"kind": "citizen", "id": OWNER}, {"kind": "citizen", "id": OWNER},
        {"kind": "staff", "id": "clerk-7", "name": "Nguyễn Thị Lan"}]
