"""The detail lists the SMS beside the mail: a citizen whose account has a phone sees both deliveries of
the acceptance (Thư điện tử, Tin nhắn SMS), on a desktop and on a phone; the page names no number."""

from typing import Any
from uuid import uuid4

import httpx
import pytest

from tests.browser.audit import audit
from tests.browser.portal import api_as, draft, new_email
from tests.support.documents import attach_required
from tests.support.waiting import eventually_sync

pytestmark = pytest.mark.browser

FORM = {"chuyen_mon": "Bác sĩ đa khoa", "pham_vi": "Khám bệnh, chữa bệnh đa khoa"}


def _channels(client: httpx.Client, dossier_id: str) -> list[tuple[str, str]]:
    shown: list[dict[str, Any]] = client.get(f"/v1/dossiers/{dossier_id}").json()["notifications"]
    return sorted((entry["channel"], entry["state"]) for entry in shown)


def test_the_detail_shows_the_sms_beside_the_mail(person: Any, portal_url: str) -> None:
    email, phone = new_email(), "09" + str(uuid4().int)[:8]
    with api_as(portal_url, email, phone_number=phone) as citizen, \
            api_as(portal_url, new_email("can-bo"), "staff") as clerk:
        dossier_id = draft(citizen, "SYT-KCB-01", "Giấy phép hành nghề bác sĩ Trịnh Văn Sơn", FORM)
        attach_required(citizen, dossier_id, "SYT-KCB-01")
        assert citizen.post(f"/v1/dossiers/{dossier_id}/submit").status_code == 200
        assert clerk.post(f"/v1/staff/dossiers/{dossier_id}/accept").status_code == 200
        eventually_sync(lambda: _channels(citizen, dossier_id) == [("email", "sent"), ("sms", "sent")],
                        timeout=20, what="both deliveries reported")

    for width in (1366, 390):
        visitor = person(width=width, height=900 if width > 600 else 844)
        visitor.sign_in("Trịnh Văn Sơn", email, phone=phone)
        page = visitor.page
        page.goto(f"/ho-so/{dossier_id}")
        shown = page.locator(".notifications")
        text = shown.inner_text()
        assert "Xác nhận tiếp nhận hồ sơ — Thư điện tử, đã gửi" in text
        assert "Xác nhận tiếp nhận hồ sơ — Tin nhắn SMS, đã gửi" in text
        assert phone not in page.content() and phone[-7:] not in page.content()
        shown.scroll_into_view_if_needed()
        visitor.shot(f"150-thong-bao-sms-{width}")
        assert audit(page) == [], f"the detail with its SMS at {width} px"


def test_a_phone_that_is_not_one_is_refused_on_the_sign_in_page(person: Any) -> None:
    visitor = person()
    page = visitor.page
    page.goto("/dang-nhap")
    page.get_by_label("Họ và tên").fill("Trịnh Văn Sơn")
    page.get_by_label("Thư điện tử").fill(new_email())
    page.get_by_label("Số điện thoại (không bắt buộc)").fill("gọi tôi")
    page.get_by_role("button", name="Đăng nhập").click()
    assert "Vui lòng nhập số điện thoại hợp lệ" in visitor.errors()
