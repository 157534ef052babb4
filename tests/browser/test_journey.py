"""The whole life of a dossier in the browser, as a citizen and a clerk do it on the portal's screens:
sign in, create, attach the required documents, edit, submit, withdraw with confirmation, resubmit,
supplement, staff accept, pay online through the sandbox checkout, receive the result online, and the
public lookup. Each screen is kept.
"""

import re
from pathlib import Path
from typing import Any

import pytest

from services.sample_files import sample_pdf, sample_png
from tests.browser.portal import PDF, Person, new_email

pytestmark = pytest.mark.browser

LOOKUP_CODE = re.compile(r"^[0-9A-Z.]+-\d{6}-\d{4}$")
TITLE = "Cấp giấy phép hành nghề cho bác sĩ Đặng Thị Bích"


def test_a_dossier_from_draft_to_result_in_the_browser(person: Any, tmp_path: Path) -> None:
    citizen: Person = person()
    citizen.sign_in("Đặng Thị Bích", new_email(), screenshot="01-dang-nhap")
    page = citizen.page
    assert page.get_by_role("heading", level=1).inner_text() == "Quản lý hồ sơ"
    citizen.shot("02-quan-ly-ho-so-trong")

    dossier_url = create_an_incomplete_draft(citizen)
    complete_it_and_submit(citizen, tmp_path)
    withdraw_with_confirmation(citizen, dossier_url)
    page.goto(dossier_url)
    citizen.press("Gửi hồ sơ")
    assert citizen.status() == "Đã gửi"

    clerk: Person = person()
    clerk.sign_in("Lê Văn Cường", new_email("can-bo"), role="staff")
    staff_act(clerk, dossier_url, "Tiếp nhận hồ sơ", screenshot="11-can-bo-tiep-nhan")
    lookup_code = clerk.fact("Mã hồ sơ")
    assert LOOKUP_CODE.match(lookup_code)

    supplement(citizen, clerk, dossier_url, lookup_code)
    staff_act(clerk, dossier_url, "Tiếp nhận hồ sơ")
    staff_act(clerk, dossier_url, "Chuyển sang giải quyết")
    staff_act(clerk, dossier_url, "Yêu cầu thanh toán phí, lệ phí")
    pay_online(citizen, dossier_url)

    staff_act(clerk, dossier_url, "Chuyển sang giải quyết")
    issue_the_result(clerk)
    receive_the_result_online(citizen, dossier_url)
    look_it_up(person(), lookup_code)


def create_an_incomplete_draft(citizen: Person) -> str:
    page = citizen.page
    page.get_by_role("link", name="Tạo hồ sơ mới").click()
    page.get_by_label("Cấp mới giấy phép hành nghề khám bệnh, chữa bệnh").check()
    citizen.shot("03-chon-thu-tuc")
    citizen.press("Tiếp tục")
    assert page.get_by_label("Họ và tên").input_value() == "Đặng Thị Bích"  # from the account
    page.get_by_label("Tên hồ sơ").fill("Giấy phép hành nghề (bản nháp)")
    page.get_by_label("Số định danh cá nhân").fill("079185001234")
    page.get_by_label("Số điện thoại").fill("0987654321")
    page.get_by_label("Địa chỉ").fill("8 Nguyễn Huệ, Quận 1, TP. Hồ Chí Minh")
    page.get_by_label("Văn bằng chuyên môn").fill("Bác sĩ đa khoa")
    citizen.shot("04-tao-ho-so")
    citizen.press("Lưu nháp")
    # Saved, the draft opens on its form page, where its documents can now be attached.
    assert citizen.notice().startswith("Đã lưu nháp hồ sơ.")
    page.wait_for_url("**/sua#thanh-phan-ho-so")
    page.get_by_role("link", name="Quay lại chi tiết hồ sơ").click()
    assert citizen.status() == "Chưa gửi" and citizen.fact("Mã hồ sơ").startswith("Chưa cấp")
    citizen.shot("05-chi-tiet-chua-gui")
    dossier_url = re.sub(r"^https?://[^/]+", "", page.url)

    # A draft may be saved incomplete, not sent: the page says which field and which documents are
    # missing, in Vietnamese.
    citizen.press("Gửi hồ sơ")
    assert "Phạm vi hành nghề đề nghị: bắt buộc phải nhập." in citizen.errors()
    assert "Thành phần hồ sơ: Vui lòng đính kèm Đơn đề nghị cấp mới giấy phép hành nghề." in citizen.errors()
    assert citizen.status() == "Chưa gửi"
    citizen.shot("06-loi-khi-gui")
    return dossier_url


def complete_it_and_submit(citizen: Person, folder: Path) -> None:
    page = citizen.page
    page.get_by_role("link", name="Sửa hồ sơ", exact=True).click()
    # Each required document gets a file through its own row's upload form (the page comes back each time,
    # so the content is typed after).
    scan, photo = folder / "ban-scan.pdf", folder / "anh-chan-dung.png"
    scan.write_bytes(sample_pdf("Ban scan"))
    photo.write_bytes(sample_png(40, 60))
    required = [name.removesuffix(" (bắt buộc)") for name in page.locator(".document__name").all_inner_texts()
                if name.endswith("(bắt buộc)")]
    assert len(required) == 6
    for name in required:
        citizen.attach(name, photo if name.startswith("02 ảnh") else scan)
    assert "6/6" in page.locator(".documents-progress").inner_text()
    page.get_by_label("Tên hồ sơ").fill(TITLE)
    page.get_by_label("Phạm vi hành nghề đề nghị").fill("Khám bệnh, chữa bệnh đa khoa")
    citizen.press("Lưu thay đổi")
    assert citizen.notice() == "Đã lưu các thay đổi của hồ sơ."
    assert page.get_by_role("heading", level=1).inner_text() == TITLE
    citizen.press("Gửi hồ sơ")
    assert citizen.notice() == "Đã gửi hồ sơ tới Bộ phận tiếp nhận và trả kết quả."
    assert citizen.status() == "Đã gửi"
    citizen.shot("07-da-gui")


def withdraw_with_confirmation(citizen: Person, dossier_url: str) -> None:
    """Figure 5: the question in a dialog; once confirmed, the dossier is back among the drafts."""
    page = citizen.page
    page.get_by_role("button", name="Rút hồ sơ").click()
    dialog = page.get_by_role("dialog")
    assert dialog.is_visible()
    assert "Bạn có chắc chắn muốn rút lại hồ sơ đã gửi này không?" in dialog.inner_text()
    citizen.shot("08-xac-nhan-rut-ho-so")
    dialog.get_by_role("button", name="Không, quay lại").click()
    assert not dialog.is_visible() and citizen.status() == "Đã gửi"

    page.get_by_role("button", name="Rút hồ sơ").click()
    dialog.get_by_role("button", name="Đồng ý rút hồ sơ").click()
    assert citizen.notice().startswith("Đã rút hồ sơ.")
    assert page.locator(".status-tabs [aria-current=page]").inner_text().startswith("Chưa gửi")
    assert page.get_by_role("link", name=TITLE).get_attribute("href") == dossier_url
    citizen.shot("09-da-rut-ve-chua-gui")


def staff_act(clerk: Person, dossier_url: str, action: str, *, screenshot: str | None = None,
              fields: dict[str, str] | None = None) -> None:
    """On the staff page of the dossier, fill in and press the form of one action."""
    page = clerk.page
    page.goto("/can-bo" + dossier_url)
    form = page.locator("form.staff-action").filter(has=page.get_by_role("heading", name=action, exact=True))
    for label, value in (fields or {}).items():
        form.get_by_label(label).fill(value)
    form.get_by_role("button", name=action, exact=True).click()
    assert clerk.notice(), f"{action}: {page.locator('main').inner_text()[:400]}"
    if screenshot:
        clerk.shot(screenshot)


def supplement(citizen: Person, clerk: Person, dossier_url: str, lookup_code: str) -> None:
    clerk.page.goto("/can-bo?trang-thai=received")
    assert clerk.page.get_by_role("link", name=TITLE).is_visible()
    clerk.shot("10-can-bo-danh-sach")
    staff_act(clerk, dossier_url, "Yêu cầu bổ sung",
              fields={"Lý do": "Thiếu bản sao văn bằng chuyên môn có chứng thực."})

    page = citizen.page
    page.goto(dossier_url)
    assert citizen.status() == "Yêu cầu bổ sung"
    assert "Thiếu bản sao văn bằng chuyên môn có chứng thực." in page.locator(".callout").inner_text()
    citizen.shot("12-yeu-cau-bo-sung")
    page.get_by_role("link", name="Bổ sung hồ sơ", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Bổ sung hồ sơ"
    # The content form's field, not the upload of the document of the same words above it.
    page.locator("#bieu-mau-ho-so").get_by_label("Văn bằng chuyên môn").fill("Bác sĩ đa khoa (bản sao có chứng thực)")
    citizen.press("Lưu thay đổi")
    citizen.press("Gửi bổ sung")
    assert citizen.notice() == "Đã gửi bổ sung hồ sơ tới Bộ phận tiếp nhận và trả kết quả."
    assert citizen.status() == "Đã gửi" and citizen.fact("Mã hồ sơ") == lookup_code


def pay_online(citizen: Person, dossier_url: str) -> None:
    """Online through the sandbox's checkout, and back to the dossier."""
    page = citizen.page
    page.goto(dossier_url)
    assert citizen.status() == "Yêu cầu thanh toán"
    fees = page.locator("#thanh-toan")
    assert "360.000 đồng" in fees.inner_text() and "Chờ thanh toán" in fees.inner_text()
    page.get_by_label("Thanh toán trực tuyến (qua ngân hàng, cổng thanh toán)").check()
    citizen.shot("13-thanh-toan")
    citizen.press("Thanh toán 360.000 đồng")
    assert "/v1/payments/sandbox/checkout/" in page.url
    assert page.get_by_role("heading", level=1).inner_text() == "Thanh toán phí, lệ phí hồ sơ"
    assert "Sở Y tế" in page.locator("main").inner_text()  # to whom
    citizen.shot("14-cong-thanh-toan-thu-nghiem")
    citizen.press("Thanh toán")
    # Straight back to the dossier in the portal, the outcome said there.
    assert page.url.endswith(dossier_url)
    assert citizen.notice().startswith("Thanh toán thành công")
    assert citizen.status() == "Đã thanh toán"
    assert citizen.fact("Số biên lai").startswith("BL-")
    citizen.shot("16-da-thanh-toan")


def issue_the_result(clerk: Person) -> None:
    page = clerk.page
    form = page.locator("form.staff-action").filter(
        has=page.get_by_role("heading", name="Cập nhật kết quả giải quyết", exact=True))
    form.get_by_label("Tóm tắt kết quả").fill("Cấp giấy phép hành nghề số 123/SYT-GPHN.")
    form.get_by_label("Văn bản kết quả (tệp PDF, không bắt buộc)").set_input_files(
        files=[{"name": "giay-phep-hanh-nghe.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    form.get_by_role("button", name="Cập nhật kết quả giải quyết").click()
    assert clerk.notice() == "Đã cập nhật kết quả giải quyết."
    assert clerk.status() == "Đã có kết quả"


def receive_the_result_online(citizen: Person, dossier_url: str) -> None:
    page = citizen.page
    page.goto(dossier_url)
    assert citizen.status() == "Đã có kết quả"
    assert "Cấp giấy phép hành nghề số 123/SYT-GPHN." in page.locator("#ket-qua").inner_text()
    page.get_by_label("Nhận trực tuyến trên Cổng Dịch vụ công (tải về)").check()
    citizen.press("Xác nhận hình thức nhận kết quả")
    assert citizen.notice() == "Đã ghi nhận hình thức nhận kết quả."
    citizen.shot("17-da-co-ket-qua")
    with page.expect_download() as downloading:
        page.get_by_role("link", name="Tải kết quả", exact=True).click()
    download = downloading.value
    assert download.suggested_filename == "giay-phep-hanh-nghe.pdf"
    with open(download.path(), "rb") as document:
        assert document.read() == PDF

    page.reload()
    assert citizen.status() == "Đã trả kết quả"
    steps = page.locator(".timeline__what").all_inner_texts()
    assert steps[0] == "Đã có kết quả → Đã trả kết quả" and steps[-1] == "Chưa gửi"
    assert "Xác nhận tiếp nhận hồ sơ — Thư điện tử, đã gửi" in page.locator(".notifications").inner_text()
    citizen.shot("18-da-tra-ket-qua")


def look_it_up(anyone: Person, lookup_code: str) -> None:
    """The public lookup: no account, the status and its history, nothing personal."""
    page = anyone.page
    page.goto("/tra-cuu")
    page.get_by_label("Mã hồ sơ").fill(lookup_code.lower())
    page.get_by_role("button", name="Tra cứu").click()
    found = page.locator("main").inner_text()
    assert f"Hồ sơ {lookup_code}" in found and "Đã trả kết quả" in found
    assert "Đặng Thị Bích" not in found and "079185001234" not in found
    anyone.shot("19-tra-cuu-cong-khai")
