"""What a new citizen meets first: an empty list that says how to begin, drafts that were never sent, a
staff page that says it is not theirs, and pages none of whose requests fail (the favicon included).
Each changed screen is kept at 1366 px and at 390 px, and passes the accessibility audit.
"""

from typing import Any

import pytest

from tests.browser.audit import audit
from tests.browser.portal import Person, api_as, draft, new_email

pytestmark = pytest.mark.browser

WIDTHS = {"may-tinh": 1366, "dien-thoai": 390}
FORM = {"chuyen_mon": "Bác sĩ đa khoa", "pham_vi": "Khám bệnh"}


@pytest.mark.parametrize("device", WIDTHS)
def test_a_new_citizen_is_told_how_to_begin_and_a_draft_shows_no_day_sent(
        person: Any, portal_url: str, device: str) -> None:
    email = new_email()
    citizen: Person = person(width=WIDTHS[device])
    citizen.sign_in("Trần Văn Minh", email)
    page = citizen.page
    empty = page.locator(".empty--first")
    assert "Bạn chưa có hồ sơ nào." in empty.inner_text()
    assert audit(page) == []
    citizen.shot(f"80-quan-ly-ho-so-moi-{device}")
    empty.get_by_role("link", name="Tạo hồ sơ đầu tiên").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Tạo hồ sơ mới"

    citizen.press("Tiếp tục")  # nothing chosen
    assert "Vui lòng chọn thủ tục hành chính." in citizen.errors()
    assert audit(page) == []
    citizen.shot(f"81-chua-chon-thu-tuc-{device}")

    with api_as(portal_url, email) as api:
        draft(api, "SYT-KCB-01", "Hồ sơ chưa gửi", FORM)
    page.goto("/")
    [day] = page.locator("td[data-label='Ngày nộp']").all_inner_texts()
    assert day.strip() == "Chưa gửi"
    citizen.shot(f"82-tat-ca-ho-so-chua-gui-{device}")


@pytest.mark.parametrize("device", WIDTHS)
def test_a_citizen_on_the_staff_page_is_told_it_is_for_staff(person: Any, device: str) -> None:
    citizen: Person = person(width=WIDTHS[device])
    citizen.sign_in("Trần Văn Minh", new_email())
    answer = citizen.page.goto("/can-bo")
    assert answer is not None and answer.status == 403
    assert citizen.page.get_by_role("heading", level=1).inner_text() == "Trang dành cho cán bộ"
    assert audit(citizen.page) == []
    citizen.shot(f"83-trang-danh-cho-can-bo-{device}")


@pytest.mark.parametrize("device", WIDTHS)
def test_an_empty_lookup_and_a_day_that_is_not_one_say_why(person: Any, device: str) -> None:
    citizen: Person = person(width=WIDTHS[device])
    citizen.sign_in("Trần Văn Minh", new_email())
    page = citizen.page
    page.goto("/tra-cuu")
    citizen.press("Tra cứu")
    assert "Vui lòng nhập mã hồ sơ cần tra cứu." in citizen.errors()
    assert audit(page) == []
    citizen.shot(f"84-tra-cuu-trong-{device}")
    page.goto("/")
    page.get_by_label("Ngày nộp từ").fill("31/02/2026")
    citizen.press("Tìm kiếm")
    assert "Ngày không hợp lệ" in citizen.errors()
    assert audit(page) == []
    citizen.shot(f"85-ngay-khong-hop-le-{device}")


def test_no_request_of_the_main_pages_fails_and_the_favicon_is_served(person: Any, portal_url: str) -> None:
    email = new_email()
    with api_as(portal_url, email) as api:
        dossier_id = draft(api, "SYT-KCB-01", "Hồ sơ để xem", FORM)
    anonymous: Person = person()
    citizen: Person = person()
    failed: list[str] = []
    for someone in (anonymous, citizen):
        someone.page.on("response", lambda response: failed.append(f"{response.status} {response.url}")
                        if response.status >= 400 else None)
    anonymous.page.goto("/dang-nhap")
    anonymous.page.goto("/tra-cuu")
    citizen.sign_in("Trần Văn Minh", email)
    for address in ("/", f"/ho-so/{dossier_id}", f"/ho-so/{dossier_id}/sua", "/ho-so/moi", "/tra-cuu"):
        citizen.page.goto(address)
        citizen.page.wait_for_load_state("networkidle")
        icon = citizen.page.locator("link[rel=icon]").get_attribute("href")
        assert icon == "/static/favicon.svg", address
    assert failed == []
    # The icon itself, and where browsers look for one whatever the page says.
    for address in ("/static/favicon.svg", "/favicon.ico"):
        served = citizen.page.request.get(address)
        assert served.ok and served.headers["content-type"].startswith("image/svg+xml"), address
