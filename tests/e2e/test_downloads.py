"""Files through `/v1`, against `make run` and `make run-services`: every download is an attachment of the
type its bytes were judged to be, never sniffed and never cached; an upload declared `text/html` is never
served as a page, and an empty file is refused with a message saying so."""

from typing import Any

import httpx
import pytest

from services.sample_files import sample_pdf, sample_png
from tests.e2e.client import detail, new_draft, ok, submitted_dossier
from tests.e2e.conftest import Product
from tests.support.documents import attach, attach_required
from tests.support.figures import report_figure

pytestmark = pytest.mark.e2e

HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


def download_headers_of(answer: httpx.Response) -> dict[str, Any]:
    assert answer.status_code == 200, answer.text
    return {"type": answer.headers.get("content-type"), "nosniff": answer.headers.get("x-content-type-options"),
            "cache": answer.headers.get("cache-control"),
            "attachment": answer.headers.get("content-disposition", "").startswith("attachment")}


def safe(content_type: str) -> dict[str, Any]:
    return {"type": content_type, "nosniff": "nosniff", "cache": "private, no-store", "attachment": True}


def test_every_download_is_a_private_attachment_of_its_judged_type(
        product: Product, citizen: httpx.Client, staff: httpx.Client) -> None:
    dossier = ok(citizen.post("/v1/dossiers", json=new_draft()), 201)["id"]
    # The sender's word says a page; the bytes say a PNG image, and the bytes are what is kept and served.
    [first, *_] = attach_required(citizen, dossier, "SYT-KCB-01")
    posing = attach(citizen, dossier, first["code"], sample_png(), filename="anh.html", content_type="text/html")
    assert posing["content_type"] == "image/png"
    own = citizen.get(f"/v1/dossiers/{dossier}/documents/{first['code']}/{posing['id']}")
    ok(citizen.post(f"/v1/dossiers/{dossier}/submit"))
    sent = staff.get(f"/v1/staff/dossiers/{dossier}/documents/{first['code']}/{first['id']}")
    for action in ("accept", "start-processing"):
        ok(staff.post(f"/v1/staff/dossiers/{dossier}/{action}"))
    # A result document a clerk declares as a page: served as the PDF its bytes are.
    ok(staff.post(f"/v1/staff/dossiers/{dossier}/issue-result", data={"summary": "Cấp giấy phép số 78/GP."},
                  files={"document": ("ket-qua.html", sample_pdf("giay phep"), "text/html")}))
    ok(citizen.put(f"/v1/dossiers/{dossier}/result-delivery", json={"method": "online"}))
    result = citizen.get(f"/v1/dossiers/{dossier}/result")
    seen = {"own file": download_headers_of(own), "staff download": download_headers_of(sent),
            "result": download_headers_of(result)}
    expected = {"own file": safe("image/png"), "staff download": safe("application/pdf"),
                "result": safe("application/pdf")}
    report_figure(f"downloads through /v1 ({product.mode})", "3 downloads, 2 declared text/html", str(seen),
                  held=seen == expected)
    assert seen == expected
    assert own.content == sample_png() and result.content == sample_pdf("giay phep")


def test_a_page_or_an_empty_file_is_refused_and_changes_nothing(citizen: httpx.Client, staff: httpx.Client) -> None:
    draft = ok(citizen.post("/v1/dossiers", json=new_draft()), 201)["id"]
    code = attach_required(citizen, draft, "SYT-KCB-01")[0]["code"]
    before = detail(citizen, draft)
    for content, content_type in ((b"", "application/pdf"), (HTML, "text/html")):
        refused = citizen.post(f"/v1/dossiers/{draft}/documents/{code}",
                               files={"file": ("tep.pdf", content, content_type)})
        assert refused.status_code in (415, 422), refused.text
    empty = citizen.post(f"/v1/dossiers/{draft}/documents/{code}", files={"file": ("rong.pdf", b"", "application/pdf")})
    assert (empty.status_code, empty.json()["error"]["code"]) == (422, "empty_file")
    assert "không có nội dung" in empty.json()["error"]["message"]
    assert detail(citizen, draft) == before

    dossier = submitted_dossier(citizen)
    for action in ("accept", "start-processing"):
        ok(staff.post(f"/v1/staff/dossiers/{dossier}/{action}"))
    processing = ok(staff.get(f"/v1/staff/dossiers/{dossier}"))
    page = staff.post(f"/v1/staff/dossiers/{dossier}/issue-result", data={"summary": "Kết quả"},
                      files={"document": ("ket-qua.html", HTML, "text/html")})
    assert page.status_code == 415 and page.json()["error"]["code"] == "unsupported_file_type"
    empty_result = staff.post(f"/v1/staff/dossiers/{dossier}/issue-result", data={"summary": "Kết quả"},
                              files={"document": ("ket-qua.pdf", b"", "application/pdf")})
    assert (empty_result.status_code, empty_result.json()["error"]["code"]) == (422, "empty_file")
    assert empty_result.json()["error"]["message"] == "Tệp kết quả không có nội dung."
    # What the refusals must not change; the receipt's mail and slip arrive on their own meanwhile.
    assert _state(ok(staff.get(f"/v1/staff/dossiers/{dossier}"))) == _state(processing)


def _state(detail: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in detail.items() if name not in ("notifications", "slips")}
