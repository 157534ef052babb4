"""A draft is saved with whatever is filled in; sending it needs it whole, and says field by field what lacks.

What a draft holds keeps its rules though: a malformed email or id number is refused when it is typed.
"""

from dataclasses import replace

import pytest

from services.intake import domain
from services.intake.errors import InvalidContent
from services.intake.tests.harness import Harness
from services.intake.tests.test_domain import CATALOG, NOW, OWNER, REQUIRED, attached, content
from shared.messages import DraftContent
from shared.statuses import Status

APPLICANT = content().applicant.model_dump()
ALMOST_EMPTY = DraftContent(procedure_code="SYT-KCB-01", form={"chuyen_mon": "Bác sĩ"})


def test_a_draft_with_only_its_procedure_is_saved_and_its_event_says_what_is_missing() -> None:
    dossier, event = domain.create_draft("d-1", OWNER, ALMOST_EMPTY, CATALOG, NOW)
    assert (dossier.status, dossier.content.title, dossier.content.applicant.full_name) == (Status.DRAFT, None, None)
    assert event.model_dump(mode="json")["content"] == {"procedure_code": "SYT-KCB-01", "title": None}


@pytest.mark.parametrize(("applicant", "field", "message"), [
    ({"email": "an.example.vn"}, "applicant.email", "Thư điện tử: không đúng định dạng (ví dụ ten@example.vn)."),
    ({"id_number": "12345"}, "applicant.id_number",
     "Số định danh cá nhân: không đúng định dạng (gồm 12 chữ số, in trên thẻ căn cước)."),
    ({"full_name": ""}, "applicant.full_name", "Họ và tên: không được để trống."),
    ({"address": "x" * 501}, "applicant.address", "Địa chỉ: tối đa 500 ký tự."),
])
def test_a_wrong_value_is_refused_even_on_a_draft_naming_its_field_and_rule(
        applicant: dict[str, str], field: str, message: str) -> None:
    dossier, _ = domain.create_draft("d-1", OWNER, ALMOST_EMPTY, CATALOG, NOW)
    with pytest.raises(InvalidContent) as refused:
        domain.edit(dossier, {"applicant": applicant}, 1, CATALOG, NOW)
    assert refused.value.fields == {field: message}


def test_a_title_too_long_is_refused_with_its_limit() -> None:
    dossier, _ = domain.create_draft("d-1", OWNER, ALMOST_EMPTY, CATALOG, NOW)
    with pytest.raises(InvalidContent) as refused:
        domain.edit(dossier, {"title": "T" * 301}, 1, CATALOG, NOW)
    assert refused.value.fields == {"title": "Tên hồ sơ: tối đa 300 ký tự."}


def test_sending_an_incomplete_draft_names_every_gap_and_changes_nothing() -> None:
    dossier, _ = domain.create_draft("d-1", OWNER, ALMOST_EMPTY, CATALOG, NOW)
    dossier = replace(dossier, files=(attached(REQUIRED[0]),))
    with pytest.raises(InvalidContent) as refused:
        domain.submit(dossier, CATALOG, NOW)
    fields = refused.value.fields
    assert list(fields)[:6] == ["title", "applicant.full_name", "applicant.id_number", "applicant.phone",
                                "applicant.email", "applicant.address"]
    assert fields["title"] == "Tên hồ sơ: bắt buộc phải nhập."
    assert fields["applicant.phone"] == "Số điện thoại: bắt buộc phải nhập."
    assert fields["form.pham_vi"] == "Phạm vi hành nghề đề nghị: bắt buộc phải nhập."
    assert {f"documents.{code}" for code in REQUIRED[1:]} <= set(fields)
    assert f"documents.{REQUIRED[0]}" not in fields


def test_once_completed_the_draft_is_sent_whole() -> None:
    dossier, _ = domain.create_draft("d-1", OWNER, ALMOST_EMPTY, CATALOG, NOW)
    completed, _ = domain.edit(dossier, {"title": "Cấp giấy phép", "applicant": APPLICANT,
                                         "form": content().form}, 1, CATALOG, NOW)
    completed = replace(completed, files=tuple(attached(code) for code in REQUIRED))
    sent, event = domain.submit(completed, CATALOG, NOW)
    assert sent.status is Status.SUBMITTED
    assert sent.content.applicant.phone == "0912345678"
    assert event.model_dump(mode="json")["content"] == {"procedure_code": "SYT-KCB-01", "title": "Cấp giấy phép"}


def test_a_field_filled_in_may_be_emptied_again_on_a_draft() -> None:
    dossier, _ = domain.create_draft("d-1", OWNER, content(), CATALOG, NOW)
    emptied, event = domain.edit(dossier, {"title": None, "applicant": {"full_name": "Nguyễn Văn An"}}, 1,
                                 CATALOG, NOW)
    assert (emptied.content.title, emptied.content.applicant.phone, event.content.title) == (None, None, None)


async def test_intakes_api_keeps_an_almost_empty_draft_and_refuses_to_send_it(intake: Harness) -> None:
    answer = await intake.client.post("/dossiers", json={
        "owner_id": "citizen-1", "content": {"procedure_code": "SYT-KCB-01"}})
    assert answer.status_code == 201, answer.text
    dossier_id = answer.json()["id"]
    refused = await intake.submit(dossier_id, owner="citizen-1")
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "dossier_incomplete")
    assert refused.json()["error"]["fields"]["applicant.email"] == "Thư điện tử: bắt buộc phải nhập."
    record = await intake.record(dossier_id)
    assert record is not None and (record["status"], record["version"]) == ("draft", 1)
    wrong = await intake.client.post("/dossiers", json={
        "owner_id": "citizen-1", "content": {"procedure_code": "SYT-KCB-01", "applicant": {"phone": "12"}}})
    assert wrong.status_code == 422
    assert wrong.json()["error"]["fields"]["content.applicant.phone"].startswith("Số điện thoại: không đúng định dạng")
