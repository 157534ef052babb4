"""Component documents (thành phần hồ sơ): files attached and removed, what a submission sent, what a
supplement request asks for, and how the detail and the list show them."""

from datetime import date, timedelta, timezone
from typing import Any

from services.query.domain.dates import stored_time
from services.query.domain.document import Document
from services.query.domain.projection import project
from services.query.domain.replay import replay
from services.query.domain.views import detail, list_item, public_lookup
from services.query.tests.factory import (
    CATALOG_DOCUMENTS,
    START,
    a_file,
    attached,
    catalog_documents,
    created,
    event,
    fold,
    received,
    removed,
    resubmitted,
    sent,
    staff_event,
    submitted,
    supplement,
)
from shared.messages import Envelope

VIETNAM = timezone(timedelta(hours=7))
TODAY = date(2025, 3, 5)
FORM, DIPLOMA, PHOTO = (entry.code for entry in CATALOG_DOCUMENTS["SYT-KCB-01"])


def names(code: str) -> str | None:
    return "Cấp giấy phép hành nghề"


def fold_all(*events: Envelope) -> Document:
    return fold(events, names)


def files_of(document: Document) -> dict[str, list[str]]:
    """Each document code with files, to its file ids in order."""
    return {entry["code"]: [file["id"] for file in entry["files"]] for entry in document["documents"]}


def shown(document: Document) -> list[dict[str, Any]]:
    documents: list[dict[str, Any]] = detail(document, TODAY, VIETNAM, catalog_documents)["documents"]
    return documents


# Versions 1-4: a draft with two files on the form and one on the diploma.
DRAFTED = [event(created(), 1), event(attached(FORM, a_file("f-1", "don.pdf")), 2),
           event(attached(FORM, a_file("f-2", "don-trang-2.pdf", minutes=5)), 3),
           event(attached(DIPLOMA, a_file("f-3", "van-bang.pdf", size=2_048)), 4)]


def test_an_attached_file_is_kept_with_its_metadata_and_advances_only_the_version() -> None:
    document = fold_all(*DRAFTED)
    assert files_of(document) == {FORM: ["f-1", "f-2"], DIPLOMA: ["f-3"]}
    assert document["documents"][0]["files"][1] == {
        "id": "f-2", "filename": "don-trang-2.pdf", "content_type": "application/pdf", "size": 1_024,
        "sha256": a_file("f-2").sha256, "uploaded_at": stored_time(START + timedelta(minutes=5))}
    assert (document["version"], document["status"], len(document["history"])) == (4, "draft", 1)
    assert document["attached_files"] == 3


def test_a_removed_file_is_dropped_and_a_document_left_without_files_with_it() -> None:
    document = fold_all(*DRAFTED, event(removed(FORM, "f-1"), 5), event(removed(DIPLOMA, "f-3"), 6))
    assert files_of(document) == {FORM: ["f-2"]}
    assert (document["version"], document["attached_files"]) == (6, 1)


def test_removing_a_file_from_another_document_leaves_both_alone() -> None:
    document = fold_all(*DRAFTED, event(removed(DIPLOMA, "f-1"), 5))
    assert files_of(document) == {FORM: ["f-1", "f-2"], DIPLOMA: ["f-3"]}


def test_what_was_sent_replaces_the_files_built_up() -> None:
    # Intake's word at submission is authoritative, even where it differs from the attach events seen.
    sending = submitted(documents=[sent(FORM, a_file("f-2")), sent(PHOTO, a_file("f-9")), sent(DIPLOMA)])
    document = fold_all(*DRAFTED, event(sending, 5))
    assert files_of(document) == {FORM: ["f-2"], PHOTO: ["f-9"]}  # a document sent without files is none
    assert (document["status"], document["attached_files"]) == ("submitted", 2)
    assert document["history"][-1]["documents"] == []  # the first sending changes nothing


ACCEPTED = [event(created(), 1), event(attached(FORM, a_file("f-1")), 2),
            event(submitted(documents=[sent(FORM, a_file("f-1"))]), 3), staff_event(received(), 4)]


def test_a_supplement_request_records_the_documents_asked_for() -> None:
    document = fold_all(*ACCEPTED, staff_event(supplement(documents=[DIPLOMA, PHOTO]), 5))
    assert document["requested_documents"] == [DIPLOMA, PHOTO]
    assert document["history"][-1]["to"] == "supplement_requested"
    assert document["history"][-1]["documents"] == [DIPLOMA, PHOTO]


def test_sending_again_clears_the_request_and_the_history_says_what_was_supplemented() -> None:
    asked = [*ACCEPTED, staff_event(supplement(documents=[DIPLOMA]), 5),
             event(attached(DIPLOMA, a_file("f-4")), 6)]
    again = resubmitted(documents=[sent(FORM, a_file("f-1")), sent(DIPLOMA, a_file("f-4"))], changed=[DIPLOMA])
    document = fold_all(*asked, event(again, 7))
    assert document["requested_documents"] == []
    assert files_of(document) == {FORM: ["f-1"], DIPLOMA: ["f-4"]}
    assert [(entry["to"], entry["documents"]) for entry in document["history"]] == [
        ("draft", []), ("submitted", []), ("received", []), ("supplement_requested", [DIPLOMA]),
        ("submitted", [DIPLOMA])]


def test_a_later_request_replaces_an_earlier_one() -> None:
    again = resubmitted(documents=[sent(FORM, a_file("f-1"))])
    document = fold_all(*ACCEPTED, staff_event(supplement(documents=[DIPLOMA]), 5), event(again, 6),
                        staff_event(supplement(from_status="submitted", documents=[PHOTO]), 7))
    assert document["requested_documents"] == [PHOTO]


def test_the_detail_lists_the_catalog_documents_in_order_with_their_files_and_requests() -> None:
    document = fold_all(*ACCEPTED, staff_event(supplement(documents=[DIPLOMA]), 5))
    documents = shown(document)
    assert [(entry["code"], entry["name"], entry["required"], entry["requested"]) for entry in documents] == [
        (FORM, "Đơn đề nghị cấp giấy phép hành nghề", True, False),
        (DIPLOMA, "Bản sao văn bằng chuyên môn", True, True),
        (PHOTO, "Ảnh chân dung 4x6", False, False)]
    assert documents[0]["files"] == [{
        "id": "f-1", "filename": "tep.pdf", "content_type": "application/pdf", "size": 1_024,
        "sha256": a_file("f-1").sha256, "uploaded_at": START}]
    assert documents[1]["files"] == documents[2]["files"] == []


def test_codes_the_catalog_no_longer_lists_come_last_under_their_code() -> None:
    document = fold_all(*DRAFTED, event(attached("giay-cu", a_file("f-7")), 5),
                        event(attached(PHOTO, a_file("f-8")), 6))
    documents = shown(document)
    assert [entry["code"] for entry in documents] == [FORM, DIPLOMA, PHOTO, "giay-cu"]
    assert documents[-1] == {"code": "giay-cu", "name": "giay-cu", "required": False, "requested": False,
                             "files": [documents[-1]["files"][0]]}
    assert documents[-1]["files"][0]["id"] == "f-7"


def test_a_requested_code_the_catalog_does_not_list_is_still_shown() -> None:
    document = fold_all(*ACCEPTED, staff_event(supplement(documents=["giay-khac"]), 5))
    assert shown(document)[-1] == {"code": "giay-khac", "name": "giay-khac", "required": False,
                                   "requested": True, "files": []}


def test_a_procedure_the_catalog_does_not_have_shows_only_what_has_files() -> None:
    document = fold_all(event(created(procedure_code="SYT-XYZ"), 1), event(attached(FORM, a_file("f-1")), 2))
    assert [(entry["code"], entry["name"], entry["required"]) for entry in shown(document)] == [
        (FORM, FORM, False)]


def test_the_list_item_counts_the_files_and_the_lookup_shows_none() -> None:
    document = fold_all(*DRAFTED)
    assert list_item(document, TODAY, VIETNAM)["attached_files"] == 3
    answer = public_lookup(fold_all(*ACCEPTED))
    assert "documents" not in answer and "attached_files" not in answer


def test_a_document_stored_before_files_existed_takes_them_from_its_next_event() -> None:
    old = fold_all(event(created(), 1))
    for field in ("documents", "requested_documents", "attached_files"):
        del old[field]
    for entry in old["history"]:
        del entry["documents"]
    assert list_item(old, TODAY, VIETNAM)["attached_files"] == 0
    assert [entry["files"] for entry in shown(old)] == [[], [], []]
    assert detail(old, TODAY, VIETNAM, catalog_documents)["history"][0]["documents"] == []
    document = project(old, event(attached(FORM, a_file("f-1")), 2), names)
    assert (files_of(document), document["attached_files"]) == ({FORM: ["f-1"]}, 1)


def test_replay_reproduces_the_documents() -> None:
    life = [*ACCEPTED, staff_event(supplement(documents=[DIPLOMA]), 5), event(attached(DIPLOMA, a_file("f-4")), 6),
            event(removed(DIPLOMA, "f-4"), 7), event(attached(DIPLOMA, a_file("f-5")), 8),
            event(resubmitted(documents=[sent(FORM, a_file("f-1")), sent(DIPLOMA, a_file("f-5"))],
                              changed=[DIPLOMA]), 9)]
    live = fold_all(*life)
    (rebuilt,) = replay([life[0], *life, life[5]], names)
    assert rebuilt == live
    assert (files_of(rebuilt), rebuilt["history"][-1]["documents"]) == ({FORM: ["f-1"], DIPLOMA: ["f-5"]}, [DIPLOMA])
