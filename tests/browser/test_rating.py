"""The satisfaction rating in the browser: the citizen's form once the result is returned, its errors beside
the fields, the rating shown once given; the staff's summary per procedure and month. Desktop and phone."""

from typing import Any

import httpx
import pytest

from tests.browser.audit import audit
from tests.browser.portal import Person, api_as, draft, new_email
from tests.support.documents import attach_required

pytestmark = pytest.mark.browser

FORMS = {"SYT-KCB-01": {"chuyen_mon": "Bác sĩ đa khoa", "pham_vi": "Khám bệnh, chữa bệnh đa khoa"},
         "SYT-KCB-02": {"chuyen_mon": "Điều dưỡng", "ly_do": "Bị mất"}}
LEVELS = ("Rất hài lòng", "Hài lòng", "Không hài lòng")


def returned_dossier(portal_url: str, email: str, procedure_code: str = "SYT-KCB-01") -> str:
    """A dossier of the citizen's whose result they collected at the office (đã trả kết quả)."""
    with api_as(portal_url, email) as citizen, api_as(portal_url, new_email("can-bo"), "staff") as clerk:
        dossier_id = draft(citizen, procedure_code, "Giấy phép hành nghề của Lý Thị Mai", FORMS[procedure_code])
        attach_required(citizen, dossier_id, procedure_code)
        ok(citizen.post(f"/v1/dossiers/{dossier_id}/submit"))
        for action in ("accept", "start-processing"):
            ok(clerk.post(f"/v1/staff/dossiers/{dossier_id}/{action}"))
        ok(clerk.post(f"/v1/staff/dossiers/{dossier_id}/issue-result", data={"summary": "Cấp giấy phép số 9"}))
        ok(citizen.put(f"/v1/dossiers/{dossier_id}/result-delivery", json={"method": "at_office"}))
        ok(clerk.post(f"/v1/staff/dossiers/{dossier_id}/mark-returned", json={"method": "at_office"}))
    return dossier_id


def ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    return response.json()


def rating_form(visitor: Person) -> Any:
    return visitor.page.locator("#danh-gia form")


def test_the_citizen_rates_once_on_a_desktop_and_is_told_what_is_missing(person: Any, portal_url: str) -> None:
    email = new_email()
    dossier_id = returned_dossier(portal_url, email)
    mai = person(width=1366)
    mai.sign_in("Lý Thị Mai", email)
    page = mai.page
    page.goto(f"/ho-so/{dossier_id}")
    form = rating_form(mai)
    assert [label.strip() for label in form.locator(".choice label").all_inner_texts()] == list(LEVELS)
    page.get_by_role("link", name="Đánh giá mức độ hài lòng").click()
    mai.shot("155-danh-gia-hai-long-1366")
    assert audit(page) == [], "the rating form"

    form.get_by_label("Không hài lòng").check()
    form.get_by_role("button", name="Gửi đánh giá").click()
    comment_error = rating_form(mai).locator(".field--error .field-error")
    assert "Ý kiến: bắt buộc khi chọn “Không hài lòng”" in comment_error.inner_text()
    assert "Ý kiến" in mai.errors()
    assert rating_form(mai).get_by_label("Không hài lòng").is_checked(), "the level chosen is kept"
    assert rating_form(mai).get_by_label("Ý kiến").get_attribute("aria-invalid") == "true"
    assert audit(page) == [], "the rating form with its error"

    rating_form(mai).get_by_label("Ý kiến").fill("Phải đi lại hai lần\nvì thiếu hướng dẫn.")
    rating_form(mai).get_by_role("button", name="Gửi đánh giá").click()
    assert mai.notice().startswith("Cảm ơn bạn đã đánh giá mức độ hài lòng.")
    assert mai.fact("Mức độ hài lòng") == "Không hài lòng"
    assert mai.fact("Ý kiến") == "Phải đi lại hai lần\nvì thiếu hướng dẫn."
    assert rating_form(mai).count() == 0, "rated once: no form any more"
    assert page.get_by_role("link", name="Đánh giá mức độ hài lòng").count() == 0


def test_the_citizen_rates_on_a_phone(person: Any, portal_url: str) -> None:
    email = new_email()
    dossier_id = returned_dossier(portal_url, email, "SYT-KCB-02")
    binh = person(width=390, height=844)
    binh.sign_in("Trần Văn Bình", email)
    page = binh.page
    page.goto(f"/ho-so/{dossier_id}")
    rating_form(binh).get_by_role("button", name="Gửi đánh giá").click()
    level_error = page.locator("#f-level .field-error")
    assert "Mức độ hài lòng: bắt buộc phải nhập" in level_error.inner_text()
    level_error.scroll_into_view_if_needed()
    binh.shot("156-danh-gia-chua-chon-muc-390")
    assert audit(page) == [], "the rating form's error on a phone"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "nothing wider than the phone"

    rating_form(binh).get_by_label("Rất hài lòng").check()
    rating_form(binh).get_by_role("button", name="Gửi đánh giá").click()
    assert binh.fact("Mức độ hài lòng") == "Rất hài lòng"
    page.locator("#danh-gia").scroll_into_view_if_needed()
    binh.shot("157-da-danh-gia-390")
    assert audit(page) == [], "the rating shown on a phone"
    with api_as(portal_url, email) as citizen:
        assert citizen.get(f"/v1/dossiers/{dossier_id}").json()["rating"]["level"] == "very_satisfied"


def summary_rows(visitor: Person) -> list[list[str]]:
    rows = visitor.page.locator(".ratings-summary tbody tr")
    return [[cell.strip() for cell in rows.nth(n).locator("td").all_inner_texts()] for n in range(rows.count())]


def expected_rows(summary: dict[str, Any]) -> list[list[str]]:
    """The API's rows as the page's table says them: procedure (name, code), month MM/YYYY, counts."""
    return [[f"{row['procedure_name']}\n{row['procedure_code']}", f"{row['month'][5:]}/{row['month'][:4]}",
             *(str(row["counts"][level]) for level in ("very_satisfied", "satisfied", "dissatisfied")),
             str(row["counts"]["total"])] for row in summary["rows"]]


@pytest.mark.parametrize(("width", "shot"), [(1366, "158-tong-hop-danh-gia-1366"),
                                             (390, "159-tong-hop-danh-gia-390")])
def test_staff_read_the_ratings_per_procedure_and_month(person: Any, portal_url: str, width: int, shot: str) -> None:
    for procedure_code, level, comment in (("SYT-KCB-01", "satisfied", None), ("SYT-KCB-02", "dissatisfied", "Chậm")):
        email = new_email()
        dossier_id = returned_dossier(portal_url, email, procedure_code)
        with api_as(portal_url, email) as citizen:
            ok(citizen.put(f"/v1/dossiers/{dossier_id}/rating", json={"level": level, "comment": comment}))
    clerk_email = new_email("can-bo")
    with api_as(portal_url, clerk_email, "staff") as clerk:
        everything = ok(clerk.get("/v1/staff/ratings/summary"))
        reissues = ok(clerk.get("/v1/staff/ratings/summary", params={"procedure_code": "SYT-KCB-02"}))
    assert {row["procedure_code"] for row in everything["rows"]} >= {"SYT-KCB-01", "SYT-KCB-02"}

    lan = person(width=width, height=900)
    lan.sign_in("Nguyễn Thị Lan", clerk_email, role="staff")
    page = lan.page
    page.goto("/can-bo")
    page.get_by_role("link", name="Tổng hợp đánh giá mức độ hài lòng").click()
    assert page.locator("h1").inner_text() == "Tổng hợp đánh giá mức độ hài lòng"
    headers = [text.strip() for text in page.locator(".ratings-summary thead th").all_inner_texts()]
    assert headers == ["Thủ tục", "Tháng", *LEVELS, "Tổng"]
    assert summary_rows(lan) == expected_rows(everything)
    lan.shot(shot)
    assert audit(page) == [], f"the ratings summary at {width} px"
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "nothing wider than the screen"

    page.get_by_label("Thủ tục hành chính").select_option("SYT-KCB-02")
    page.get_by_role("button", name="Xem tổng hợp").click()
    assert summary_rows(lan) == expected_rows(reissues)
    assert all(row[0].endswith("SYT-KCB-02") for row in summary_rows(lan))

    page.get_by_label("Từ tháng").fill("13/2026")
    page.get_by_role("button", name="Xem tổng hợp").click()
    assert "Từ tháng: không đúng định dạng" in page.locator("#f-from-month-error").inner_text()
    assert audit(page) == [], "the ratings summary with a wrong month"
