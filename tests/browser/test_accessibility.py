"""The portal for everyone: by keyboard alone, on a phone's width, without scripts, with labels, headings
in order, landmarks and text contrast of at least 4.5:1 on every screen a citizen and a clerk use.
"""

from typing import Any

import pytest

from tests.browser.audit import audit, focused, tab_until
from tests.browser.portal import Person, api_as, draft, new_email
from tests.support.documents import attach_required

pytestmark = pytest.mark.browser

FORM = {"chuyen_mon": "Bác sĩ đa khoa", "pham_vi": "Khám bệnh, chữa bệnh đa khoa"}


@pytest.fixture()
def sent(person: Any, portal_url: str) -> tuple[Any, str, str]:
    """A citizen's account with one dossier sent; the browser factory, the account's email, the dossier's page."""
    email = new_email()
    with api_as(portal_url, email) as citizen:
        dossier_id = draft(citizen, "SYT-KCB-01", "Giấy phép hành nghề bác sĩ Trương Văn Đạt", FORM)
        attach_required(citizen, dossier_id, "SYT-KCB-01")
        assert citizen.post(f"/v1/dossiers/{dossier_id}/submit").status_code == 200
    return person, email, f"/ho-so/{dossier_id}"


def test_the_main_controls_are_reached_and_used_by_keyboard(sent: tuple[Any, str, str]) -> None:
    person, email, dossier_url = sent
    citizen: Person = person()
    citizen.sign_in("Trương Văn Đạt", email)
    page = citizen.page
    page.goto("/")
    met = tab_until(page, "Giấy phép hành nghề bác sĩ Trương Văn Đạt")
    assert met[0] == "Bỏ qua, đến nội dung chính"
    for control in ("Quản lý hồ sơ", "Tạo hồ sơ", "Tra cứu hồ sơ", "Đăng xuất", "Tạo hồ sơ mới", "Chưa gửi",
                    "Đã trả kết quả", "Từ khoá", "Thủ tục hành chính", "Mã hồ sơ", "Ngày nộp từ", "Tìm kiếm"):
        assert any(name.startswith(control) for name in met), f"{control} not reached by Tab: {met}"
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{dossier_url}")

    # The withdraw question (Figure 5) by keyboard: opened with Enter, closed with Escape, focus returned.
    tab_until(page, "Rút hồ sơ")
    page.keyboard.press("Enter")
    assert page.get_by_role("dialog").is_visible() and focused(page) == "Đồng ý rút hồ sơ"
    page.keyboard.press("Escape")
    assert not page.get_by_role("dialog").is_visible() and focused(page) == "Rút hồ sơ"
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    assert citizen.notice().startswith("Đã rút hồ sơ.")


def test_every_screen_is_labelled_ordered_and_readable(sent: tuple[Any, str, str]) -> None:
    person, email, dossier_url = sent
    anyone: Person = person()
    for address in ("/dang-nhap", "/tra-cuu", "/tra-cuu?ma=KHONG-CO-MA"):
        anyone.page.goto(address)
        assert audit(anyone.page) == [], address

    citizen: Person = person()
    citizen.sign_in("Trương Văn Đạt", email)
    for address in ("/", "/?trang-thai=draft", "/?trang-thai=submitted&tu-ngay=30/02/2026", "/ho-so/moi",
                    "/ho-so/moi?thu-tuc=SYT-KCB-01", dossier_url, f"{dossier_url}/rut"):
        citizen.page.goto(address)
        assert audit(citizen.page) == [], address
    citizen.page.goto(dossier_url)
    citizen.page.get_by_role("button", name="Rút hồ sơ").click()
    assert audit(citizen.page) == [], "the withdraw dialog"

    clerk: Person = person()
    clerk.sign_in("Lê Văn Cường", new_email("can-bo"), role="staff")
    for address in ("/can-bo", f"/can-bo{dossier_url}"):
        clerk.page.goto(address)
        assert audit(clerk.page) == [], address


def test_on_a_phone_nothing_needs_sideways_scrolling(sent: tuple[Any, str, str]) -> None:
    person, email, dossier_url = sent
    phone: Person = person(width=390, height=844)
    phone.sign_in("Trương Văn Đạt", email)
    for address, screenshot in (("/", "30-dien-thoai-quan-ly-ho-so"), (dossier_url, "31-dien-thoai-chi-tiet"),
                                ("/ho-so/moi?thu-tuc=SYT-KCB-01", "32-dien-thoai-tao-ho-so")):
        phone.page.goto(address)
        assert phone.page.evaluate("document.documentElement.scrollWidth") <= 390, address
        phone.shot(screenshot)


def test_without_scripts_withdraw_and_delete_ask_on_a_page_of_their_own(sent: tuple[Any, str, str]) -> None:
    person, email, dossier_url = sent
    citizen: Person = person(scripts=False)
    citizen.sign_in("Trương Văn Đạt", email)
    page = citizen.page
    page.goto(dossier_url)
    page.get_by_role("link", name="Rút hồ sơ").click()
    assert page.url.endswith(f"{dossier_url}/rut")
    assert page.get_by_role("heading", level=1).inner_text() == "Rút hồ sơ đã gửi"
    citizen.shot("33-xac-nhan-rut-khong-script")
    citizen.press("Đồng ý rút hồ sơ")
    assert citizen.notice().startswith("Đã rút hồ sơ.")

    page.goto(dossier_url)
    page.get_by_role("link", name="Xoá hồ sơ").click()
    assert "Hồ sơ đã xoá không thể khôi phục." in page.locator("main").inner_text()
    citizen.press("Đồng ý xoá hồ sơ")
    assert citizen.notice() == "Đã xoá hồ sơ."
    assert "Chưa có hồ sơ nào ở tình trạng này." in page.locator("main").inner_text()
