"""The clerk's pages (/can-bo) as a new clerk found them: the list's tabs and columns, the handover of the
result, each form's own errors, the rejection asked first, and the history naming the officer."""

from typing import Any

import pytest

from tests.browser.audit import audit
from tests.browser.portal import PDF, Person, api_as, draft, new_email
from tests.support.documents import attach_required

pytestmark = pytest.mark.browser

FORM = {"chuyen_mon": "Bác sĩ đa khoa", "pham_vi": "Khám bệnh, chữa bệnh đa khoa"}
CLERK = "Nguyễn Thị Lan"


def sent_dossier(portal_url: str, title: str) -> tuple[str, str]:
    """A dossier sent by a citizen of its own: (the citizen's email, the dossier's id)."""
    email = new_email()
    with api_as(portal_url, email) as citizen:
        dossier_id = draft(citizen, "SYT-KCB-01", title, FORM)
        attach_required(citizen, dossier_id, "SYT-KCB-01")
        assert citizen.post(f"/v1/dossiers/{dossier_id}/submit").status_code == 200
    return email, dossier_id


def staff_form(page: Any, action: str) -> Any:
    return page.locator("form.staff-action").filter(has=page.get_by_role("heading", name=action, exact=True))


def test_the_list_has_every_status_the_applicant_and_overdue(person: Any, portal_url: str) -> None:
    sent_dossier(portal_url, "Giấy phép hành nghề bác sĩ Phạm Minh Khôi")
    for width, name in ((1366, "60-can-bo-danh-sach-1366"), (390, "61-can-bo-danh-sach-390")):
        clerk: Person = person(width=width, height=900)
        clerk.sign_in(CLERK, new_email("can-bo"), role="staff")
        page = clerk.page
        page.goto("/can-bo?trang-thai=submitted")
        tabs = [text.split("(")[0].strip() for text in page.locator(".status-tabs a").all_inner_texts()]
        for tab in ("Đã gửi", "Đã tiếp nhận", "Yêu cầu bổ sung", "Từ chối tiếp nhận", "Đã trả kết quả", "Quá hạn"):
            assert any(text.startswith(tab) for text in tabs), (tab, tabs)
        row = page.locator("tr").filter(has=page.get_by_role("link", name="Giấy phép hành nghề bác sĩ Phạm Minh Khôi"))
        assert "Đặng Thị Bích" in row.locator("td[data-label='Người nộp']").inner_text()
        assert page.locator("th", has_text="Hạn giải quyết").count() == 1
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert audit(page) == []
        clerk.shot(name)
        page.get_by_role("link", name="Quá hạn").click()
        assert page.locator(".status-tabs [aria-current=page]").inner_text().startswith("Quá hạn")
        assert page.get_by_role("heading", level=2, name="Hồ sơ quá hạn giải quyết").is_visible()
        assert audit(page) == []


def test_reject_says_a_missing_reason_under_its_own_form_and_asks_first(person: Any, portal_url: str) -> None:
    _email, dossier_id = sent_dossier(portal_url, "Giấy phép hành nghề bác sĩ Vũ Thị Hạnh")
    clerk: Person = person(width=1366)
    clerk.sign_in(CLERK, new_email("can-bo"), role="staff")
    page = clerk.page
    page.goto(f"/can-bo/ho-so/{dossier_id}")
    staff_form(page, "Từ chối tiếp nhận").get_by_role("button", name="Từ chối tiếp nhận").click()
    assert "Lý do" in clerk.errors()
    assert staff_form(page, "Từ chối tiếp nhận").locator(".field-error").count() == 1
    assert staff_form(page, "Yêu cầu bổ sung").locator(".field-error").count() == 0
    assert audit(page) == []
    clerk.shot("62-can-bo-tu-choi-thieu-ly-do")

    reject = staff_form(page, "Từ chối tiếp nhận")
    reject.get_by_label("Lý do").fill("Hồ sơ không thuộc thẩm quyền của Sở Y tế.")
    reject.get_by_role("button", name="Từ chối tiếp nhận").click()
    dialog = page.get_by_role("dialog")
    assert dialog.is_visible() and "Hồ sơ không thuộc thẩm quyền của Sở Y tế." in dialog.inner_text()
    assert audit(page) == [], "the reject dialog"
    clerk.shot("63-can-bo-tu-choi-hop-thoai")
    dialog.get_by_role("button", name="Không, quay lại").click()
    assert not dialog.is_visible() and clerk.status() == "Đã gửi"
    reject.get_by_role("button", name="Từ chối tiếp nhận").click()
    dialog.get_by_role("button", name="Đồng ý từ chối tiếp nhận").click()
    assert clerk.notice() == "Đã từ chối tiếp nhận hồ sơ." and clerk.status() == "Từ chối tiếp nhận"
    # The history names the officer from the token.
    assert f"Cán bộ {CLERK}" in page.locator(".timeline").inner_text()


def test_without_scripts_reject_asks_on_a_page_of_its_own(person: Any, portal_url: str) -> None:
    email, dossier_id = sent_dossier(portal_url, "Giấy phép hành nghề bác sĩ Lý Văn Tâm")
    for width in (1366, 390):
        clerk: Person = person(width=width, scripts=False)
        clerk.sign_in(CLERK, new_email("can-bo"), role="staff")
        page = clerk.page
        page.goto(f"/can-bo/ho-so/{dossier_id}")
        reject = staff_form(page, "Từ chối tiếp nhận")
        reject.get_by_label("Lý do").fill("Thiếu chữ ký của người đề nghị.")
        reject.get_by_role("button", name="Từ chối tiếp nhận").click()
        assert page.get_by_role("heading", level=1).inner_text() == "Từ chối tiếp nhận hồ sơ"
        assert "Thiếu chữ ký của người đề nghị." in page.locator("main").inner_text()
        assert audit(page) == []
        clerk.shot(f"64-can-bo-tu-choi-khong-script-{width}")
    page.get_by_role("link", name="Không, quay lại").click()
    assert clerk.status() == "Đã gửi"
    reject = staff_form(page, "Từ chối tiếp nhận")
    reject.get_by_label("Lý do").fill("Thiếu chữ ký của người đề nghị.")
    reject.get_by_role("button", name="Từ chối tiếp nhận").click()
    clerk.press("Đồng ý từ chối tiếp nhận")
    assert clerk.notice() == "Đã từ chối tiếp nhận hồ sơ." and clerk.status() == "Từ chối tiếp nhận"

    citizen: Person = person()
    citizen.sign_in("Đặng Thị Bích", email)
    citizen.page.goto(f"/ho-so/{dossier_id}")
    assert f"Cán bộ {CLERK}" in citizen.page.locator(".timeline").inner_text()


def test_the_handover_starts_from_the_citizens_choice_and_keeps_the_tracking_number(
        person: Any, portal_url: str) -> None:
    email, dossier_id = sent_dossier(portal_url, "Giấy phép hành nghề bác sĩ Hồ Thị Mai")
    with api_as(portal_url, new_email("can-bo"), role="staff") as staff:
        for action in ("accept", "start-processing"):
            assert staff.post(f"/v1/staff/dossiers/{dossier_id}/{action}").status_code == 200
        issued = staff.post(f"/v1/staff/dossiers/{dossier_id}/issue-result", data={"summary": "Cấp giấy phép số 7"},
                            files={"document": ("giay-phep.pdf", PDF, "application/pdf")})
        assert issued.status_code == 200, issued.text
    with api_as(portal_url, email) as citizen:
        chosen = citizen.put(f"/v1/dossiers/{dossier_id}/result-delivery",
                             json={"method": "postal", "postal_address": "8 Nguyễn Huệ, Quận 1, TP. Hồ Chí Minh"})
        assert chosen.status_code == 200, chosen.text

    for width in (1366, 390):
        clerk: Person = person(width=width)
        clerk.sign_in(CLERK, new_email("can-bo"), role="staff")
        page = clerk.page
        page.goto(f"/can-bo/ho-so/{dossier_id}")
        handover = staff_form(page, "Xác nhận đã trao kết quả cho người dân")
        assert handover.get_by_label("Hình thức").input_value() == "postal"
        assert "Nhận qua dịch vụ bưu chính" in handover.inner_text()
        assert audit(page) == []
        clerk.shot(f"65-can-bo-trao-ket-qua-{width}")
    handover.get_by_label("Mã vận đơn").fill("EV123456789VN")
    handover.get_by_role("button", name="Xác nhận đã trao kết quả cho người dân").click()
    assert clerk.notice() == "Đã xác nhận trao kết quả cho người dân."
    assert clerk.status() == "Đã trả kết quả" and clerk.fact("Mã vận đơn") == "EV123456789VN"
    clerk.shot("66-can-bo-da-trao-ket-qua-390")


@pytest.mark.parametrize("width", [1366, 390])
def test_the_staff_error_summary_links_to_the_field_of_the_form_sent(person: Any, portal_url: str, width: int) -> None:
    _email, dossier_id = sent_dossier(portal_url, "Giấy phép hành nghề bác sĩ Đinh Văn Quang")
    clerk: Person = person(width=width)
    clerk.sign_in(CLERK, new_email("can-bo"), role="staff")
    page = clerk.page
    page.goto(f"/can-bo/ho-so/{dossier_id}")
    staff_form(page, "Yêu cầu bổ sung").get_by_role("button", name="Yêu cầu bổ sung").click()
    link = page.locator(".error-summary a", has_text="Lý do")
    assert link.get_attribute("href") == "#request-supplement-f-reason"
    reason = staff_form(page, "Yêu cầu bổ sung").get_by_label("Lý do")
    assert reason.get_attribute("aria-invalid") == "true"
    message = page.locator(f"#{reason.get_attribute('aria-describedby')}")
    assert "Lý do" in message.inner_text() and message.is_visible()
    # The other forms' fields of the same name are not marked.
    assert staff_form(page, "Từ chối tiếp nhận").get_by_label("Lý do").get_attribute("aria-invalid") is None
    link.click()
    assert page.evaluate("document.activeElement.id") == "request-supplement-f-reason"
    assert audit(page) == []
    clerk.shot(f"114-can-bo-loi-lien-ket-truong-{width}")
