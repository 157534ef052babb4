"""A dossier from draft to result returned through the gateway, with the withdraw, supplement and reject
branches, against `make run` and `make run-services` alike. Reads right after a command need no wait.
"""

import re

import httpx
import pytest

from tests.e2e.client import APPLICANT, detail, new_draft, ok, submitted_dossier

pytestmark = pytest.mark.e2e

LOOKUP_CODE = re.compile(r"^[0-9A-Z.]+-\d{6}-\d{4}$")
# Whole, as processing checks a result document by its bytes: its signature first, its end marker last.
PDF = b"%PDF-1.4\n% Giay phep hanh nghe\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"


def act(staff: httpx.Client, dossier_id: str, action: str, status: int = 200, **body: str) -> dict:
    answer: dict = ok(staff.post(f"/v1/staff/dossiers/{dossier_id}/{action}", json=body or None), status)
    return answer


def history(client: httpx.Client, dossier_id: str) -> list[tuple[str | None, str]]:
    return [(entry["from"], entry["to"]) for entry in detail(client, dossier_id)["history"]]


def test_from_draft_to_result_returned_online(citizen: httpx.Client, staff: httpx.Client) -> None:
    dossier_id = submitted_dossier(citizen)

    # Withdraw before reception (rút hồ sơ): a draft again, editable, then sent once more.
    withdrawn = ok(citizen.post(f"/v1/dossiers/{dossier_id}/withdraw"))
    assert withdrawn["status"] == "draft"
    assert detail(citizen, dossier_id)["actions"] == ["edit", "delete", "submit"]
    ok(citizen.patch(f"/v1/dossiers/{dossier_id}", json={"title": "Giấy phép hành nghề (đã sửa)"},
                     headers={"If-Match": str(withdrawn["version"])}))
    ok(citizen.post(f"/v1/dossiers/{dossier_id}/submit"))

    # Reception (tiếp nhận): a lookup code and a due date; no more withdrawal.
    received = act(staff, dossier_id, "accept")
    assert received["status"] == "received"
    seen = detail(citizen, dossier_id)
    assert LOOKUP_CODE.match(seen["lookup_code"]) and seen["due_date"] and seen["status_label"] == "Đã tiếp nhận"
    lookup_code = seen["lookup_code"]
    refused = citizen.post(f"/v1/dossiers/{dossier_id}/withdraw")
    assert refused.status_code == 409 and refused.json()["error"]["message"]

    # A supplement (yêu cầu bổ sung): the citizen sees why, completes it and sends it again.
    act(staff, dossier_id, "request-supplement", reason="Thiếu bản sao văn bằng chuyên môn có chứng thực.")
    asked = detail(citizen, dossier_id)
    assert (asked["status"], asked["status_label"]) == ("supplement_requested", "Yêu cầu bổ sung")
    assert asked["reason"] == "Thiếu bản sao văn bằng chuyên môn có chứng thực."
    assert set(asked["actions"]) == {"edit", "submit"} and asked["overdue"] is False
    ok(citizen.patch(f"/v1/dossiers/{dossier_id}", json={"form": {"chuyen_mon": "Bác sĩ nội khoa (CKI)",
                                                                   "pham_vi": "Khám bệnh nội khoa"}},
                     headers={"If-Match": str(asked["version"])}))
    ok(citizen.post(f"/v1/dossiers/{dossier_id}/submit"))
    resubmitted = detail(citizen, dossier_id)
    assert (resubmitted["status"], resubmitted["lookup_code"]) == ("submitted", lookup_code)
    assert resubmitted["form"]["chuyen_mon"] == "Bác sĩ nội khoa (CKI)"

    act(staff, dossier_id, "accept")
    assert detail(citizen, dossier_id)["lookup_code"] == lookup_code
    act(staff, dossier_id, "start-processing")
    assert detail(citizen, dossier_id)["status_label"] == "Đang giải quyết"

    issued = staff.post(f"/v1/staff/dossiers/{dossier_id}/issue-result",
                        data={"summary": "Cấp giấy phép hành nghề số 123/SYT-GPHN."},
                        files={"document": ("giay-phep.pdf", PDF, "application/pdf")})
    assert ok(issued)["status"] == "result_ready"
    ready = detail(citizen, dossier_id)
    assert ready["result"]["summary"] == "Cấp giấy phép hành nghề số 123/SYT-GPHN."
    assert "choose_delivery" in ready["actions"]

    ok(citizen.put(f"/v1/dossiers/{dossier_id}/result-delivery", json={"method": "online"}))
    assert "download_result" in detail(citizen, dossier_id)["actions"]
    download = citizen.get(f"/v1/dossiers/{dossier_id}/result")
    assert download.status_code == 200 and download.content == PDF
    assert "giay-phep.pdf" in download.headers["content-disposition"]
    returned = detail(citizen, dossier_id)
    assert (returned["status"], returned["status_label"]) == ("result_returned", "Đã trả kết quả")
    assert citizen.get(f"/v1/dossiers/{dossier_id}/result").content == PDF  # still there to review

    assert history(citizen, dossier_id) == [
        (None, "draft"), ("draft", "submitted"), ("submitted", "draft"), ("draft", "submitted"),
        ("submitted", "received"), ("received", "supplement_requested"), ("supplement_requested", "submitted"),
        ("submitted", "received"), ("received", "processing"), ("processing", "result_ready"),
        ("result_ready", "result_returned")]
    counts = ok(citizen.get("/v1/me/status-counts"))
    assert counts["result_returned"] == 1 and sum(counts.values()) == 1


def test_result_collected_at_the_office(citizen: httpx.Client, staff: httpx.Client) -> None:
    dossier_id = submitted_dossier(citizen)
    for action in ("accept", "start-processing"):
        act(staff, dossier_id, action)
    ok(staff.post(f"/v1/staff/dossiers/{dossier_id}/issue-result", data={"summary": "Giấy phép bản giấy."}))
    ok(citizen.put(f"/v1/dossiers/{dossier_id}/result-delivery", json={"method": "at_office"}))
    assert citizen.get(f"/v1/dossiers/{dossier_id}/result").status_code == 409
    act(staff, dossier_id, "mark-returned", method="at_office")
    assert detail(citizen, dossier_id)["status"] == "result_returned"


def test_rejected_at_reception(citizen: httpx.Client, staff: httpx.Client) -> None:
    dossier_id = submitted_dossier(citizen)
    act(staff, dossier_id, "reject", reason="Thủ tục không thuộc thẩm quyền của Sở Y tế.")
    rejected = detail(citizen, dossier_id)
    assert (rejected["status"], rejected["status_label"]) == ("rejected", "Từ chối tiếp nhận")
    assert rejected["reason"] == "Thủ tục không thuộc thẩm quyền của Sở Y tế." and rejected["actions"] == []
    assert rejected["lookup_code"] is None
    for action in ("accept", "start-processing"):
        assert act(staff, dossier_id, action, status=409)["error"]["code"] == "transition_not_allowed"
    assert citizen.post(f"/v1/dossiers/{dossier_id}/withdraw").status_code == 409


def test_staff_doors_are_for_staff_and_refuse_what_the_status_does_not_allow(
        citizen: httpx.Client, staff: httpx.Client) -> None:
    draft_id = ok(citizen.post("/v1/dossiers", json=new_draft()), 201)["id"]
    assert citizen.post(f"/v1/staff/dossiers/{draft_id}/accept").status_code == 403
    assert citizen.get("/v1/staff/dossiers").status_code == 403
    assert staff.get("/v1/dossiers").status_code == 403
    # An unsent draft is not the Department's yet: staff neither see it nor act on it.
    assert act(staff, draft_id, "accept", status=404)["error"]["code"] == "dossier_not_found"
    assert staff.get(f"/v1/staff/dossiers/{draft_id}").status_code == 404
    assert act(staff, draft_id, "launch-rocket", status=404)["error"]["code"] == "unknown_action"
    assert detail(citizen, draft_id)["status"] == "draft"

    dossier_id = submitted_dossier(citizen, "Hồ sơ để cán bộ tìm")
    assert staff.post(f"/v1/staff/dossiers/{dossier_id}/reject", json={"reason": ""}).status_code == 422
    assert staff.post(f"/v1/staff/dossiers/{dossier_id}/mark-returned", json={"method": "drone"}).status_code == 422
    assert act(staff, dossier_id, "start-processing", status=409)["error"]["code"] == "transition_not_allowed"
    listed = ok(staff.get("/v1/staff/dossiers", params={"status": "submitted", "q": "ho so de can bo tim"}))
    assert [item["id"] for item in listed["items"]] == [dossier_id]
    assert ok(staff.get(f"/v1/staff/dossiers/{dossier_id}"))["applicant"]["full_name"] == APPLICANT["full_name"]


def test_public_lookup_shows_progress_and_nothing_personal(
        base_url: str, citizen: httpx.Client, staff: httpx.Client) -> None:
    dossier_id = submitted_dossier(citizen)
    act(staff, dossier_id, "accept")
    lookup_code = detail(citizen, dossier_id)["lookup_code"]
    public = httpx.get(f"{base_url}/v1/lookup/{lookup_code}")
    found = ok(public)
    assert (found["lookup_code"], found["status"], found["status_label"]) == (lookup_code, "received", "Đã tiếp nhận")
    # Progress from reception on: the drafting and sending before it are the citizen's own.
    assert [entry["to"] for entry in found["history"]] == ["received"]
    assert found["procedure_name"] and found["due_date"]
    for personal in (*APPLICANT.values(), "Cấp giấy phép hành nghề khám bệnh cho bác sĩ Bích"):
        assert personal not in public.text
    assert httpx.get(f"{base_url}/v1/lookup/000.00.17.H00-010101-9999").status_code == 404
