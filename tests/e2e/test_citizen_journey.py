"""A citizen's drafts end to end through the gateway, against `make run` and `make run-services` alike.

Every read right after a command must already show it (read-your-writes), so nothing here waits.
"""

from typing import Any
from uuid import uuid4

import httpx
import pytest

from tests.e2e.client import APPLICANT, new_draft, sign_in
from tests.support.documents import attach_required

pytestmark = pytest.mark.e2e

def counts(client: httpx.Client) -> dict[str, int]:
    answer = client.get("/v1/me/status-counts")
    assert answer.status_code == 200, answer.text
    return answer.json()


def listed_ids(client: httpx.Client, **params: Any) -> list[str]:
    answer = client.get("/v1/dossiers", params=params)
    assert answer.status_code == 200, answer.text
    return [item["id"] for item in answer.json()["items"]]


def test_catalogs_are_public(base_url: str) -> None:
    statuses = httpx.get(f"{base_url}/v1/statuses").json()
    assert [entry["code"] for entry in statuses][:3] == ["draft", "submitted", "supplement_requested"]
    assert {"code": "received", "label": "Đã tiếp nhận"} in statuses
    procedures = httpx.get(f"{base_url}/v1/procedures").json()
    assert len(procedures) >= 10
    assert all(p["fee_vnd"] >= 0 and p["processing_days"] > 0 for p in procedures)


def test_draft_lifecycle_reads_its_own_writes(citizen: httpx.Client) -> None:
    assert set(counts(citizen).values()) == {0} and len(counts(citizen)) == 10

    created = citizen.post("/v1/dossiers", json=new_draft())
    assert created.status_code == 201, created.text
    dossier_id = created.json()["id"]
    assert created.json() == {"id": dossier_id, "status": "draft", "version": 1}
    detail = citizen.get(f"/v1/dossiers/{dossier_id}").json()
    assert (detail["status"], detail["status_label"], detail["version"]) == ("draft", "Chưa gửi", 1)
    assert detail["applicant"]["full_name"] == "Trần Thị Bích"
    assert detail["procedure_name"] == "Cấp mới giấy phép hành nghề khám bệnh, chữa bệnh"
    assert set(detail["actions"]) == {"edit", "delete", "submit"}
    assert [(h["from"], h["to"]) for h in detail["history"]] == [(None, "draft")]
    assert listed_ids(citizen, status="draft") == [dossier_id]
    assert counts(citizen)["draft"] == 1

    edited = citizen.patch(f"/v1/dossiers/{dossier_id}", json={"title": "Giấy phép hành nghề — bổ sung"},
                           headers={"If-Match": '"1"'})
    assert edited.status_code == 200, edited.text
    assert edited.json()["version"] == 2
    assert citizen.get(f"/v1/dossiers/{dossier_id}").json()["title"] == "Giấy phép hành nghề — bổ sung"
    stale = citizen.patch(f"/v1/dossiers/{dossier_id}", json={"title": "Cũ"}, headers={"If-Match": "1"})
    assert stale.status_code == 412 and stale.json()["error"]["code"] == "stale_version"

    attached = attach_required(citizen, dossier_id, "SYT-KCB-01")
    submitted = citizen.post(f"/v1/dossiers/{dossier_id}/submit")
    assert submitted.status_code == 200, submitted.text
    sent_version = 3 + len(attached)  # each attached file is a change of the draft too
    assert submitted.json() == {"id": dossier_id, "status": "submitted", "version": sent_version}
    detail = citizen.get(f"/v1/dossiers/{dossier_id}").json()
    assert (detail["status"], detail["status_label"]) == ("submitted", "Đã gửi")
    assert detail["submitted_at"] is not None
    assert [(h["from"], h["to"]) for h in detail["history"]] == [(None, "draft"), ("draft", "submitted")]
    assert counts(citizen)["draft"] == 0 and counts(citizen)["submitted"] == 1
    assert listed_ids(citizen, status="submitted") == [dossier_id]

    not_editable = citizen.patch(f"/v1/dossiers/{dossier_id}", json={"title": "Muộn"},
                                 headers={"If-Match": str(sent_version)})
    assert not_editable.status_code == 409
    assert citizen.delete(f"/v1/dossiers/{dossier_id}").status_code == 409
    assert citizen.post(f"/v1/dossiers/{dossier_id}/submit").status_code == 409
    assert citizen.get(f"/v1/dossiers/{dossier_id}").json()["version"] == sent_version


def test_deleted_draft_is_gone(citizen: httpx.Client) -> None:
    dossier_id = citizen.post("/v1/dossiers", json=new_draft()).json()["id"]
    deleted = citizen.delete(f"/v1/dossiers/{dossier_id}")
    assert deleted.status_code == 200, deleted.text
    assert citizen.get(f"/v1/dossiers/{dossier_id}").status_code == 404
    assert listed_ids(citizen) == []
    assert counts(citizen)["draft"] == 0


def test_accent_insensitive_search_and_filters(citizen: httpx.Client) -> None:
    licence = citizen.post("/v1/dossiers", json=new_draft("Cấp giấy phép hành nghề dược sĩ")).json()["id"]
    food = citizen.post("/v1/dossiers", json={
        "procedure_code": "SYT-ATTP-01", "title": "Chứng nhận an toàn thực phẩm quán Đức Phở",
        "applicant": APPLICANT, "form": {}}).json()["id"]
    assert listed_ids(citizen, q="giay phep") == [licence]
    assert listed_ids(citizen, q="GIẤY PHÉP dược") == [licence]
    assert listed_ids(citizen, q="duc pho") == [food]
    assert listed_ids(citizen, q="tran thi bich") == [food, licence]
    assert listed_ids(citizen, procedure_code="SYT-ATTP-01") == [food]
    assert listed_ids(citizen, q="không có hồ sơ này") == []
    assert listed_ids(citizen, status="submitted", q="giay phep") == []
    page = citizen.get("/v1/dossiers", params={"page_size": 1, "page": 2}).json()
    assert (page["total"], page["page"], page["page_size"], len(page["items"])) == (2, 2, 1, 1)


def test_another_citizen_sees_nothing(citizen: httpx.Client, other_citizen: httpx.Client) -> None:
    dossier_id = citizen.post("/v1/dossiers", json=new_draft()).json()["id"]
    assert other_citizen.get(f"/v1/dossiers/{dossier_id}").status_code == 404
    assert other_citizen.patch(f"/v1/dossiers/{dossier_id}", json={"title": "x"},
                               headers={"If-Match": "1"}).status_code == 404
    assert other_citizen.post(f"/v1/dossiers/{dossier_id}/submit").status_code == 404
    assert other_citizen.delete(f"/v1/dossiers/{dossier_id}").status_code == 404
    assert listed_ids(other_citizen) == []
    assert set(counts(other_citizen).values()) == {0}
    detail = citizen.get(f"/v1/dossiers/{dossier_id}").json()
    assert (detail["status"], detail["version"]) == ("draft", 1)


def test_bad_input_gets_a_clear_error_and_changes_nothing(base_url: str, citizen: httpx.Client) -> None:
    assert httpx.get(f"{base_url}/v1/dossiers").status_code == 401
    forged = httpx.get(f"{base_url}/v1/dossiers", headers={"Authorization": "Bearer eyJhbGciOiJub25lIn0.e30."})
    assert forged.status_code == 401 and forged.json()["error"]["code"] == "invalid_token"
    with sign_in(base_url, roles=["staff"]) as staff:
        assert staff.get("/v1/dossiers").status_code == 403

    malformed = citizen.post("/v1/dossiers", content=b"{not json", headers={"Content-Type": "application/json"})
    assert malformed.status_code == 400 and malformed.json()["error"]["code"] == "malformed_json"
    wrong = citizen.post("/v1/dossiers", json={**new_draft(), "title": 42, "applicant": {"phone": "x"}})
    assert wrong.status_code == 422
    # A draft may leave the applicant's name out; what it gives must be right, each field named with its rule.
    fields = wrong.json()["error"]["fields"]
    assert set(fields) == {"title", "applicant.phone"}
    assert fields["title"] == "Tên hồ sơ: phải là chuỗi ký tự."
    assert fields["applicant.phone"].startswith("Số điện thoại: không đúng định dạng (bắt đầu bằng 0 hoặc +84")
    unknown = citizen.post("/v1/dossiers", json={**new_draft(), "procedure_code": "KHONG-CO"})
    assert unknown.status_code == 422 and "procedure_code" in unknown.json()["error"]["fields"]
    oversized = citizen.post("/v1/dossiers", json={**new_draft(), "form": {"chuyen_mon": "x" * 2_000_000}})
    assert oversized.status_code == 413
    assert citizen.get("/v1/dossiers", params={"page_size": 1000}).status_code == 422
    assert citizen.get("/v1/dossiers", params={"status": "unknown"}).status_code == 422
    assert citizen.get(f"/v1/dossiers/{uuid4()}").json()["error"]["code"] == "dossier_not_found"
    assert set(counts(citizen).values()) == {0}
