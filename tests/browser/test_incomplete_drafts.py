"""A draft saved almost empty, sent, refused field by field, completed and sent, in the browser.

Each message names its field and its rule, stands beside its field (described by it) and is linked from
the error summary at the top. Each screen is kept at 1366 px and at 390 px and passes the accessibility audit.
"""

from pathlib import Path
from typing import Any

import pytest

from services.sample_files import sample_pdf, sample_png
from tests.browser.audit import audit
from tests.browser.portal import Person, new_email

pytestmark = pytest.mark.browser

WIDTHS = {"may-tinh": 1366, "dien-thoai": 390}
PROCEDURE = "Cấp mới giấy phép hành nghề khám bệnh, chữa bệnh"
TITLE = "Cấp giấy phép hành nghề cho bác sĩ Lê Văn Tâm"


def field_error(citizen: Person, label: str) -> str:
    """The message beside the field labelled `label`, found through the field's aria-describedby."""
    field = citizen.page.get_by_label(label)
    assert field.get_attribute("aria-invalid") == "true"
    described = str(field.get_attribute("aria-describedby")).split()
    [error] = [name for name in described if name.endswith("-error")]
    return str(citizen.page.locator(f"#{error}").inner_text()).removeprefix("Lỗi:").strip()


def summary_link(citizen: Person, text: str) -> str:
    return str(citizen.page.locator(".error-summary a", has_text=text).get_attribute("href"))


@pytest.mark.parametrize("device", WIDTHS)
def test_an_almost_empty_draft_is_saved_refused_on_sending_then_completed_and_sent(
        person: Any, tmp_path: Path, device: str) -> None:
    citizen: Person = person(width=WIDTHS[device])
    citizen.sign_in("Lê Văn Tâm", new_email())
    page = citizen.page
    page.goto("/ho-so/moi")
    page.get_by_label(PROCEDURE).check()
    citizen.press("Tiếp tục")
    # Only a phone number, and a wrong one: a draft keeps the rules of what it holds.
    page.get_by_label("Họ và tên").fill("")
    page.get_by_label("Thư điện tử").fill("")
    page.get_by_label("Số điện thoại").fill("12345")
    citizen.press("Lưu nháp")
    wrong = "Số điện thoại: không đúng định dạng (bắt đầu bằng 0 hoặc +84, tiếp theo là 9 hoặc 10 chữ số"
    assert field_error(citizen, "Số điện thoại").startswith(wrong)
    assert wrong in citizen.errors() and summary_link(citizen, "Số điện thoại") == "#f-applicant-phone"
    assert audit(page) == []
    citizen.shot(f"110-luu-nhap-sai-dinh-dang-{device}")

    page.get_by_label("Số điện thoại").fill("0912345678")
    citizen.press("Lưu nháp")
    assert citizen.notice().startswith("Đã lưu nháp hồ sơ.")
    page.goto("/?trang-thai=draft")
    assert page.get_by_role("link", name="Hồ sơ chưa đặt tên").count() == 1
    assert audit(page) == []
    citizen.shot(f"111-nhap-chua-dat-ten-{device}")

    page.get_by_role("link", name="Hồ sơ chưa đặt tên").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Hồ sơ chưa đặt tên"
    page.get_by_role("link", name="Sửa hồ sơ", exact=True).click()
    citizen.press("Gửi hồ sơ")
    errors = citizen.errors()
    for line in ("Tên hồ sơ: bắt buộc phải nhập.", "Họ và tên: bắt buộc phải nhập.",
                 "Số định danh cá nhân: bắt buộc phải nhập.", "Địa chỉ: bắt buộc phải nhập.",
                 "Văn bằng chuyên môn: bắt buộc phải nhập."):
        assert line in errors
    assert "Số điện thoại" not in errors  # saved right, it is not asked for again
    assert field_error(citizen, "Thư điện tử") == "Thư điện tử: bắt buộc phải nhập."
    assert summary_link(citizen, "Tên hồ sơ") == "#f-title"
    page.locator(".error-summary a", has_text="Họ và tên").click()
    assert page.evaluate("document.activeElement.id") == "f-applicant-full-name"
    assert audit(page) == []
    citizen.shot(f"112-gui-thieu-thong-tin-{device}")

    scan, photo = tmp_path / "ban-scan.pdf", tmp_path / "anh-chan-dung.png"
    scan.write_bytes(sample_pdf("Ban scan"))
    photo.write_bytes(sample_png(40, 60))
    required = [name.removesuffix(" (bắt buộc)") for name in page.locator(".document__name").all_inner_texts()
                if name.endswith("(bắt buộc)")]
    for name in required:
        citizen.attach(name, photo if name.startswith("02 ảnh") else scan)
    for label, value in (("Tên hồ sơ", TITLE), ("Họ và tên", "Lê Văn Tâm"), ("Số định danh cá nhân", "001090012345"),
                         ("Thư điện tử", "tam.le@example.vn"), ("Địa chỉ", "12 Trần Phú, Hà Đông, Hà Nội"),
                         ("Văn bằng chuyên môn", "Bác sĩ đa khoa"), ("Phạm vi hành nghề đề nghị", "Khám bệnh")):
        page.get_by_role("textbox", name=label).fill(value)
    citizen.press("Gửi hồ sơ")
    assert citizen.notice() == "Đã gửi hồ sơ tới Bộ phận tiếp nhận và trả kết quả."
    assert citizen.status() == "Đã gửi"
    assert page.get_by_role("heading", level=1).inner_text() == TITLE
    assert audit(page) == []
    citizen.shot(f"113-gui-du-thong-tin-{device}")
