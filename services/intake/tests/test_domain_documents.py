"""The rules on a dossier's component documents (thành phần hồ sơ): what may be attached, removed, sent."""

from dataclasses import replace

import pytest

from services.intake import domain
from services.intake.domain import DocumentLimits, Dossier
from services.intake.errors import (
    DocumentFileFrozen,
    DocumentFileNotFound,
    DossierTooLarge,
    EmptyFile,
    FileIncomplete,
    FileTooLarge,
    InvalidContent,
    TooManyFiles,
    UnknownDocument,
    UnsupportedFileType,
    readable_size,
)
from services.intake.tests.harness import jpeg, pdf
from services.intake.tests.test_domain import CATALOG, NOW, REQUIRED, attached, content
from shared.blobs.content_types import ContentInspector
from shared.errors import NotEditable
from shared.statuses import Status

LIMITS = DocumentLimits(max_file_bytes=10 * 1024 * 1024, max_dossier_bytes=50 * 1024 * 1024, max_files=30,
                        accepted_content_types=("application/pdf", "image/jpeg", "image/png"))
PROCEDURE = CATALOG.get("SYT-KCB-01")
FORM = PROCEDURE.document("don-de-nghi")
DIPLOMA = PROCEDURE.document("van-bang-chuyen-mon")


def empty_draft() -> Dossier:
    dossier, _ = domain.create_draft("d-1", domain.Owner("citizen-1", None), content(), CATALOG, NOW)
    return dossier


def attach(dossier: Dossier, code: str, size: int = 1000) -> Dossier:
    file = attached(code, dossier.version + 1, size=size).file
    changed, _ = domain.attach(dossier, code, file, CATALOG, LIMITS, NOW)
    return changed


def complete() -> Dossier:
    dossier = empty_draft()
    for code in REQUIRED:
        dossier = attach(dossier, code)
    return dossier


def judged(content_bytes: bytes) -> str:
    inspector = ContentInspector(LIMITS.accepted_content_types)
    inspector.observe(content_bytes)
    return domain.judge_content(FORM, len(content_bytes), inspector, LIMITS).content_type


def test_attaching_records_the_file_at_the_next_version_and_publishes_its_metadata() -> None:
    file = attached("don-de-nghi", 2).file
    changed, event = domain.attach(empty_draft(), "don-de-nghi", file, CATALOG, LIMITS, NOW)
    assert changed.version == 2
    assert changed.files == (domain.DossierFile(code="don-de-nghi", file=file, attached_version=2, sent=False),)
    assert (event.message_type, event.code, event.file) == ("dossier.document_attached", "don-de-nghi", file)


def test_an_upload_is_refused_before_its_bytes_in_this_order_status_code_caps() -> None:
    submitted, _ = domain.submit(complete(), CATALOG, NOW)
    with pytest.raises(NotEditable) as not_editable:
        domain.check_can_attach(submitted, "khong-co", CATALOG, LIMITS)  # the status first, even for a bad code
    assert "“khong-co”" in not_editable.value.message
    with pytest.raises(NotEditable) as named:
        domain.check_can_attach(submitted, "don-de-nghi", CATALOG, LIMITS)
    assert FORM.name in named.value.message
    with pytest.raises(UnknownDocument):
        domain.check_can_attach(empty_draft(), "khong-co", CATALOG, LIMITS)
    with pytest.raises(TooManyFiles) as too_many:
        domain.check_can_attach(complete(), "don-de-nghi", CATALOG, replace(LIMITS, max_files=len(REQUIRED)))
    assert too_many.value.message == (f"Không thể đính kèm thêm tệp cho “{FORM.name}”: mỗi hồ sơ có tối đa "
                                      f"{len(REQUIRED)} tệp đính kèm.")
    with pytest.raises(DossierTooLarge):
        domain.check_can_attach(complete(), "don-de-nghi", CATALOG, replace(LIMITS, max_dossier_bytes=6000))


def test_the_upload_room_is_the_file_limit_or_what_is_left_of_the_dossiers() -> None:
    assert domain.upload_room(complete(), LIMITS) == LIMITS.max_file_bytes
    nearly_full = replace(LIMITS, max_dossier_bytes=LIMITS.max_file_bytes + 500)
    assert domain.upload_room(empty_draft(), nearly_full) == LIMITS.max_file_bytes
    assert domain.upload_room(attach(empty_draft(), "don-de-nghi", 1000), nearly_full) == LIMITS.max_file_bytes - 500
    assert isinstance(domain.too_large(FORM, LIMITS.max_file_bytes, LIMITS), FileTooLarge)
    assert isinstance(domain.too_large(FORM, LIMITS.max_file_bytes - 500, nearly_full), DossierTooLarge)


def test_recording_decides_the_caps_again_on_the_dossier_as_stored() -> None:
    # Another upload filled the dossier while this one streamed: the dossier's limit is checked on it.
    limits = replace(LIMITS, max_dossier_bytes=LIMITS.max_file_bytes)
    filled = attach(empty_draft(), "don-de-nghi", LIMITS.max_file_bytes - 10)
    with pytest.raises(DossierTooLarge) as refused:
        domain.attach(filled, "van-bang-chuyen-mon", attached("van-bang-chuyen-mon", size=11).file, CATALOG, limits,
                      NOW)
    assert refused.value.message == (f"Không thể đính kèm tệp cho “{DIPLOMA.name}”: tổng dung lượng các tệp của "
                                     "một hồ sơ không được vượt quá 10 MB.")


def test_the_content_decides_the_type_not_the_name() -> None:
    assert judged(pdf()) == "application/pdf"
    assert judged(jpeg()) == "image/jpeg"
    with pytest.raises(EmptyFile):
        judged(b"")
    with pytest.raises(UnsupportedFileType) as html:
        judged(b"<!DOCTYPE html><html><body>%PDF-</body></html>")
    assert html.value.message == (f"Tệp đính kèm cho “{FORM.name}” không đúng định dạng cho phép: chỉ nhận tệp "
                                  "PDF, JPEG hoặc PNG.")
    with pytest.raises(FileIncomplete) as cut:
        judged(pdf()[:40])
    assert cut.value.message.startswith(f"Tệp PDF đính kèm cho “{FORM.name}” không hoàn chỉnh")


def test_sizes_are_said_as_a_citizen_reads_them() -> None:
    assert [readable_size(size) for size in (10 * 1024 * 1024, 1536 * 1024, 2048, 1000)] == [
        "10 MB", "1,5 MB", "2 KB", "1000 byte"]
    assert FileTooLarge(FORM.name, 10 * 1024 * 1024).message == (
        f"Tệp đính kèm cho “{FORM.name}” vượt quá 10 MB, dung lượng tối đa của một tệp.")


def test_a_file_not_yet_sent_may_be_removed_a_sent_one_never() -> None:
    dossier = attach(empty_draft(), "don-de-nghi")
    file_id = dossier.files[0].file.id
    with pytest.raises(DocumentFileNotFound):
        domain.remove(dossier, "van-bang-chuyen-mon", file_id, CATALOG, NOW)  # the file, under another document
    removed, event = domain.remove(dossier, "don-de-nghi", file_id, CATALOG, NOW)
    assert (removed.files, removed.version, event.file_id) == ((), 3, file_id)
    sent, _ = domain.submit(complete(), CATALOG, NOW)
    back = domain.take_back(sent, Status.SUPPLEMENT_REQUESTED, sent.version + 2, NOW, ["van-bang-chuyen-mon"])
    assert back is not None
    with pytest.raises(DocumentFileFrozen) as frozen:
        domain.remove(back, "van-bang-chuyen-mon", back.files_of("van-bang-chuyen-mon")[0].file.id, CATALOG, NOW)
    assert frozen.value.message == (f"Tệp “van-bang-chuyen-mon.pdf” của “{DIPLOMA.name}” đã được gửi cùng hồ sơ nên "
                                    "không thể gỡ bỏ.")


def test_staff_find_only_the_files_that_were_sent() -> None:
    dossier = attach(empty_draft(), "don-de-nghi")
    file_id = dossier.files[0].file.id
    assert domain.find_file(dossier, "don-de-nghi", file_id, CATALOG).file.id == file_id
    with pytest.raises(DocumentFileNotFound):
        domain.find_file(dossier, "don-de-nghi", file_id, CATALOG, sent_only=True)


def test_sending_needs_a_file_for_every_required_document_told_all_at_once() -> None:
    with pytest.raises(InvalidContent) as refused:
        domain.submit(attach(empty_draft(), "don-de-nghi"), CATALOG, NOW)
    assert refused.value.fields == {
        f"documents.{document.code}": f"Vui lòng đính kèm {document.name}."
        for document in PROCEDURE.documents if document.required and document.code != "don-de-nghi"}
    with pytest.raises(InvalidContent) as with_the_form:
        domain.submit(replace(empty_draft(), content=content(form={})), CATALOG, NOW)
    assert {"form.chuyen_mon", "form.pham_vi", "documents.don-de-nghi"} <= set(with_the_form.value.fields)


def test_sending_freezes_every_file_and_carries_their_metadata_in_catalog_order() -> None:
    dossier = attach(complete(), "chung-chi-chuyen-khoa")  # an optional one, attached last
    dossier = attach(dossier, "don-de-nghi")  # a second file for the first document
    sent, event = domain.submit(dossier, CATALOG, NOW)
    assert all(file.sent for file in sent.files) and sent.last_sent_version == sent.version
    catalog_order = [document.code for document in PROCEDURE.documents]
    assert [document.code for document in event.documents] == [
        code for code in catalog_order if code in {*REQUIRED, "chung-chi-chuyen-khoa"}]
    assert [file.id for file in event.documents[0].files] == [attached.file.id for attached in
                                                               dossier.files_of("don-de-nghi")]
    assert event.changed_documents == []  # the first sending: nothing changed since one before


def test_after_a_supplement_request_each_document_named_needs_a_file_added_since() -> None:
    sent, _ = domain.submit(complete(), CATALOG, NOW)
    back = domain.take_back(sent, Status.SUPPLEMENT_REQUESTED, sent.version + 2, NOW,
                            ["van-bang-chuyen-mon", "anh-chan-dung", "van-bang-chuyen-mon", "khong-co"])
    assert back is not None and back.supplement == domain.SupplementRequest(
        ("van-bang-chuyen-mon", "anh-chan-dung", "khong-co"), sent.version + 2)
    with pytest.raises(InvalidContent) as refused:
        domain.submit(back, CATALOG, NOW)
    # "khong-co" is no document of the procedure: no file could ever answer it, so it holds nothing back.
    assert refused.value.fields == {
        "documents.van-bang-chuyen-mon": f"Vui lòng bổ sung {DIPLOMA.name} theo yêu cầu.",
        "documents.anh-chan-dung": f"Vui lòng bổ sung {PROCEDURE.document('anh-chan-dung').name} theo yêu cầu."}
    completed = attach(attach(back, "anh-chan-dung"), "van-bang-chuyen-mon")
    resent, event = domain.submit(completed, CATALOG, NOW)
    assert event.changed_documents == ["van-bang-chuyen-mon", "anh-chan-dung"]  # catalog order
    assert len(resent.files) == len(REQUIRED) + 2 and all(file.sent for file in resent.files)


def test_a_withdrawn_dossier_sent_again_tells_what_changed_since() -> None:
    sent, _ = domain.submit(complete(), CATALOG, NOW)
    withdrawn = domain.take_back(sent, Status.DRAFT, sent.version + 1, NOW, ["anh-chan-dung"])
    assert withdrawn is not None and withdrawn.supplement is None  # a withdrawal requests nothing
    resent, event = domain.submit(attach(withdrawn, "giay-to-tieng-viet"), CATALOG, NOW)
    assert event.changed_documents == ["giay-to-tieng-viet"]
    assert resent.last_sent_version == resent.version


def test_the_procedure_of_a_dossier_with_files_cannot_change() -> None:
    dossier = attach(empty_draft(), "don-de-nghi")
    with pytest.raises(InvalidContent) as refused:
        domain.edit(dossier, {"procedure_code": "SYT-KCB-02", "form": {}}, dossier.version, CATALOG, NOW)
    assert set(refused.value.fields) == {"procedure_code"}
    edited, _ = domain.edit(empty_draft(), {"procedure_code": "SYT-KCB-02", "form": {}}, 1, CATALOG, NOW)
    assert edited.content.procedure_code == "SYT-KCB-02"
