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
    content,
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
    edit = updated(title="Tiêu đề mới")
    document = fold_all(event(created(), 1),
                        event(edit, 2, intake_holds=content(title="Tiêu đề mới", full_name="Trần Văn Bình")))
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


def test_an_unknown_type_is_unreadable_even_when_it_says_where_the_dossier_went() -> None:
    # What a forged `dossier.frobnicated` did: a type nobody writes must never move a dossier.
    forged = status_change("dossier.frobnicated", 3, {"from_status": "submitted", "to_status": "result_returned"})
    with pytest.raises(UnreadableEvent):
        project(fold_all(event(created(), 1), event(submitted(), 2)), forged, names)


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
    system = status_change("dossier.withdrawn", 3, {"from_status": "submitted", "to_status": "draft"})
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
