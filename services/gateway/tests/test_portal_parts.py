"""The portal's pure parts: how it writes money and dates, reads its search, types a form, names the
actions open to staff, says the API's refusals and shows a dossier's documents; and its sign-in page where
development tokens are off.
"""

from datetime import UTC, datetime

import httpx
import pytest

from services.gateway.adapters.backends import Backends
from services.gateway.bootstrap import create_app
from services.gateway.portal.adapters.public_api import ApiError
from services.gateway.portal.api.staff import action_body
from services.gateway.portal.documents import document_rows, requested_first, required_progress
from services.gateway.portal.formatting import day, iso_day, moment, money, size
from services.gateway.portal.forms import DossierForm
from services.gateway.portal.problems import explain
from services.gateway.portal.search import Search
from services.gateway.portal.staff_actions import open_actions
from services.gateway.settings import GatewaySettings

STATUSES = {"draft", "submitted", "received"}
PROCEDURE = {"code": "P", "form_fields": [{"name": "so_giuong", "label": "Số giường", "type": "number"},
                                          {"name": "ten", "label": "Tên cơ sở", "type": "text"}]}


def test_money_and_days_are_written_as_in_vietnam() -> None:
    assert (money(360_000), money(4_300_000), money(0)) == ("360.000 đồng", "4.300.000 đồng", "0 đồng")
    # 17:30 UTC is already the next day in Hà Nội (UTC+7).
    assert day("2026-11-26T17:30:00Z") == "27/11/2026" and day("2026-12-24") == "24/12/2026"
    assert moment(datetime(2026, 11, 26, 3, 5, tzinfo=UTC)) == "26/11/2026 10:05"
    assert (iso_day("5/1/2026"), iso_day("2026-01-05"), iso_day("30/02/2026"), iso_day("hôm qua")) == (
        "2026-01-05", "2026-01-05", None, None)
    assert (size(2_000), size(1_572_864), size(11 * 1024 * 1024)) == ("2 KB", "1,5 MB", "11 MB")


def test_the_search_fits_the_status_and_keeps_its_address() -> None:
    query = {"trang-thai": "draft", "tu-khoa": " giay phep ", "ma-ho-so": "000.00", "trang": "2"}
    search = Search.of(query, STATUSES)
    params, problem = search.api_params()
    assert problem is None and search.day_label == "Ngày tạo"
    assert (params["status"], params["q"], params["code"], params["page"]) == ("draft", "giay phep", None, 2)
    assert search.link(page=3) == "/?trang-thai=draft&tu-khoa=giay+phep&ma-ho-so=000.00&trang=3"
    assert search.cleared() == "/?trang-thai=draft"
    assert Search.of({"trang-thai": "khong-co", "trang": "-1"}, STATUSES) == Search()

    _, problem = Search.of({"tu-ngay": "31/02/2026"}, STATUSES).api_params()
    assert problem is not None and problem.listed() == [
        ("from", "Ngày nộp từ", "Ngày không hợp lệ; vui lòng nhập theo dạng ngày/tháng/năm.")]


def test_a_procedures_form_is_sent_with_its_types_and_without_empty_fields() -> None:
    posted = {"title": " Hồ sơ ", "applicant.full_name": "An", "form.so_giuong": "12", "form.ten": "",
              "form.la": "không thuộc biểu mẫu"}
    body = DossierForm.posted(PROCEDURE, posted).body()
    assert body["title"] == "Hồ sơ" and body["form"] == {"so_giuong": 12}
    assert body["applicant"] == {"full_name": "An"}  # what is left empty is left out: a draft goes as far as it is
    assert DossierForm.posted(PROCEDURE, {"title": "  "}).body()["title"] is None
    assert DossierForm.posted(PROCEDURE, {"form.so_giuong": "mười"}).body()["form"] == {"so_giuong": "mười"}


@pytest.mark.parametrize(("status", "actions"), [
    ("submitted", ["accept", "request-supplement", "reject"]),
    ("received", ["request-supplement", "start-processing", "request-payment"]),
    ("processing", ["request-supplement", "request-payment", "issue-result"]),
    ("payment_requested", ["confirm-payment"]),
    ("paid", ["start-processing", "issue-result"]),
    ("result_ready", ["mark-returned"]),
    ("draft", []), ("result_returned", []), ("rejected", []),
])
def test_staff_are_offered_what_the_status_catalog_allows(status: str, actions: list[str]) -> None:
    assert [action.name for action in open_actions(status)] == actions


def test_refusals_are_said_in_the_pages_words() -> None:
    refused = explain(ApiError(409, "transition_not_allowed", "Không thể chuyển hồ sơ từ 'received' sang 'draft'."),
                      status_label="Đã tiếp nhận")
    assert refused.message == ("Thao tác này không còn thực hiện được (hồ sơ đang ở trạng thái “Đã tiếp nhận”). "
                               "Vui lòng xem lại thông tin hồ sơ.")
    invalid = explain(ApiError(422, "validation_error", "Dữ liệu không hợp lệ.",
                               {"form.so_giuong": "Giá trị phải là số.", "applicant.phone": "Sai định dạng."}),
                      form_labels={"so_giuong": "Số giường"})
    assert invalid.listed() == [("form.so_giuong", "Số giường", "Giá trị phải là số."),
                                ("applicant.phone", "Số điện thoại", "Sai định dạng.")]
    # The API's messages name their field already: the summary does not say it twice, and says it as the page does.
    named = explain(ApiError(422, "validation_error", "Dữ liệu không hợp lệ.", {
        "applicant.phone": "Số điện thoại: tối đa 15 ký tự.", "reason": "Lý do: không được để trống.",
        "form.so_giuong": "Số giường: phải là số."}), form_labels={"so_giuong": "Số giường"},
        field_labels={"reason": "Lý do từ chối"})
    assert named.summary() == [("applicant.phone", "Số điện thoại: tối đa 15 ký tự."),
                               ("reason", "Lý do từ chối: không được để trống."),
                               ("form.so_giuong", "Số giường: phải là số.")]
    # An additional fee's item, as the API names it, goes under the staff page's own field for it.
    fee = explain(ApiError(422, "validation_error", "Dữ liệu không hợp lệ.", {
        "items.0.amount_vnd": "Số tiền (mục 1): tối thiểu 1."})).renamed({"items.0.amount_vnd": "fee_amount"})
    assert fee.summary() == [("fee_amount", "Số tiền (đồng): tối thiểu 1.")]
    assert explain(ApiError(409, "dossier_already_received", "Hồ sơ đã được tiếp nhận.")).message == (
        "Hồ sơ đã được tiếp nhận.")


def _file(file_id: str, at: str) -> dict[str, object]:
    return {"id": file_id, "filename": f"{file_id}.pdf", "content_type": "application/pdf", "size": 600,
            "sha256": "0" * 64, "uploaded_at": at}


def test_a_dossiers_documents_say_which_files_went_out_and_which_came_with_the_supplement() -> None:
    procedure = {"documents": [
        {"code": "don", "name": "Đơn đề nghị", "required": True, "note": "Bản chính",
         "template_url": "/v1/procedures/P/templates/don"},
        {"code": "anh", "name": "Ảnh chân dung", "required": True, "note": None, "template_url": None},
        {"code": "khac", "name": "Giấy tờ khác", "required": False, "note": None, "template_url": None}]}
    # Sent at 10:00, sent back for a supplement asking for the photo, sent again at 11:00, and sent back again.
    dossier = {"history": [{"at": "2026-12-01T09:00:00Z", "to": "draft"},
                           {"at": "2026-12-01T10:00:00Z", "to": "submitted"},
                           {"at": "2026-12-01T10:30:00Z", "to": "supplement_requested"},
                           {"at": "2026-12-01T11:00:00.000Z", "to": "submitted"},
                           {"at": "2026-12-01T11:30:00Z", "to": "supplement_requested"}],
               "documents": [
                   {"code": "don", "name": "Đơn đề nghị", "required": True, "requested": False,
                    "files": [_file("a", "2026-12-01T09:10:00Z")]},
                   {"code": "anh", "name": "Ảnh chân dung", "required": True, "requested": True,
                    "files": [_file("b", "2026-12-01T09:20:00Z"), _file("c", "2026-12-01T10:40:00Z"),
                              _file("d", "2026-12-01T11:40:00Z")]},
                   {"code": "khac", "name": "Giấy tờ khác", "required": False, "requested": False, "files": []}]}
    rows = document_rows(procedure, dossier)
    photo = rows[1]
    assert [(file.id, file.sent, file.supplemented) for file in photo.files] == [
        ("b", True, False), ("c", True, True), ("d", False, False)]
    assert (rows[0].note, rows[0].template_url, photo.anchor, photo.field) == (
        "Bản chính", "/v1/procedures/P/templates/don", "f-documents-anh", "documents.anh")
    asked, others = requested_first(rows)
    assert [row.code for row in asked] == ["anh"] and [row.code for row in others] == ["don", "khac"]
    assert required_progress(rows) == (2, 2)
    # A new dossier: the catalog's documents, nothing attached.
    new = document_rows(procedure)
    assert [row.code for row in new] == ["don", "anh", "khac"] and required_progress(new) == (0, 2)
    assert all(not row.files and not row.requested for row in new)


def test_a_sending_refused_for_documents_names_them_and_staff_tick_what_a_supplement_asks_for() -> None:
    refused = explain(ApiError(422, "validation_error", "Dữ liệu hồ sơ không hợp lệ.",
                               {"documents.anh": "Vui lòng đính kèm Ảnh chân dung."}))
    assert refused.message.startswith("Hồ sơ chưa đủ thành phần")
    assert refused.listed() == [("documents.anh", "Thành phần hồ sơ", "Vui lòng đính kèm Ảnh chân dung.")]
    assert explain(ApiError(404, "document_file_not_found", "Không tìm thấy tệp đính kèm này trong “Đơn”.")
                   ).message == "Không tìm thấy tệp đính kèm này trong “Đơn”."

    class Ticked(dict[str, str]):
        def getlist(self, name: str) -> list[str]:
            return ["anh", "don"] if name == "documents" else []

    assert action_body(Ticked(reason=" Ảnh mờ "), ("reason", "documents")) == {"reason": "Ảnh mờ",
                                                                         "documents": ["anh", "don"]}
    assert action_body(Ticked(reason="Ảnh mờ"), ("reason",)) == {"reason": "Ảnh mờ"}


async def test_without_development_tokens_there_is_no_sign_in_form() -> None:
    app = create_app(GatewaySettings(dev_tokens=False), Backends.over_network(
        {name: "http://127.0.0.1:9" for name in ("intake", "processing", "query", "payment", "notify", "slips")}))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://portal") as browser:
        page = await browser.get("/dang-nhap")
        assert page.status_code == 200 and "Trang đăng nhập thử không mở" in page.text
        assert 'name="email"' not in page.text
        assert (await browser.get("/static/portal.css")).status_code == 200


def test_another_page_is_reached_by_its_cursor() -> None:
    search = Search(status="submitted", keyword="giay phep")
    assert search.paged(2, "abc_-1") == "/?trang-thai=submitted&tu-khoa=giay+phep&trang=2&vi-tri=abc_-1"
    assert Search.of({"vi-tri": "abc_-1", "trang": "2"}, {"submitted"}).api_params()[0]["cursor"] == "abc_-1"
    assert Search().api_params()[0]["cursor"] is None
