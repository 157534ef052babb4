"""Component documents (thành phần hồ sơ) in the browser: real files chosen in Chromium's file inputs and sent
through the portal's own forms — on the form page, refused files said under their row, sending with documents
missing, the detail, the whole supplement loop (Bổ sung hồ sơ) between a clerk and a citizen, a phone's width,
and the upload with JavaScript off. Each screen is kept.
"""

from pathlib import Path
from typing import Any

import httpx
import pytest

from services.sample_files import sample_pdf, sample_png
from tests.browser.audit import audit
from tests.browser.portal import Person, api_as, draft, new_email
from tests.support.documents import attach, attach_required

pytestmark = pytest.mark.browser

DESKTOP = 1366
PHONE = 390
PROCEDURE = "SYT-KCB-01"
FORM = {"chuyen_mon": "Bác sĩ đa khoa", "pham_vi": "Khám bệnh, chữa bệnh đa khoa"}
APPLICATION = "Đơn đề nghị cấp mới giấy phép hành nghề"
DIPLOMA = "Bản sao hợp lệ văn bằng chuyên môn phù hợp với chức danh đề nghị cấp"
HEALTH = "Giấy khám sức khỏe do cơ sở khám bệnh, chữa bệnh có thẩm quyền cấp"
PORTRAIT = "02 ảnh chân dung cỡ 04 cm x 06 cm"
REFUSED_TYPE = (f"Tệp “trang-web.pdf” không được nhận: Tệp đính kèm cho “{APPLICATION}” không đúng định dạng "
                "cho phép: chỉ nhận tệp PDF, JPEG hoặc PNG.")


@pytest.fixture()
def files(tmp_path: Path) -> dict[str, Path]:
    """Files as a citizen has them on disk: a scanned form (PDF), a photo (PNG), and a web page named .pdf."""
    made = {"pdf": ("don-de-nghi.pdf", sample_pdf("Don de nghi cap giay phep hanh nghe")),
            "png": ("anh-chan-dung.png", sample_png(40, 60)),
            "diploma": ("van-bang.pdf", sample_pdf("Ban sao van bang chuyen mon")),
            "health": ("giay-kham-suc-khoe.pdf", sample_pdf("Giay kham suc khoe")),
            "html": ("trang-web.pdf", b"<!doctype html><html><body><p>Not a PDF</p></body></html>\n")}
    for name, content in made.values():
        (tmp_path / name).write_bytes(content)
    return {key: tmp_path / name for key, (name, _) in made.items()}


def fill_in(page: Any, title: str) -> None:
    """What a draft needs to be saved: its title and the applicant's particulars."""
    page.get_by_label("Tên hồ sơ").fill(title)
    page.get_by_label("Số định danh cá nhân").fill("079185001234")
    page.get_by_label("Số điện thoại").fill("0987654321")
    page.get_by_label("Địa chỉ").fill("12 Lê Lợi, Quận 1, TP. Hồ Chí Minh")


def test_files_are_attached_to_each_document_from_the_form_page(person: Any, files: dict[str, Path]) -> None:
    citizen: Person = person(width=DESKTOP)
    citizen.sign_in("Phạm Thị Hoa", new_email())
    page = citizen.page
    page.goto(f"/ho-so/moi?thu-tuc={PROCEDURE}")
    # Before the first save there is no dossier to attach to: the documents are listed, with their blank
    # forms, and the page says that the upload comes once the draft is saved.
    documents = page.locator("#thanh-phan-ho-so")
    assert "Hồ sơ cần được lưu trước khi đính kèm tệp" in documents.inner_text()
    assert documents.locator("input[type=file]").count() == 0
    assert citizen.document(APPLICATION).get_by_role("heading").inner_text() == f"{APPLICATION} (bắt buộc)"
    assert citizen.document("Giấy tờ chứng minh biết tiếng Việt").get_by_text("(bắt buộc)").count() == 0
    with page.expect_download() as downloading:
        citizen.document(APPLICATION).get_by_role("link", name="Tải mẫu").click()
    assert downloading.value.suggested_filename.endswith(".docx")
    assert audit(page) == [], "the new dossier's form"
    fill_in(page, "Giấy phép hành nghề bác sĩ Phạm Thị Hoa")
    citizen.shot("40-tao-ho-so-thanh-phan")
    citizen.press("Lưu nháp")

    # Saved, the draft opens on its form page at its documents, each with an upload control of its own.
    page.wait_for_url("**/sua#thanh-phan-ho-so")
    assert citizen.notice().startswith("Đã lưu nháp hồ sơ.")
    row = citizen.attach(APPLICATION, files["pdf"], files["png"])
    assert row.locator(".notice").inner_text() == "Đã đính kèm 2 tệp cho thành phần này."
    assert citizen.file_names(APPLICATION) == ["don-de-nghi.pdf", "anh-chan-dung.png"]
    assert "1 KB" in row.locator(".file").first.inner_text()
    assert citizen.attach(PORTRAIT, files["png"]).locator(".file__name").inner_text() == "anh-chan-dung.png"

    # The file comes back as it was sent.
    with page.expect_download() as downloading:
        row.get_by_role("link", name="don-de-nghi.pdf").click()
    assert Path(downloading.value.path()).read_bytes() == files["pdf"].read_bytes()
    citizen.shot("41-sua-ho-so-thanh-phan")

    # Not sent yet, a file can be removed.
    with page.expect_navigation():
        row.locator(".file").filter(has_text="anh-chan-dung.png").get_by_role("button", name="Gỡ").click()
    assert citizen.document(APPLICATION).locator(".notice").inner_text() == "Đã gỡ tệp khỏi thành phần này."
    assert citizen.file_names(APPLICATION) == ["don-de-nghi.pdf"]

    # A web page named .pdf is judged by its bytes, and the refusal is said under its row, in Vietnamese.
    refused = citizen.attach(APPLICATION, files["html"])
    assert refused.locator(".field-error").inner_text().removeprefix("Lỗi:").strip() == REFUSED_TYPE
    assert f"Thành phần hồ sơ: {REFUSED_TYPE}" in citizen.errors()
    assert refused.get_by_label("Chọn tệp").get_attribute("aria-invalid") == "true"
    assert citizen.file_names(APPLICATION) == ["don-de-nghi.pdf"]
    assert audit(page) == [], "the form page with a refused file"
    citizen.shot("42-tep-sai-dinh-dang")

    # Pressing "Tải lên" with nothing chosen says so on the row.
    with page.expect_navigation():
        citizen.document(PORTRAIT).get_by_role("button", name="Tải lên").click()
    assert "Vui lòng chọn ít nhất một tệp" in citizen.document(PORTRAIT).locator(".field-error").inner_text()


def test_sending_without_the_required_documents_names_each_one(person: Any, portal_url: str,
                                                               files: dict[str, Path]) -> None:
    email = new_email()
    with api_as(portal_url, email) as api:
        dossier_id = draft(api, PROCEDURE, "Giấy phép hành nghề bác sĩ Lý Văn Minh", FORM)
        attach(api, dossier_id, "don-de-nghi")
    citizen: Person = person(width=DESKTOP)
    citizen.sign_in("Lý Văn Minh", email)
    page = citizen.page

    # From the form page: its send button saves the form and sends; what is missing is said on each row.
    page.goto(f"/ho-so/{dossier_id}/sua")
    citizen.press("Gửi hồ sơ")
    summary = citizen.errors()
    assert "Hồ sơ chưa đủ thành phần" in summary
    for name in (DIPLOMA, HEALTH, PORTRAIT):
        assert f"Thành phần hồ sơ: Vui lòng đính kèm {name}." in summary
        assert citizen.document(name).locator(".field-error").inner_text().endswith(f"Vui lòng đính kèm {name}.")
    assert citizen.document(APPLICATION).locator(".field-error").count() == 0
    # The summary's links lead to the rows.
    page.get_by_role("link", name=f"Thành phần hồ sơ: Vui lòng đính kèm {PORTRAIT}.").click()
    assert page.url.endswith("#f-documents-anh-chan-dung")
    citizen.shot("43-gui-thieu-thanh-phan")

    # From the detail: the same, beside each document of its "Thành phần hồ sơ".
    page.goto(f"/ho-so/{dossier_id}")
    citizen.press("Gửi hồ sơ")
    assert citizen.status() == "Chưa gửi"
    assert citizen.document(HEALTH).locator(".field-error").inner_text().endswith(f"Vui lòng đính kèm {HEALTH}.")
    assert citizen.document(APPLICATION).locator(".document__empty").count() == 0
    assert citizen.document(DIPLOMA).locator(".document__empty").inner_text() == "Chưa đính kèm"


def test_the_detail_lists_each_document_with_its_files(person: Any, portal_url: str) -> None:
    email = new_email()
    with api_as(portal_url, email) as api:
        dossier_id = draft(api, PROCEDURE, "Giấy phép hành nghề bác sĩ Hồ Thị Lan", FORM)
        attach_required(api, dossier_id, PROCEDURE)
        assert api.post(f"/v1/dossiers/{dossier_id}/submit").status_code == 200
    citizen: Person = person(width=DESKTOP)
    citizen.sign_in("Hồ Thị Lan", email)
    page = citizen.page
    page.goto(f"/ho-so/{dossier_id}")
    section = page.locator("#thanh-phan-ho-so")
    assert section.get_by_role("heading", level=2).inner_text() == "Thành phần hồ sơ"
    assert citizen.file_names(APPLICATION) == ["don-de-nghi.pdf"]
    assert citizen.document("Giấy tờ chứng minh biết tiếng Việt").locator(".document__empty").inner_text() == (
        "Chưa đính kèm")
    # Sent, the files are the Department's to examine: no removal, no upload.
    assert section.get_by_role("button").count() == 0 and section.locator("input").count() == 0
    with page.expect_download() as downloading:
        citizen.document(PORTRAIT).get_by_role("link", name="anh-chan-dung.pdf").click()
    assert Path(downloading.value.path()).read_bytes() == sample_pdf("anh-chan-dung")
    assert audit(page) == [], "the detail with its documents"
    citizen.shot("44-chi-tiet-thanh-phan")


def test_a_supplement_asks_for_documents_and_brings_new_files(person: Any, portal_url: str,
                                                              files: dict[str, Path]) -> None:
    """The loop: a clerk asks for two documents, the citizen adds files to them on "Bổ sung hồ sơ" and sends
    again, and the clerk sees the old files and the new ones."""
    email = new_email()
    with api_as(portal_url, email) as api, api_as(portal_url, new_email("can-bo"), "staff") as staff:
        dossier_id = draft(api, PROCEDURE, "Giấy phép hành nghề bác sĩ Vũ Đức Thắng", FORM)
        attach_required(api, dossier_id, PROCEDURE)
        assert api.post(f"/v1/dossiers/{dossier_id}/submit").status_code == 200
        assert staff.post(f"/v1/staff/dossiers/{dossier_id}/accept").status_code == 200

        clerk: Person = person(width=DESKTOP)
        clerk.sign_in("Lê Văn Cường", new_email("can-bo"), role="staff")
        page = clerk.page
        page.goto(f"/can-bo/ho-so/{dossier_id}")
        # The files sent, each downloadable by staff.
        with page.expect_download() as downloading:
            clerk.document(DIPLOMA).get_by_role("link", name="van-bang-chuyen-mon.pdf").click()
        assert Path(downloading.value.path()).read_bytes() == sample_pdf("van-bang-chuyen-mon")
        form = page.locator("form.staff-action").filter(has=page.get_by_role("heading", name="Yêu cầu bổ sung"))
        for name in (DIPLOMA, HEALTH):
            form.locator(".document-pick").filter(has_text=name).get_by_label(
                "Yêu cầu bổ sung thành phần này").check()
        form.get_by_label("Lý do").fill("Văn bằng chưa có chứng thực; giấy khám sức khỏe đã quá hạn.")
        assert audit(page) == [], "the staff page with its check boxes"
        clerk.shot("45-can-bo-yeu-cau-bo-sung")
        form.get_by_role("button", name="Yêu cầu bổ sung").click()
        assert clerk.notice() == "Đã gửi yêu cầu bổ sung hồ sơ cho người dân."
        # Whether the request's documents reach the read model is processing's part (see the end).
        carried = [entry["code"] for entry in _detail(api, dossier_id)["documents"] if entry["requested"]]

    citizen: Person = person(width=DESKTOP)
    citizen.sign_in("Vũ Đức Thắng", email)
    page = citizen.page
    page.goto(f"/ho-so/{dossier_id}")
    assert citizen.status() == "Yêu cầu bổ sung"
    marked_on_detail = page.locator("#thanh-phan-ho-so .document--requested .document__name").all_inner_texts()
    page.get_by_role("link", name="Bổ sung hồ sơ", exact=True).click()
    assert page.url.endswith(f"/ho-so/{dossier_id}/bo-sung")
    assert page.get_by_role("heading", level=1).inner_text() == "Bổ sung hồ sơ"
    assert "giấy khám sức khỏe đã quá hạn" in page.locator(".callout").inner_text()
    asked_first = page.locator("#thanh-phan-ho-so > .documents .document__name").all_inner_texts()
    citizen.attach(DIPLOMA, files["diploma"])
    citizen.attach(HEALTH, files["health"])
    # The files sent before stay (frozen: no removal); the new ones are marked as not sent yet.
    diploma = citizen.document(DIPLOMA)
    assert citizen.file_names(DIPLOMA) == ["van-bang-chuyen-mon.pdf", "van-bang.pdf"]
    assert diploma.locator(".file").first.get_by_role("button", name="Gỡ").count() == 0
    assert "mới, chưa gửi" in diploma.locator(".file").last.inner_text()
    assert diploma.locator(".file").last.get_by_role("button", name="Gỡ").count() == 1
    assert audit(page) == [], "the supplement page"
    citizen.shot("46-bo-sung-ho-so")
    citizen.press("Gửi bổ sung")
    assert citizen.notice() == "Đã gửi bổ sung hồ sơ tới Bộ phận tiếp nhận và trả kết quả."
    assert citizen.status() == "Đã gửi"
    # The history says which documents the supplement brought new files to, by their names.
    supplemented = page.locator(".timeline__documents").first
    assert supplemented.locator("p").inner_text() == "Thành phần đã bổ sung:"
    assert supplemented.locator("li").all_inner_texts() == [DIPLOMA, HEALTH]
    citizen.shot("47-chi-tiet-da-bo-sung")

    clerk.page.goto(f"/can-bo/ho-so/{dossier_id}")
    assert clerk.file_names(DIPLOMA) == ["van-bang-chuyen-mon.pdf", "van-bang.pdf"]
    assert clerk.file_names(HEALTH) == ["giay-kham-suc-khoe.pdf", "giay-kham-suc-khoe.pdf"]
    # What came with the supplement is told from what came before.
    for name in (DIPLOMA, HEALTH):
        sent = clerk.document(name).locator(".file")
        assert "nộp bổ sung" in sent.last.inner_text() and "nộp bổ sung" not in sent.first.inner_text()
    with clerk.page.expect_download() as downloading:
        clerk.document(DIPLOMA).get_by_role("link", name="van-bang.pdf").click()
    assert Path(downloading.value.path()).read_bytes() == files["diploma"].read_bytes()
    clerk.shot("48-can-bo-tep-cu-va-moi")

    assert carried == ["van-bang-chuyen-mon", "giay-kham-suc-khoe"]
    assert marked_on_detail == [f"{DIPLOMA} (bắt buộc)", f"{HEALTH} (bắt buộc)"]
    assert asked_first == marked_on_detail
    asked = clerk.page.locator(".timeline__documents").nth(1)
    assert asked.locator("p").inner_text() == "Thành phần cần bổ sung:"
    assert asked.locator("li").all_inner_texts() == [DIPLOMA, HEALTH]


def test_on_a_phone_the_document_rows_stack(person: Any, portal_url: str, files: dict[str, Path]) -> None:
    email = new_email()
    with api_as(portal_url, email) as api, api_as(portal_url, new_email("can-bo"), "staff") as staff:
        editing = draft(api, PROCEDURE, "Giấy phép hành nghề bác sĩ Trần Minh Khoa", FORM)
        attach(api, editing, "don-de-nghi", filename="don-de-nghi-da-ky-ten-va-dong-dau-ban-chinh.pdf")
        supplement = draft(api, PROCEDURE, "Giấy phép hành nghề bác sĩ Trần Minh Khoa (lần 2)", FORM)
        attach_required(api, supplement, PROCEDURE)
        assert api.post(f"/v1/dossiers/{supplement}/submit").status_code == 200
        assert staff.post(f"/v1/staff/dossiers/{supplement}/request-supplement", json={
            "reason": "Ảnh chân dung không rõ mặt.", "documents": ["anh-chan-dung"]}).status_code == 200
    phone: Person = person(width=PHONE, height=844)
    phone.sign_in("Trần Minh Khoa", email)
    page = phone.page

    def fits(screenshot: str) -> None:
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE, page.url
        phone.shot(screenshot)

    page.goto(f"/ho-so/moi?thu-tuc={PROCEDURE}")
    fits("50-dien-thoai-tao-ho-so-thanh-phan")
    page.goto(f"/ho-so/{editing}/sua")
    row = phone.attach(PORTRAIT, files["png"])
    # On a phone the upload form comes below what the row says, as wide as the screen allows.
    about, upload = row.locator(".document__about").bounding_box(), row.locator("form.upload").bounding_box()
    assert upload["y"] >= about["y"] + about["height"] and upload["width"] > 300
    fits("51-dien-thoai-sua-ho-so-thanh-phan")
    page.goto(f"/ho-so/{supplement}")
    fits("52-dien-thoai-chi-tiet-thanh-phan")
    page.goto(f"/ho-so/{supplement}/bo-sung")
    phone.attach(PORTRAIT, files["png"])
    fits("53-dien-thoai-bo-sung-ho-so")

    clerk: Person = person(width=PHONE, height=844)
    clerk.sign_in("Lê Văn Cường", new_email("can-bo"), role="staff")
    with api_as(portal_url, email) as api:
        assert api.post(f"/v1/dossiers/{supplement}/submit").status_code == 200
    clerk.page.goto(f"/can-bo/ho-so/{supplement}")
    assert clerk.page.evaluate("document.documentElement.scrollWidth") <= PHONE
    clerk.shot("54-dien-thoai-can-bo-thanh-phan")


def test_without_javascript_files_are_attached_and_removed(person: Any, files: dict[str, Path]) -> None:
    citizen: Person = person(width=DESKTOP, scripts=False)
    citizen.sign_in("Đỗ Thị Mai", new_email())
    page = citizen.page
    page.goto(f"/ho-so/moi?thu-tuc={PROCEDURE}")
    fill_in(page, "Giấy phép hành nghề bác sĩ Đỗ Thị Mai")
    citizen.press("Lưu nháp")
    assert citizen.notice().startswith("Đã lưu nháp hồ sơ.")

    row = citizen.attach(APPLICATION, files["pdf"], files["png"])
    assert row.locator(".notice").inner_text() == "Đã đính kèm 2 tệp cho thành phần này."
    assert citizen.file_names(APPLICATION) == ["don-de-nghi.pdf", "anh-chan-dung.png"]
    with page.expect_navigation():
        row.locator(".file").filter(has_text="don-de-nghi.pdf").get_by_role("button", name="Gỡ").click()
    assert citizen.file_names(APPLICATION) == ["anh-chan-dung.png"]
    refused = citizen.attach(APPLICATION, files["html"])
    assert REFUSED_TYPE in refused.locator(".field-error").inner_text()
    citizen.shot("55-dinh-kem-khong-script")


def _detail(api: httpx.Client, dossier_id: str) -> dict[str, Any]:
    answer = api.get(f"/v1/dossiers/{dossier_id}")
    assert answer.status_code == 200, answer.text
    detail: dict[str, Any] = answer.json()
    return detail
