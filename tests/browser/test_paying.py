"""Paying as a citizen finds it: online through the sandbox and straight back to the dossier with the outcome;
at the office or by post with the instructions (from shared/catalog/office.json), and the switch to online
while the request is open. Each changed screen is kept at 1366 px and at 390 px.
"""

from datetime import date, datetime
from typing import Any

import pytest

from shared.office import load_office
from shared.timezones import local_zone
from tests.browser.portal import Person, api_as, draft, new_email
from tests.support.documents import attach_required

pytestmark = pytest.mark.browser

FORM = {"chuyen_mon": "Bác sĩ đa khoa", "pham_vi": "Khám bệnh, chữa bệnh nội khoa"}
WIDTHS = {"may-tinh": 1366, "dien-thoai": 390}


def asked_to_pay(portal_url: str, email: str) -> tuple[str, str]:
    """A dossier of `email`'s received, in processing and asked to pay the procedure's fee (360.000 đồng):
    its id and its code."""
    with api_as(portal_url, email) as citizen, api_as(portal_url, new_email("can-bo"), "staff") as staff:
        dossier_id = draft(citizen, "SYT-KCB-01", "Giấy phép hành nghề bác sĩ đa khoa", FORM)
        attach_required(citizen, dossier_id, "SYT-KCB-01")
        assert citizen.post(f"/v1/dossiers/{dossier_id}/submit").status_code == 200
        for action in ("accept", "start-processing", "request-payment"):
            answer = staff.post(f"/v1/staff/dossiers/{dossier_id}/{action}")
            assert answer.status_code == 200, answer.text
        return dossier_id, str(citizen.get(f"/v1/dossiers/{dossier_id}").json()["lookup_code"])


def signed_in(person: Any, email: str, width: int) -> Person:
    someone: Person = person(width=width, height=900)
    someone.sign_in("Đặng Thị Bích", email)
    return someone


def choose(citizen: Person, method_label: str) -> None:
    citizen.page.get_by_label(method_label).check()
    citizen.press("Thanh toán 360.000 đồng")


@pytest.mark.parametrize("device", WIDTHS)
def test_paying_online_cancelled_then_paid_lands_on_the_dossier_with_the_outcome(
        person: Any, portal_url: str, device: str) -> None:
    email = new_email()
    dossier_id, code = asked_to_pay(portal_url, email)
    citizen = signed_in(person, email, WIDTHS[device])
    page = citizen.page
    page.goto(f"/ho-so/{dossier_id}")
    choose(citizen, "Thanh toán trực tuyến (qua ngân hàng, cổng thanh toán)")

    # The checkout says which dossier, what for and to whom.
    checkout = page.locator("main").inner_text()
    assert code in checkout and "Cấp mới giấy phép hành nghề khám bệnh, chữa bệnh" in checkout
    assert f"{load_office().unit}, {load_office().name}" in checkout and "360.000 ₫" in checkout
    citizen.shot(f"70-cong-thanh-toan-{device}")

    citizen.press("Huỷ")
    assert page.url.endswith(f"/ho-so/{dossier_id}")
    assert citizen.notice() == "Bạn đã huỷ giao dịch thanh toán. Bạn có thể thanh toán lại bên dưới."
    assert citizen.status() == "Yêu cầu thanh toán"
    citizen.shot(f"71-thanh-toan-da-huy-{device}")

    choose(citizen, "Thanh toán trực tuyến (qua ngân hàng, cổng thanh toán)")
    citizen.press("Thanh toán")
    assert page.url.endswith(f"/ho-so/{dossier_id}")
    assert citizen.notice().startswith("Thanh toán thành công.")
    assert citizen.status() == "Đã thanh toán" and citizen.fact("Số biên lai").startswith("BL-")
    # Paid: the fees are no longer "to pay".
    assert page.locator("#thanh-toan caption").inner_text() == "Các khoản phí, lệ phí đã nộp"
    citizen.shot(f"72-thanh-toan-thanh-cong-{device}")


@pytest.mark.parametrize("device", WIDTHS)
def test_paying_by_post_says_where_how_and_until_when_and_may_turn_to_online(
        person: Any, portal_url: str, device: str) -> None:
    email = new_email()
    dossier_id, code = asked_to_pay(portal_url, email)
    citizen = signed_in(person, email, WIDTHS[device])
    page = citizen.page
    page.goto(f"/ho-so/{dossier_id}")
    choose(citizen, "Nộp qua dịch vụ bưu chính")
    assert citizen.notice().startswith("Đã ghi nhận hình thức thanh toán.")
    office = load_office()
    assert citizen.fact("Số tài khoản") == office.bank_account.number
    assert citizen.fact("Tên tài khoản") == office.bank_account.holder
    assert citizen.fact("Ngân hàng") == office.bank_account.bank
    assert citizen.fact("Nội dung chuyển khoản") == code
    # The deadline is a day (counted by processing in working days), not a rule to work out.
    with api_as(portal_url, email) as api:
        pay_by = date.fromisoformat(api.get(f"/v1/dossiers/{dossier_id}").json()["payment"]["pay_by"])
    # Today in Vietnam, where the working days are counted: the machine's own date differs for 7 hours a day.
    assert pay_by > datetime.now(local_zone()).date() and pay_by.weekday() < 5
    assert citizen.fact("Hạn nộp").startswith(
        f"{pay_by:%d/%m/%Y} ({office.payment_days} ngày làm việc kể từ ngày ")
    citizen.shot(f"73-huong-dan-nop-qua-buu-chinh-{device}")

    # Still open: a change of mind to pay at the office shows its own instructions…
    with api_as(portal_url, email) as api:
        assert api.post(f"/v1/dossiers/{dossier_id}/payments", json={"method": "at_office"}).status_code == 200
    page.reload()
    assert citizen.fact("Nơi nộp").endswith(office.address) and citizen.fact("Giờ làm việc") == office.opening_hours
    instructions = page.locator("#huong-dan-nop-phi")
    assert instructions.get_by_role("link", name=str(office.phone)).get_attribute("href") == (
        f"tel:{str(office.phone).replace(' ', '')}")
    citizen.shot(f"74-huong-dan-nop-tai-co-quan-{device}")

    # …and paying online instead is one button away.
    citizen.press("Chuyển sang thanh toán trực tuyến")
    assert "/v1/payments/sandbox/checkout/" in page.url
    citizen.press("Thanh toán")
    assert citizen.notice().startswith("Thanh toán thành công.") and citizen.status() == "Đã thanh toán"
    assert citizen.fact("Hình thức thanh toán") == "Thanh toán trực tuyến (qua ngân hàng, cổng thanh toán)"
    assert page.locator("#huong-dan-nop-phi").count() == 0
