"""Quản lý hồ sơ (Figure 1) in the browser: the tabs and their counts, and the advanced search that fits
each status — accent-insensitive keywords, procedure, dossier code and a range of days.
"""

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.browser.portal import Person, api_as, draft, new_email
from tests.support.documents import attach_required

pytestmark = pytest.mark.browser


@pytest.fixture()
def citizen_with_dossiers(person: Any, portal_url: str) -> tuple[Person, str]:
    """A citizen with two drafts, one dossier sent and one received (its lookup code answered)."""
    email = new_email()
    with api_as(portal_url, email) as citizen, api_as(portal_url, new_email("can-bo"), "staff") as staff:
        draft(citizen, "SYT-DUOC-01", "Chứng chỉ hành nghề dược cho dược sĩ Đặng Văn Đức",
              {"chuyen_mon": "Dược sĩ đại học", "pham_vi": "Bán lẻ thuốc"})
        draft(citizen, "SYT-KCB-03", "Giấy phép hoạt động phòng khám chuyên khoa mắt",
              {"ten_co_so": "Phòng khám Ánh Sáng"})
        for title in ("Giấy phép hành nghề bác sĩ nội khoa", "Giấy phép hành nghề bác sĩ nhi khoa"):
            sent = draft(citizen, "SYT-KCB-01", title, {"chuyen_mon": "Bác sĩ", "pham_vi": "Khám bệnh"})
            attach_required(citizen, sent, "SYT-KCB-01")
            assert citizen.post(f"/v1/dossiers/{sent}/submit").status_code == 200
        assert staff.post(f"/v1/staff/dossiers/{sent}/accept").status_code == 200
        lookup_code = citizen.get(f"/v1/dossiers/{sent}").json()["lookup_code"]
    someone: Person = person()
    someone.sign_in("Đặng Văn Đức", email)
    return someone, lookup_code


def tabs(citizen: Person) -> dict[str, int]:
    """Each tab's label and the count it shows."""
    shown = {}
    for tab in citizen.page.locator(".status-tabs a").all():
        found = re.match(r"^(.+?) \( ?(\d+)", " ".join(tab.inner_text().split()))
        assert found, tab.inner_text()
        shown[found[1]] = int(found[2])
    return shown


def titles(citizen: Person) -> list[str]:
    return [text.strip() for text in citizen.page.locator(".dossier-title").all_inner_texts()]


def test_a_tab_per_status_with_its_count_and_its_list(citizen_with_dossiers: tuple[Person, str]) -> None:
    citizen, _ = citizen_with_dossiers
    page = citizen.page
    counts = tabs(citizen)
    assert list(counts)[:4] == ["Tất cả", "Chưa gửi", "Đã gửi", "Yêu cầu bổ sung"]
    assert (counts["Tất cả"], counts["Chưa gửi"], counts["Đã gửi"], counts["Đã tiếp nhận"]) == (4, 2, 1, 1)
    assert len(counts) == 11 and counts["Đã trả kết quả"] == 0
    assert len(titles(citizen)) == 4
    citizen.shot("20-quan-ly-ho-so-tat-ca")

    page.get_by_role("link", name="Chưa gửi").click()
    assert page.locator(".status-tabs [aria-current=page]").inner_text().startswith("Chưa gửi")
    assert sorted(titles(citizen)) == ["Chứng chỉ hành nghề dược cho dược sĩ Đặng Văn Đức",
                                       "Giấy phép hoạt động phòng khám chuyên khoa mắt"]
    assert page.locator("td[data-label='Mã hồ sơ']").all_inner_texts() == ["Chưa cấp mã"] * 2
    # A draft has no dossier code yet, and its day is the day it was made.
    assert page.get_by_label("Mã hồ sơ").count() == 0 and page.get_by_label("Ngày tạo từ").count() == 1

    page.get_by_role("link", name="Đã trả kết quả").click()
    assert "Chưa có hồ sơ nào ở tình trạng này." in page.locator("main").inner_text()


def test_the_search_fits_vietnamese_and_the_status(citizen_with_dossiers: tuple[Person, str]) -> None:
    citizen, lookup_code = citizen_with_dossiers
    page = citizen.page
    page.get_by_role("link", name="Chưa gửi").click()
    page.get_by_label("Từ khoá").fill("chung chi hanh nghe duoc")  # typed without accents
    citizen.press("Tìm kiếm")
    assert titles(citizen) == ["Chứng chỉ hành nghề dược cho dược sĩ Đặng Văn Đức"]
    assert "1 hồ sơ phù hợp" in page.locator("#danh-sach").inner_text()
    citizen.shot("21-tim-kiem-khong-dau")

    page.get_by_label("Từ khoá").fill("dang van duc")  # "đ" found by "d"
    citizen.press("Tìm kiếm")
    assert titles(citizen) == ["Chứng chỉ hành nghề dược cho dược sĩ Đặng Văn Đức"]

    page.get_by_role("link", name="Xoá điều kiện tìm kiếm").click()
    page.get_by_label("Thủ tục hành chính").select_option(
        label="Cấp giấy phép hoạt động đối với phòng khám chuyên khoa")
    citizen.press("Tìm kiếm")
    assert titles(citizen) == ["Giấy phép hoạt động phòng khám chuyên khoa mắt"]

    page.get_by_role("link", name="Đã tiếp nhận").click()
    page.get_by_label("Mã hồ sơ").fill(lookup_code[:-2])  # its beginning is enough
    citizen.press("Tìm kiếm")
    assert titles(citizen) == ["Giấy phép hành nghề bác sĩ nhi khoa"]
    assert page.get_by_role("link", name=lookup_code).is_visible()

    page.get_by_role("link", name="Đã gửi").click()
    today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    page.get_by_label("Ngày nộp từ").fill(today.isoformat())
    page.get_by_label("Ngày nộp đến").fill(today.isoformat())
    citizen.press("Tìm kiếm")
    assert titles(citizen) == ["Giấy phép hành nghề bác sĩ nội khoa"]
    page.get_by_label("Ngày nộp từ").fill(today.replace(year=today.year + 1).isoformat())
    citizen.press("Tìm kiếm")
    assert "Ngày bắt đầu phải trước hoặc bằng ngày kết thúc." in citizen.errors()
    citizen.shot("22-tim-kiem-sai-ngay")

    page.get_by_label("Từ khoá").fill("không có hồ sơ nào tên thế này")
    page.get_by_label("Ngày nộp từ").fill("")
    citizen.press("Tìm kiếm")
    assert "Không có hồ sơ nào phù hợp với điều kiện tìm kiếm." in page.locator("main").inner_text()
