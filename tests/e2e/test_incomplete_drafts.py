"""Through the gateway: a draft is saved with whatever is filled in, and sending it says what is missing.

A value that is given must still be right (a malformed email is refused on a draft too), and every message
names its field and its rule, so that a frontend can show it beside the field as it is.
"""

import httpx

from tests.e2e.client import APPLICANT, detail, new_draft, ok
from tests.support.documents import attach_required


def test_an_almost_empty_draft_is_saved_listed_and_shown(citizen: httpx.Client) -> None:
    created = ok(citizen.post("/v1/dossiers", json={"procedure_code": "SYT-KCB-01",
                                                    "applicant": {"phone": "0912345678"}}), 201)
    shown = detail(citizen, created["id"])
    assert (shown["status"], shown["title"], shown["applicant"]["phone"]) == ("draft", None, "0912345678")
    assert shown["applicant"]["full_name"] is None and "submit" in shown["actions"]
    [item] = ok(citizen.get("/v1/dossiers", params={"status": "draft"}))["items"]
    assert (item["id"], item["title"], item["applicant_name"]) == (created["id"], None, None)


def test_a_wrong_value_is_refused_on_a_draft_with_its_field_and_rule(citizen: httpx.Client) -> None:
    refused = citizen.post("/v1/dossiers", json={
        "procedure_code": "SYT-KCB-01", "title": "T" * 301,
        "applicant": {"email": "an.example.vn", "id_number": "12345", "phone": "0" * 20}})
    assert refused.status_code == 422
    fields = refused.json()["error"]["fields"]
    assert fields == {
        "title": "Tên hồ sơ: tối đa 300 ký tự.",
        "applicant.email": "Thư điện tử: không đúng định dạng (ví dụ ten@example.vn).",
        "applicant.id_number": "Số định danh cá nhân: không đúng định dạng (gồm 12 chữ số, in trên thẻ căn cước).",
        "applicant.phone": "Số điện thoại: không đúng định dạng (bắt đầu bằng 0 hoặc +84, tiếp theo là 9 hoặc 10 "
                           "chữ số, ví dụ 0912345678).",
    }
    assert ok(citizen.get("/v1/dossiers"))["total"] == 0


def test_sending_needs_it_whole_and_names_every_gap_then_goes_once_completed(citizen: httpx.Client) -> None:
    created = ok(citizen.post("/v1/dossiers", json={"procedure_code": "SYT-KCB-01"}), 201)
    dossier_id = created["id"]
    refused = citizen.post(f"/v1/dossiers/{dossier_id}/submit")
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "dossier_incomplete")
    fields = refused.json()["error"]["fields"]
    assert fields["title"] == "Tên hồ sơ: bắt buộc phải nhập."
    assert fields["applicant.full_name"] == "Họ và tên: bắt buộc phải nhập."
    assert fields["applicant.address"] == "Địa chỉ: bắt buộc phải nhập."
    assert fields["form.chuyen_mon"] == "Văn bằng chuyên môn: bắt buộc phải nhập."
    assert any(name.startswith("documents.") for name in fields)
    assert (detail(citizen, dossier_id)["status"], detail(citizen, dossier_id)["version"]) == ("draft", 1)

    completed = new_draft()
    del completed["procedure_code"]
    edited = ok(citizen.patch(f"/v1/dossiers/{dossier_id}", json=completed, headers={"If-Match": "1"}))
    attach_required(citizen, dossier_id, "SYT-KCB-01")
    sent = ok(citizen.post(f"/v1/dossiers/{dossier_id}/submit"))
    assert sent["status"] == "submitted" and sent["version"] > edited["version"]
    assert detail(citizen, dossier_id)["applicant"] == APPLICANT


def test_a_draft_may_be_emptied_again_but_its_parts_are_never_null(citizen: httpx.Client) -> None:
    dossier_id = ok(citizen.post("/v1/dossiers", json=new_draft()), 201)["id"]
    emptied = ok(citizen.patch(f"/v1/dossiers/{dossier_id}", json={"title": None, "applicant": {}},
                               headers={"If-Match": "1"}))
    shown = detail(citizen, dossier_id)
    assert (shown["title"], shown["applicant"]["email"], shown["version"]) == (None, None, emptied["version"])
    refused = citizen.patch(f"/v1/dossiers/{dossier_id}", json={"applicant": None},
                            headers={"If-Match": str(emptied["version"])})
    assert refused.status_code == 422 and set(refused.json()["error"]["fields"]) == {"applicant"}
