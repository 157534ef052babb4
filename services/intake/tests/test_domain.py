"""Intake's decisions: what a citizen may do to a dossier they hold, and what each records."""

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from services.intake import domain
from services.intake.domain import DossierFile, Owner
from services.intake.errors import HandBackOutOfTurn, InvalidContent, NotDeletable, NotHandedBackYet
from shared.documents import AttachedFile
from shared.errors import NotEditable, StaleVersion, TransitionNotAllowed
from shared.messages import DraftContent
from shared.procedures import load_catalog
from shared.statuses import Status

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
CATALOG = load_catalog()
OWNER = Owner("citizen-1", "an@example.vn")
REQUIRED = [document.code for document in CATALOG.get("SYT-KCB-01").documents if document.required]


def content(**overrides: Any) -> DraftContent:
    return DraftContent.model_validate({
        "procedure_code": "SYT-KCB-01", "title": "Cấp giấy phép hành nghề",
        "applicant": {"full_name": "Nguyễn Văn An", "id_number": "001090012345", "phone": "0912345678",
                      "email": "an@example.vn", "address": "Hà Nội"},
        "form": {"chuyen_mon": "Bác sĩ", "pham_vi": "Nội khoa"}, **overrides})


def attached(code: str, version: int = 1, *, size: int = 1000) -> DossierFile:
    """A file's record for document `code`, as an upload recorded at `version` left it."""
    file = AttachedFile(id=f"f-{code}-{version}", filename=f"{code}.pdf", content_type="application/pdf",
                        size=size, sha256="0" * 64, uploaded_at=NOW)
    return DossierFile(code=code, file=file, attached_version=version)


def draft(**overrides: Any) -> domain.Dossier:
    """A new draft (version 1) with a file for each required document, as if they had come with it."""
    dossier, _ = domain.create_draft("d-1", OWNER, content(**overrides), CATALOG, NOW)
    return replace(dossier, files=tuple(attached(code) for code in REQUIRED))


def test_a_new_draft_is_version_one_and_records_its_owner() -> None:
    dossier, event = domain.create_draft("d-1", OWNER, content(), CATALOG, NOW)
    assert (dossier.status, dossier.version, dossier.owner.email) == (Status.DRAFT, 1, "an@example.vn")
    # The account's address stays with intake (GET …/contacts): every reader of the events would see it.
    assert (event.to_status, event.owner_id) == (Status.DRAFT, "citizen-1")
    assert "an@example.vn" not in event.model_dump_json()


def test_a_draft_may_be_incomplete_but_not_foreign_to_its_form() -> None:
    assert draft(form={}).content.form == {}
    with pytest.raises(InvalidContent) as refused:
        draft(form={"khong_co": "x"})
    assert "form.khong_co" in refused.value.fields


def test_edit_needs_the_current_version_and_an_editable_status() -> None:
    edited, event = domain.edit(draft(), {"title": "Mới"}, 1, CATALOG, NOW)
    assert (edited.version, edited.content.title, event.content.title) == (2, "Mới", "Mới")
    with pytest.raises(StaleVersion):
        domain.edit(edited, {"title": "Cũ"}, 1, CATALOG, NOW)
    submitted, _ = domain.submit(edited, CATALOG, NOW)
    with pytest.raises(NotEditable):
        domain.edit(submitted, {"title": "Muộn"}, submitted.version, CATALOG, NOW)


def test_edit_revalidates_the_whole_content() -> None:
    with pytest.raises(InvalidContent) as refused:
        domain.edit(draft(), {"applicant": {"full_name": ""}}, 1, CATALOG, NOW)
    assert any(field.startswith("applicant") for field in refused.value.fields)


def test_only_a_draft_can_be_deleted() -> None:
    deleted, event = domain.delete(draft(), None)
    assert (deleted.deleted, deleted.version, event.message_type) == (True, 2, "dossier.draft_deleted")
    with pytest.raises(StaleVersion):
        domain.delete(draft(), 5)
    submitted, _ = domain.submit(draft(), CATALOG, NOW)
    with pytest.raises(NotDeletable):
        domain.delete(submitted, None)


def test_submit_needs_every_required_field_and_hands_the_dossier_over() -> None:
    with pytest.raises(InvalidContent) as refused:
        domain.submit(draft(form={"chuyen_mon": "Bác sĩ"}), CATALOG, NOW)
    assert set(refused.value.fields) == {"form.pham_vi"}
    submitted, event = domain.submit(draft(), CATALOG, NOW)
    assert (submitted.status, submitted.version) == (Status.SUBMITTED, 2)
    assert (event.from_status, event.to_status, event.owner_id) == (Status.DRAFT, Status.SUBMITTED, "citizen-1")
    with pytest.raises(TransitionNotAllowed):
        domain.submit(submitted, CATALOG, NOW)


def test_taking_back_a_dossier_adopts_processings_version_once() -> None:
    submitted, _ = domain.submit(draft(), CATALOG, NOW)
    back = domain.take_back(submitted, Status.SUPPLEMENT_REQUESTED, 5, NOW)
    assert back is not None and (back.status, back.version) == (Status.SUPPLEMENT_REQUESTED, 5)
    assert domain.take_back(back, Status.SUPPLEMENT_REQUESTED, 5, NOW) is None
    assert domain.take_back(back, Status.DRAFT, 3, NOW) is None
    edited, _ = domain.edit(back, {"title": "Đã bổ sung"}, 5, CATALOG, NOW)
    resubmitted, event = domain.submit(edited, CATALOG, NOW)
    assert (resubmitted.version, event.from_status) == (7, Status.SUPPLEMENT_REQUESTED)


def test_a_hand_back_comes_back_in_the_status_it_names_and_only_to_intake() -> None:
    submitted, _ = domain.submit(draft(), CATALOG, NOW)
    withdrawn = domain.take_back(submitted, Status.DRAFT, 3, NOW)
    assert withdrawn is not None and (withdrawn.status, withdrawn.version) == (Status.DRAFT, 3)
    with pytest.raises(HandBackOutOfTurn):
        domain.take_back(submitted, Status.RECEIVED, 3, NOW)  # processing keeps what it received
    with pytest.raises(HandBackOutOfTurn):
        domain.take_back(withdrawn, Status.SUPPLEMENT_REQUESTED, 4, NOW)  # intake holds it: nothing to hand back


def test_a_version_only_a_pending_hand_back_can_make_is_not_refused_for_good() -> None:
    submitted, _ = domain.submit(draft(), CATALOG, NOW)
    with pytest.raises(NotHandedBackYet):
        domain.edit(submitted, {"title": "Bổ sung"}, 5, CATALOG, NOW)
    with pytest.raises(NotHandedBackYet):
        domain.delete(submitted, 3)
    with pytest.raises(NotEditable):
        domain.edit(submitted, {"title": "Muộn"}, 2, CATALOG, NOW)  # they saw it sent: refused for good
    with pytest.raises(StaleVersion):
        domain.edit(draft(), {"title": "Lạc"}, 5, CATALOG, NOW)  # intake holds it: no hand-back can come
