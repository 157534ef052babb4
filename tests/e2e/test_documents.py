"""A dossier's documents (thành phần hồ sơ) end to end, against `make run` and `make run-services` alike:
attached by the citizen, required before sending, downloaded byte for byte by staff, asked for again by a
supplement request, and every bad upload refused with nothing changed."""

import hashlib

import httpx
import pytest

from services.sample_files import sample_jpeg, sample_pdf, sample_png
from tests.e2e.client import detail, new_draft, ok
from tests.support.documents import attach, attach_required, required_documents

pytestmark = pytest.mark.e2e

PROCEDURE = "SYT-KCB-01"
MB = 1024 * 1024


def a_draft(citizen: httpx.Client) -> str:
    dossier_id: str = ok(citizen.post("/v1/dossiers", json=new_draft()), 201)["id"]
    return dossier_id


def files_of(client: httpx.Client, dossier_id: str, code: str) -> list[dict]:
    [document] = [d for d in detail(client, dossier_id)["documents"] if d["code"] == code]
    files: list[dict] = document["files"]
    return files


def staff_files_of(staff: httpx.Client, dossier_id: str, code: str) -> list[dict]:
    answer = ok(staff.get(f"/v1/staff/dossiers/{dossier_id}"))
    [document] = [d for d in answer["documents"] if d["code"] == code]
    files: list[dict] = document["files"]
    return files


def test_sending_needs_every_required_document_and_staff_get_the_same_bytes(
        citizen: httpx.Client, staff: httpx.Client) -> None:
    dossier_id = a_draft(citizen)
    required = required_documents(citizen, PROCEDURE)
    refused = citizen.post(f"/v1/dossiers/{dossier_id}/submit")
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "dossier_incomplete")
    fields = refused.json()["error"]["fields"]
    assert {f"documents.{document['code']}" for document in required} <= set(fields)
    assert all(fields[f"documents.{document['code']}"].startswith("Vui lòng đính kèm") for document in required)

    scan = sample_pdf("Ban sao van bang") + b"%" + b"x" * (2 * MB) + b"\n%%EOF\n"  # a 2 MB scan
    first = required[0]["code"]
    stored = attach(citizen, dossier_id, first, scan, filename="Bản sao văn bằng chuyên môn.pdf")
    assert (stored["size"], stored["sha256"]) == (len(scan), hashlib.sha256(scan).hexdigest())
    assert stored["filename"] == "Bản sao văn bằng chuyên môn.pdf" and stored["content_type"] == "application/pdf"
    photo = attach(citizen, dossier_id, first, sample_jpeg(), filename="anh.jpg", content_type="image/jpeg")
    assert photo["content_type"] == "image/jpeg"
    assert [f["id"] for f in files_of(citizen, dossier_id, first)] == [stored["id"], photo["id"]]
    for document in required[1:]:
        attach(citizen, dossier_id, document["code"])
    listed = ok(citizen.get("/v1/dossiers", params={"status": "draft"}))["items"]
    assert [item["attached_files"] for item in listed if item["id"] == dossier_id] == [len(required) + 1]

    # Staff see nothing of a draft; once sent they download exactly what the citizen sent.
    assert staff.get(f"/v1/staff/dossiers/{dossier_id}/documents/{first}/{stored['id']}").status_code == 404
    ok(citizen.post(f"/v1/dossiers/{dossier_id}/submit"))
    downloaded = staff.get(f"/v1/staff/dossiers/{dossier_id}/documents/{first}/{stored['id']}")
    assert downloaded.status_code == 200 and downloaded.content == scan
    assert downloaded.headers["content-type"] == "application/pdf"
    assert downloaded.headers["x-content-type-options"] == "nosniff"
    assert downloaded.headers["content-disposition"].startswith("attachment;")
    assert "filename*=UTF-8''B%E1%BA%A3n%20sao" in downloaded.headers["content-disposition"]
    own = citizen.get(f"/v1/dossiers/{dossier_id}/documents/{first}/{photo['id']}")
    assert own.status_code == 200 and own.content == sample_jpeg()

    # Sent files are frozen: nothing can be added or removed now.
    assert citizen.delete(f"/v1/dossiers/{dossier_id}/documents/{first}/{stored['id']}").status_code == 409
    late = citizen.post(f"/v1/dossiers/{dossier_id}/documents/{first}",
                        files={"file": ("muon.pdf", sample_pdf(), "application/pdf")})
    assert late.status_code == 409 and late.json()["error"]["code"] == "dossier_not_editable"


def test_a_supplement_names_documents_and_the_citizen_adds_files_beside_the_old(
        citizen: httpx.Client, staff: httpx.Client) -> None:
    dossier_id = a_draft(citizen)
    sent = {file["code"]: file for file in attach_required(citizen, dossier_id, PROCEDURE)}
    ok(citizen.post(f"/v1/dossiers/{dossier_id}/submit"))
    ok(staff.post(f"/v1/staff/dossiers/{dossier_id}/accept"))
    asked = [document["code"] for document in required_documents(citizen, PROCEDURE)][1:3]
    ok(staff.post(f"/v1/staff/dossiers/{dossier_id}/request-supplement", json={
        "reason": "Bản sao chưa có chứng thực; ảnh chụp mờ.", "documents": asked}))

    seen = detail(citizen, dossier_id)
    assert seen["status"] == "supplement_requested" and seen["reason"] == "Bản sao chưa có chứng thực; ảnh chụp mờ."
    assert [d["code"] for d in seen["documents"] if d["requested"]] == asked
    refused = citizen.post(f"/v1/dossiers/{dossier_id}/submit")
    assert refused.status_code == 409
    assert {key for key in refused.json()["error"]["fields"] if key.startswith("documents.")} == {
        f"documents.{code}" for code in asked}

    added = {code: attach(citizen, dossier_id, code, sample_png(), filename="bo-sung.png",
                          content_type="image/png") for code in asked}
    ok(citizen.post(f"/v1/dossiers/{dossier_id}/submit"))
    for code in asked:
        assert [f["id"] for f in staff_files_of(staff, dossier_id, code)] == [sent[code]["id"], added[code]["id"]]
        fresh = staff.get(f"/v1/staff/dossiers/{dossier_id}/documents/{code}/{added[code]['id']}")
        assert fresh.content == sample_png()
    resent = detail(citizen, dossier_id)
    assert resent["status"] == "submitted" and not any(d["requested"] for d in resent["documents"])
    assert resent["history"][-1]["documents"] == asked


def test_a_supplement_naming_a_document_the_procedure_lacks_is_refused(
        citizen: httpx.Client, staff: httpx.Client) -> None:
    dossier_id = a_draft(citizen)
    attach_required(citizen, dossier_id, PROCEDURE)
    ok(citizen.post(f"/v1/dossiers/{dossier_id}/submit"))
    before = detail(citizen, dossier_id)["version"]
    refused = staff.post(f"/v1/staff/dossiers/{dossier_id}/request-supplement",
                         json={"reason": "Thiếu giấy tờ", "documents": ["khong-co-trong-thu-tuc"]})
    assert refused.status_code == 422 and "documents" in refused.json()["error"]["fields"]
    assert detail(citizen, dossier_id)["version"] == before


@pytest.mark.parametrize(("content", "filename", "status", "code"), [
    (b"<html><script>alert(1)</script></html>", "giay-phep.pdf", 415, "unsupported_file_type"),
    (b"", "trong.pdf", 422, "empty_file"),
    (sample_pdf()[:-20], "cat-ngang.pdf", 422, "incomplete_file"),
    (b"%PDF-1.4\n" + b"0" * (10 * MB + 1) + b"\n%%EOF\n", "qua-lon.pdf", 413, None),
])
def test_a_bad_upload_is_refused_and_changes_nothing(citizen: httpx.Client, content: bytes, filename: str,
                                                     status: int, code: str | None) -> None:
    dossier_id = a_draft(citizen)
    code_of_document = required_documents(citizen, PROCEDURE)[0]["code"]
    before = detail(citizen, dossier_id)
    answer = citizen.post(f"/v1/dossiers/{dossier_id}/documents/{code_of_document}",
                          files={"file": (filename, content, "application/pdf")})
    assert answer.status_code == status, answer.text
    if code is not None:
        assert answer.json()["error"]["code"] == code and answer.json()["error"]["message"]
    after = detail(citizen, dossier_id)
    assert after["version"] == before["version"] and after["documents"] == before["documents"]


def test_path_tricks_in_a_filename_keep_only_a_plain_name(citizen: httpx.Client) -> None:
    dossier_id = a_draft(citizen)
    code = required_documents(citizen, PROCEDURE)[0]["code"]
    for trick in ("../../etc/passwd.pdf", "C:\\Windows\\system32\\x.pdf"):
        stored = attach(citizen, dossier_id, code, filename=trick)
        assert "/" not in stored["filename"] and "\\" not in stored["filename"] and ".." not in stored["filename"]


def test_another_citizens_dossier_and_its_files_are_not_found(citizen: httpx.Client,
                                                              other_citizen: httpx.Client) -> None:
    dossier_id = a_draft(citizen)
    code = required_documents(citizen, PROCEDURE)[0]["code"]
    mine = attach(citizen, dossier_id, code)
    upload = other_citizen.post(f"/v1/dossiers/{dossier_id}/documents/{code}",
                                files={"file": ("x.pdf", sample_pdf(), "application/pdf")})
    assert upload.status_code == 404
    assert other_citizen.get(f"/v1/dossiers/{dossier_id}/documents/{code}/{mine['id']}").status_code == 404
    assert other_citizen.delete(f"/v1/dossiers/{dossier_id}/documents/{code}/{mine['id']}").status_code == 404
    assert citizen.post(f"/v1/dossiers/{dossier_id}/documents/{code}").status_code == 422  # no file at all
    assert [f["id"] for f in files_of(citizen, dossier_id, code)] == [mine["id"]]


def test_the_citizen_removes_a_file_before_sending(citizen: httpx.Client) -> None:
    dossier_id = a_draft(citizen)
    code = required_documents(citizen, PROCEDURE)[0]["code"]
    wrong = attach(citizen, dossier_id, code, filename="nham.pdf")
    removed = ok(citizen.delete(f"/v1/dossiers/{dossier_id}/documents/{code}/{wrong['id']}"))
    assert removed["status"] == "draft"
    assert files_of(citizen, dossier_id, code) == []
    assert citizen.get(f"/v1/dossiers/{dossier_id}/documents/{code}/{wrong['id']}").status_code == 404
